// Index names from a pattern and the event time; the formatted name is cached per day (or hour) so
// that a batch costs one comparison per event, not a date formatting.

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function formatDate(fmt: string, d: Date): string {
  return fmt.replace(/yyyy|MM|dd|HH/g, (t) => {
    if (t === 'yyyy') return pad(d.getUTCFullYear(), 4);
    if (t === 'MM') return pad(d.getUTCMonth() + 1);
    if (t === 'dd') return pad(d.getUTCDate());
    return pad(d.getUTCHours());
  });
}

/** Formats `%{beat}-%{version}-%{+yyyy.MM.dd}`-style patterns (UTC). */
export class IndexNamer {
  private readonly granularity: number;
  private cachedSlot = NaN;
  private cachedName = '';

  constructor(
    private readonly pattern: string,
    private readonly beatName: string,
    private readonly beatVersion: string,
  ) {
    this.granularity = /%\{\+[^}]*HH[^}]*\}/.test(pattern) ? HOUR_MS : DAY_MS;
  }

  /** The index for an event at `timestamp` (ms since the epoch). */
  nameFor(timestamp: number): string {
    const slot = Math.floor(timestamp / this.granularity);
    if (slot !== this.cachedSlot) {
      this.cachedSlot = slot;
      this.cachedName = this.format(timestamp);
    }
    return this.cachedName;
  }

  private format(timestamp: number): string {
    const d = new Date(Number.isFinite(timestamp) ? timestamp : 0);
    return this.pattern
      .replace(/%\{beat\}/g, this.beatName)
      .replace(/%\{version\}/g, this.beatVersion)
      .replace(/%\{\+([^}]*)\}/g, (_m, fmt: string) => formatDate(fmt, d))
      .toLowerCase();
  }
}
