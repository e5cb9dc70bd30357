import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import fs from 'fs';
import path from 'path';
import { plainBytes, type Frame } from '@wirebeat/tcp-reassembly';
import { CaptureUnavailableError } from '../errors';
import { CapModule, linktypeFromCap, loadCap } from './cap-loader';

const EMPTY = Buffer.alloc(0);

/** The capture process's script: beside this file once built; from dist/ when run from sources (tests). */
function captureChildScript(): string {
  const here = path.join(__dirname, 'capture-child.js');
  return fs.existsSync(here) ? here : path.join(__dirname, '../../dist/sources/capture-child.js');
}
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
  /** Niceness of the capture process (lower runs sooner); undefined keeps the beat's. */
  nice?: number;
}

/** Captures from a live interface through cap; timestamps are taken when a packet reaches JavaScript. */
export class LiveSource implements PacketSource {
  private child: ChildProcessWithoutNullStreams | undefined;
  private stopped = false;
  /** LINKTYPE of the open device, known after run() started. */
  linktype = -1;
  /** Packets the capture process dropped because the beat did not read them in time. */
  droppedPackets = 0;
  /** Ends a wait for room in the sink (set while reading is paused). */
  private resumeReading: (() => void) | undefined;

  constructor(
    private readonly opts: LiveSourceOptions,
    private readonly cap: () => CapModule = loadCap,
  ) {}

  /** True while reading is paused for room in the sink. */
  get holdsBack(): boolean {
    return this.resumeReading !== undefined;
  }

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

  /**
   * Opens the device and delivers frames until stop(). The capture runs in a child process (see
   * capture-child.ts): when the device goes away there, run() resolves with the failure in
   * `damage` instead of the beat aborting. When the sink is full (output or workers behind), reading
   * stops until it has room: the capture process keeps capturing and holds the packets (up to its
   * limit, then drops and counts them), so a short stall of the output loses nothing.
   */
  run(sink: FrameSink): Promise<SourceSummary> {
    this.checkDevice();
    const child = spawn(process.execPath, [captureChildScript(), JSON.stringify(this.opts)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    const summary: SourceSummary = { frames: 0, bytes: 0, damage: [] };
    let childErr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (childErr = (childErr + d).slice(-2000)));
    return new Promise((resolve, reject) => {
      const out = child.stdout;
      // Bytes received and not yet parsed start at `at`; while the sink waits for room, reading
      // stops and the capture process keeps the packets (in its memory, not the small kernel ring).
      let pending: Buffer = EMPTY;
      // The same bytes as a plain Uint8Array, for the frames (see PcapReader: one kind of byte array).
      let pendingBytes = plainBytes(EMPTY);
      let at = 0;
      let waiting = false;
      let frame: Frame | undefined;
      let failed: Error | undefined;
      const parse = (): void => {
        for (;;) {
          if (pending.length - at < 1) break;
          const type = pending[at];
          if (type === 0x52) {
            // 'R': the device opened (or not).
            if (pending.length - at < 5) break;
            const len = pending.readUInt32LE(at + 1);
            if (pending.length - at < 5 + len) break;
            const info = JSON.parse(pending.toString('utf8', at + 5, at + 5 + len)) as {
              linkName?: string;
              error?: string;
            };
            at += 5 + len;
            if (info.error !== undefined) {
              failed = new CaptureUnavailableError(
                `cannot capture on ${this.opts.device} with filter "${this.opts.filter}": ${info.error}`,
              );
              continue;
            }
            try {
              this.linktype = linktypeFromCap(info.linkName ?? '');
            } catch (err) {
              failed = err as Error;
              child.kill('SIGTERM');
              continue;
            }
            frame = { ts: 0, linktype: this.linktype, data: EMPTY, origLen: 0 };
            sink.ready();
            if (this.stopped) child.kill('SIGTERM');
            continue;
          }
          if (type === 0x44) {
            // 'D': packets the capture process dropped because this process did not read them.
            if (pending.length - at < 5) break;
            this.droppedPackets += pending.readUInt32LE(at + 1);
            at += 5;
            continue;
          }
          // 'P': one packet.
          if (pending.length - at < 14) break;
          const nbytes = pending.readUInt32LE(at + 9);
          if (pending.length - at < 14 + nbytes) break;
          const start = at;
          at += 14 + nbytes;
          if (frame !== undefined && !this.stopped) {
            // One frame object reused for every packet: the sink must not keep it (as with PcapReader).
            frame.ts = pending.readDoubleLE(start + 1);
            frame.data = pendingBytes.subarray(start + 14, at);
            // cap does not tell the wire length of a cut packet; one more byte than kept marks the cut.
            frame.origLen = pending[start + 13] === 1 ? nbytes + 1 : nbytes;
            summary.frames++;
            summary.bytes += nbytes;
            sink.frame(frame);
            if (sink.full === true && !this.stopped) {
              waiting = true;
              out.pause();
              const resume = (): void => {
                if (!waiting) return;
                waiting = false;
                this.resumeReading = undefined;
                parse();
                if (!waiting) out.resume();
              };
              this.resumeReading = resume;
              sink.waitForSpace().then(resume, resume);
              return;
            }
          }
        }
        // Keep only the unparsed tail (a copy: the chunk it came from can then be freed).
        pending = at === pending.length ? EMPTY : Buffer.from(pending.subarray(at));
        pendingBytes = plainBytes(pending);
        at = 0;
      };
      out.on('data', (data: Buffer) => {
        pending = pending.length === at ? data : Buffer.concat([pending.subarray(at), data]);
        pendingBytes = plainBytes(pending);
        at = 0;
        if (!waiting) parse();
      });
      child.once('error', (err) =>
        reject(new CaptureUnavailableError(`cannot start capture: ${err.message}`)),
      );
      child.once('close', (code, signal) => {
        this.child = undefined;
        if (failed !== undefined) return reject(failed);
        if (!this.stopped || (code !== 0 && code !== null) || (signal !== null && signal !== 'SIGTERM')) {
          summary.damage.push(this.failure(code, signal, childErr));
        }
        resolve(summary);
      });
    });
  }

  /** Why the capture ended without being asked to. */
  private failure(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
    const gone = process.platform === 'linux' && !fs.existsSync(`/sys/class/net/${this.opts.device}`);
    if (gone && this.opts.device !== 'any')
      return `capture on ${this.opts.device} stopped: the interface went away`;
    const how = signal !== null ? `signal ${signal}` : `exit code ${code}`;
    const line = stderr.trim().split('\n').pop() ?? '';
    return `capture on ${this.opts.device} stopped (${how})${line ? `: ${line}` : ''}`;
  }

  /** Stops capturing; run() resolves once the capture process has ended. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.child?.kill('SIGTERM');
    // Reading must go on to the end of the capture process's output, or it never ends.
    this.resumeReading?.();
  }
}
