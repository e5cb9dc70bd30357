import type { Frame } from '@wirebeat/tcp-reassembly';
import { CaptureUnavailableError } from '../errors';
import { CapModule, linktypeFromCap, loadCap } from './cap-loader';
import type { FrameSink, PacketSource, SourceSummary } from './types';

/** Options of {@link LiveSource}. */
export interface LiveSourceOptions {
  /** Device name, `lo`, or `any`. */
  device: string;
  /** BPF filter (already resolved: generated or from the config). */
  filter: string;
  /** Bytes kept per packet. */
  snaplen: number;
  /** Kernel buffer in MiB. */
  bufferSizeMb: number;
}

/** Captures from a live interface through cap; timestamps are taken when a packet reaches JavaScript. */
export class LiveSource implements PacketSource {
  private stopRequested: (() => void) | undefined;
  private stopped = false;
  /** LINKTYPE of the open device, known after run() started. */
  linktype = -1;

  constructor(
    private readonly opts: LiveSourceOptions,
    private readonly cap: () => CapModule = loadCap,
  ) {}

  get description(): string {
    return `device ${this.opts.device}`;
  }

  private deviceChecked = false;

  /** Checks that the device exists, before anything else is started. */
  checkDevice(): void {
    if (this.deviceChecked) return;
    const { Cap } = this.cap();
    const names = Cap.deviceList().map((d) => d.name);
    if (!names.includes(this.opts.device)) {
      throw new CaptureUnavailableError(
        `no capture device named ${this.opts.device} (available: ${names.join(', ') || 'none'})`,
      );
    }
    this.deviceChecked = true;
  }

  /** Opens the device and delivers frames until stop(). Live capture never waits: the pipeline drops instead. */
  run(sink: FrameSink): Promise<SourceSummary> {
    const { Cap } = this.cap();
    this.checkDevice();
    const handle = new Cap();
    const buffer = Buffer.alloc(this.opts.snaplen);
    let linkName: string;
    try {
      linkName = handle.open(
        this.opts.device,
        this.opts.filter,
        this.opts.bufferSizeMb * 1024 * 1024,
        buffer,
      );
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new CaptureUnavailableError(
        `cannot capture on ${this.opts.device} with filter "${this.opts.filter}": ${why}`,
      );
    }
    const linktype = linktypeFromCap(linkName);
    this.linktype = linktype;
    const summary: SourceSummary = { frames: 0, bytes: 0, damage: [] };
    // One frame object reused for every packet: the sink must not keep it (same contract as PcapReader).
    const frame: Frame = { ts: 0, linktype, data: buffer, origLen: 0 };
    const origin = performance.timeOrigin;
    handle.on('packet', (nbytes: number, truncated: boolean) => {
      if (this.stopped) return;
      // Whole microseconds computed as a pcap reader does (sec * 1000 + usec / 1000), so that a
      // `--dump` of the capture replays to exactly the same events.
      const usecs = Math.round((origin + performance.now()) * 1000);
      const sec = Math.floor(usecs / 1e6);
      frame.ts = sec * 1000 + (usecs - sec * 1e6) / 1000;
      frame.data = buffer.subarray(0, nbytes);
      // cap does not tell the wire length of a cut packet; one more byte than kept marks the cut.
      frame.origLen = truncated ? nbytes + 1 : nbytes;
      summary.frames++;
      summary.bytes += nbytes;
      sink.frame(frame);
    });
    sink.ready();
    return new Promise((resolve) => {
      this.stopRequested = () => {
        handle.close();
        resolve(summary);
      };
      if (this.stopped) this.stopRequested();
    });
  }

  /** Stops capturing; run() resolves. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stopRequested?.();
  }
}
