// Live capture loss. cap exposes no pcap_stats (and the kernel keeps a ring's drop count where only
// the socket's owner can read it), so loss is seen where it shows: bytes of a TCP stream that the
// peer acknowledged but the capture never delivered. The receiver had them, so the capture (the
// kernel ring overflowing, most often) lost them.

/** The reassembler counters the monitor reads. */
export interface GapCounters {
  gapBytes?: unknown;
  snaplenCutBytes?: unknown;
}

/** Counters added to the metrics' `source` section on live capture. */
export interface CaptureLossCounters {
  /** Bytes the capture missed (acknowledged by the peer, never captured), snaplen cuts excluded. */
  capture_missed_bytes: number;
  /** Warnings logged about them. */
  capture_loss_warnings: number;
  /** Packets the capture process dropped because the beat fell too far behind reading them. */
  capture_dropped_packets: number;
}

/** Options of {@link CaptureLossMonitor}. */
export interface CaptureLossMonitorOptions {
  /** Where to write the warning. */
  warn: (fields: Record<string, unknown>, msg: string) => void;
  /** Capture device, for the message. */
  device: string;
  /** The setting to raise, with its value (`pb_echo.interfaces.buffer_size_mb`, 64). */
  bufferSetting: string;
  bufferSizeMb: number;
  /** Packets the capture process dropped so far (it holds what the beat has not read, up to a limit). */
  droppedPackets?: () => number;
  /** At most one warning per this many ms; loss in between is added to the next one (default 10 s). */
  warnEveryMs?: number;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** Turns growing gap counters into counted, rate-limited warnings. */
export class CaptureLossMonitor {
  private missed = 0;
  private reported = 0;
  private reportedDropped = 0;
  private warnings = 0;
  private lastWarning = -Infinity;

  constructor(private readonly opts: CaptureLossMonitorOptions) {}

  /** Reads the reassembler's counters; warns when the capture missed bytes since the last warning. */
  check(reassembly: GapCounters, now = Date.now()): void {
    this.missed = Math.max(this.missed, num(reassembly.gapBytes) - num(reassembly.snaplenCutBytes));
    const fresh = this.missed - this.reported;
    const dropped = this.opts.droppedPackets?.() ?? 0;
    const freshDropped = dropped - this.reportedDropped;
    if (fresh <= 0 && freshDropped <= 0) return;
    if (now - this.lastWarning < (this.opts.warnEveryMs ?? 10_000)) return;
    this.lastWarning = now;
    this.reported = this.missed;
    this.reportedDropped = dropped;
    this.warnings++;
    const { device, bufferSetting, bufferSizeMb } = this.opts;
    // Packets the capture process had to drop explain the gaps better than the kernel buffer does.
    if (freshDropped > 0) {
      this.opts.warn(
        { droppedPackets: freshDropped, totalDroppedPackets: dropped, missedBytes: fresh, device },
        `capture on ${device} dropped ${freshDropped} packets that the beat did not read in time (its ` +
          `output or workers fell behind for long); transactions were lost`,
      );
      return;
    }
    this.opts.warn(
      { missedBytes: fresh, totalMissedBytes: this.missed, device, bufferSizeMb },
      `capture on ${device} missed ${fresh} bytes that the TCP peers exchanged (the kernel dropped packets ` +
        `before they were read); transactions were lost: raise ${bufferSetting} (now ${bufferSizeMb})`,
    );
  }

  /** Counters for the metrics line. */
  counters(): CaptureLossCounters {
    return {
      capture_missed_bytes: this.missed,
      capture_loss_warnings: this.warnings,
      capture_dropped_packets: this.opts.droppedPackets?.() ?? 0,
    };
  }
}
