// ISO-8601 timestamps for events. Date#toISOString costs more than the rest of an event's
// common fields together, so the text up to the second is cached and the milliseconds come from
// a table: a timestamp is then one concatenation. Two seconds are cached because an event formats
// its start and its end, which often fall in neighbouring seconds.

let recentSecond = NaN;
let recentPrefix = '';
let olderSecond = NaN;
let olderPrefix = '';

/** '.000Z' ... '.999Z': the end of a timestamp for each millisecond. */
const MILLIS: readonly string[] = Array.from(
  { length: 1000 },
  (_, ms) => '.' + String(ms).padStart(3, '0') + 'Z',
);

/** Formats ms since the epoch as 'YYYY-MM-DDTHH:MM:SS.mmmZ' (UTC), like Date#toISOString. */
export function formatTimestamp(ms: number): string {
  // Whole milliseconds first: integer arithmetic from here on, no rounding surprises.
  const whole = Math.floor(ms);
  const second = Math.floor(whole / 1000);
  const millis = MILLIS[whole - second * 1000];
  if (second === recentSecond) return recentPrefix + millis;
  if (second === olderSecond) return olderPrefix + millis;
  olderSecond = recentSecond;
  olderPrefix = recentPrefix;
  recentSecond = second;
  recentPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  return recentPrefix + millis;
}

/** '000' ... '999': three decimal digits of a fraction. */
const DIGITS3: readonly string[] = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

/**
 * Formats a time of a nanosecond capture (ms to the microsecond, plus the nanoseconds below it)
 * as 'YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ', the nine digits Elasticsearch's date_nanos keeps.
 */
export function formatTimestampNanos(ms: number, nanos: number): string {
  // ts holds whole microseconds up to the double's ~0.24 µs step: rounding gives them back.
  const micros = Math.round(ms * 1000);
  const whole = Math.floor(micros / 1000);
  const text = formatTimestamp(whole);
  return text.slice(0, -1) + DIGITS3[micros - whole * 1000] + DIGITS3[nanos] + 'Z';
}

/** The time from `a` to `b` in ns, exact for times to the microsecond plus their nanoseconds. */
export function elapsedNanos(aMs: number, aNanos: number, bMs: number, bNanos: number): number {
  return (Math.round(bMs * 1000) - Math.round(aMs * 1000)) * 1000 + (bNanos - aNanos);
}
