// Streaming reader of classic pcap and pcapng captures. The input is consumed chunk by chunk, so a
// capture larger than memory works; frames are views into the current chunk (no copy). The formats
// themselves are parsed in pcap-format.ts and pcapng-format.ts.
import type { Readable } from 'stream';
import { u32be } from './byte-order';
import {
  BufferByteSource,
  FileByteSource,
  plainBytes,
  StreamByteSource,
  type ByteSource,
} from './byte-source';
import { CaptureState, type RecordParser } from './capture-state';
import { CaptureWarning, InvalidOptionError, NotACaptureError, TruncatedCaptureWarning } from './errors';
import { pcapByteOrder, PcapRecordParser } from './pcap-format';
import { PCAPNG_SHB, PcapngBlockParser } from './pcapng-format';
import type { Frame } from './types';

/** Options of PcapReader.open. */
export interface PcapReaderOptions {
  /** Bytes read from a file at a time; default 4 MiB. */
  chunkSize?: number;
  /** Name used in errors and warnings; default the path, `<buffer>` or `<stream>`. */
  name?: string;
}

/** Bytes of a chunk copied behind the unparsed bytes of the last one (more if a record needs it). */
const BRIDGE_BYTES = 16 * 1024;

const enum State {
  Magic,
  Records,
  Done,
}

/** Reads frames from a pcap or pcapng capture given as a path, a Buffer or a Readable. */
export class PcapReader implements AsyncIterable<Frame> {
  private readonly st: CaptureState;
  private detected: 'pcap' | 'pcapng' | undefined;
  private state = State.Magic;
  private parser: RecordParser | undefined;
  private failure: Error | undefined;
  private summarized = false;
  /** The Frame forEach hands out, refilled for every frame (see RecordParser.next). */
  private readonly reusedFrame: Frame = {
    ts: 0,
    tsNanos: undefined,
    linktype: 0,
    data: new Uint8Array(0),
    origLen: 0,
  };
  /** The part of a chunk not yet copied into the bridge buffer being parsed (see join). */
  private rest: Uint8Array | undefined;
  /** The chunk whose start the bridge holds after its first bridgeLeft bytes. */
  private bridged: Uint8Array | undefined;
  private bridgeLeft = 0;
  /** The buffer not in use, for file input (see fillInto). */
  private spare: Uint8Array | undefined;

  private constructor(
    private readonly source: ByteSource,
    private readonly chunkSize = 4 * 1024 * 1024,
  ) {
    this.st = new CaptureState(source.name);
  }

  /** Opens a capture; a missing or unreadable path throws CaptureFileError right away. */
  static open(source: string | Uint8Array | Readable, opts: PcapReaderOptions = {}): PcapReader {
    const chunkSize = opts.chunkSize ?? 4 * 1024 * 1024;
    if (!(Number.isInteger(chunkSize) && chunkSize > 0)) {
      throw new InvalidOptionError(`PcapReader chunkSize must be a positive integer, got ${chunkSize}`);
    }
    if (typeof source === 'string')
      return new PcapReader(new FileByteSource(opts.name ?? source, chunkSize), chunkSize);
    if (source instanceof Uint8Array)
      return new PcapReader(new BufferByteSource(opts.name ?? '<buffer>', source));
    return new PcapReader(new StreamByteSource(opts.name ?? '<stream>', source));
  }

  /** Non-fatal problems met so far (truncated or corrupt tail). */
  get warnings(): CaptureWarning[] {
    return this.st.warnings;
  }

  /** Frames delivered so far. */
  get framesRead(): number {
    return this.st.framesRead;
  }

  /** Frames whose captured length is shorter than their wire length (snaplen cut). */
  get framesTruncated(): number {
    return this.st.framesTruncated;
  }

  /** pcapng blocks skipped (unknown types, or packets of undeclared interfaces). */
  get blocksSkipped(): number {
    return this.st.blocksSkipped;
  }

  /** Packets skipped because their timestamp is outside years 1970..9999 (see TimestampOutOfRangeWarning). */
  get framesBadTimestamp(): number {
    return this.st.framesBadTimestamp;
  }

  /** pcapng packets skipped because their interface was never declared (see UndeclaredInterfaceWarning). */
  get framesUndeclaredInterface(): number {
    return this.st.framesUndeclaredInterface;
  }

  /** Frames delivered whose link type cannot be decoded (counted when reading ends; see UnsupportedLinkTypeWarning). */
  get framesUnsupportedLinktype(): number {
    return this.st.framesUnsupportedLinktype;
  }

  /** 'pcap' or 'pcapng' once the first bytes were read (after the first frame or `forEach` started). */
  get format(): 'pcap' | 'pcapng' {
    return this.detected ?? 'pcap';
  }

  /** Bytes of the input consumed so far. */
  get bytesRead(): number {
    return this.st.bytesRead;
  }

  /** The source name used in messages (path, `<buffer>` or `<stream>`). */
  get name(): string {
    return this.source.name;
  }

  /** Frames in capture order; a frame's data may be reused once the next frame is requested. */
  [Symbol.asyncIterator](): AsyncIterator<Frame> {
    return {
      next: () => {
        if (this.state === State.Records) {
          const f = (this.parser as RecordParser).next();
          if (f !== undefined) return Promise.resolve({ done: false, value: f });
          if (this.st.stopped) this.finish();
        }
        return this.nextSlow();
      },
      return: () => {
        this.finish();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  /**
   * Calls `onFrame` for every frame, synchronously for all frames of a chunk: much cheaper than
   * `for await` per frame. The Frame object and its data are only valid during the call. When
   * `onFrame` returns a promise, the next frame waits for it (backpressure inside a chunk: a
   * consumer whose output is full pauses the reading at that frame, not at the chunk's end); any
   * other value it returns is ignored.
   */
  async forEach(onFrame: (frame: Frame) => unknown): Promise<void> {
    try {
      for (;;) {
        if (this.state === State.Magic) this.parseMagic();
        if (this.state === State.Records) {
          const parser = this.parser as RecordParser;
          let wait: Promise<unknown> | undefined;
          while ((wait = this.deliver(parser, onFrame)) !== undefined) await wait;
          if (this.st.stopped) this.finish();
        }
        if (this.state === State.Done) break;
        if (!(await this.fill())) {
          this.atEof();
          break;
        }
      }
    } finally {
      this.finish();
    }
    if (this.failure) throw this.failure;
  }

  /**
   * The frames of the current chunk, until one makes onFrame return a promise (returned). A plain
   * function: the hot loop keeps its locals in registers, which it would not inside the async
   * forEach (whose locals live across its awaits).
   */
  private deliver(parser: RecordParser, onFrame: (frame: Frame) => unknown): Promise<unknown> | undefined {
    let f: Frame | undefined;
    // One Frame object for every frame (valid only during onFrame): none made per frame.
    const reused = this.reusedFrame;
    // The state check lets onFrame stop the reading with close().
    while (this.state === State.Records && (f = parser.next(reused)) !== undefined) {
      const wait = onFrame(f);
      if (wait !== undefined && wait instanceof Promise) return wait;
    }
    return undefined;
  }

  /** Stops reading and releases the input. */
  close(): void {
    this.finish();
  }

  private async nextSlow(): Promise<IteratorResult<Frame>> {
    try {
      for (;;) {
        if (this.state === State.Magic) this.parseMagic();
        if (this.state === State.Records) {
          const f = (this.parser as RecordParser).next();
          if (f !== undefined) return { done: false, value: f };
          if (this.st.stopped) this.finish();
        }
        if (this.state === State.Done) break;
        if (!(await this.fill())) {
          this.atEof();
          break;
        }
      }
    } catch (err) {
      this.finish();
      throw err;
    }
    this.finish();
    if (this.failure) {
      const f = this.failure;
      this.failure = undefined;
      throw f;
    }
    return { done: true, value: undefined };
  }

  private finish(): void {
    if (!this.summarized) {
      this.summarized = true;
      this.parser?.finish?.();
      this.st.summarize();
    }
    this.state = State.Done;
    this.source.close();
  }

  /** Appends the next chunk after the unparsed bytes; false at the end of the input. */
  private async fill(): Promise<boolean> {
    if (this.source.readInto !== undefined) return this.fillInto(this.source.readInto.bind(this.source));
    const st = this.st;
    const rest = this.rest;
    if (rest !== undefined) {
      this.rest = undefined;
      const bridged = this.bridged as Uint8Array;
      this.bridged = undefined;
      // The bridge's unparsed bytes all came from the chunk: go on in the chunk itself.
      if (st.pos >= this.bridgeLeft) {
        st.base += this.bridgeLeft;
        st.buf = bridged;
        st.pos -= this.bridgeLeft;
        st.end = bridged.length;
        return true;
      }
      this.join(rest);
      return true;
    }
    const chunk = await this.source.next();
    if (chunk === undefined) return false;
    this.join(chunk);
    return true;
  }

  /**
   * Makes `chunk` the bytes to parse after the unparsed ones. When a record spans the two, only
   * the unparsed bytes and the start of the chunk are copied, into a small bridge buffer; once
   * parsing reaches the chunk's own bytes, fill() moves into the chunk (copying whole chunks cost
   * a copy of the capture).
   *
   * Frames are plain Uint8Array views, whatever the input gives (Node's reads give Buffers): V8
   * optimises the decoders and parsers for the one kind of byte array they see, and a Buffer's
   * subarray runs Buffer's JavaScript constructor for every frame, where a Uint8Array's is native.
   */
  private join(input: Uint8Array): void {
    const chunk = plainBytes(input);
    const st = this.st;
    const left = st.end - st.pos;
    if (left === 0) {
      st.base += st.end;
      st.buf = chunk;
      st.pos = 0;
      st.end = chunk.length;
      return;
    }
    const take = Math.min(chunk.length, Math.max(st.need - left, BRIDGE_BYTES));
    const bridge = new Uint8Array(left + take);
    bridge.set(st.buf.subarray(st.pos, st.end), 0);
    bridge.set(take === chunk.length ? chunk : chunk.subarray(0, take), left);
    if (take < chunk.length) {
      this.rest = chunk.subarray(take);
      this.bridged = chunk;
      this.bridgeLeft = left;
    }
    st.base += st.pos;
    st.buf = bridge;
    st.pos = 0;
    st.end = left + take;
  }

  /**
   * File input: two buffers take turns, so that reading allocates nothing after the start. The
   * unparsed tail moves to the front of the other buffer, which frames handed out before may
   * still view: the contract allows reusing frame data after the next frame is requested.
   */
  private async fillInto(
    readInto: (t: Uint8Array, o: number, l: number) => Promise<number>,
  ): Promise<boolean> {
    const st = this.st;
    const left = st.end - st.pos;
    const want = Math.max(this.chunkSize, st.need - left);
    let target = this.spare;
    if (target === undefined || target.length < left + want) target = new Uint8Array(left + want);
    if (left > 0) target.set(st.buf.subarray(st.pos, st.end), 0);
    const n = await readInto(target, left, target.length - left);
    if (n === 0) return false;
    this.spare = st.buf.length >= this.chunkSize ? st.buf : undefined;
    st.base += st.pos;
    st.buf = target;
    st.pos = 0;
    st.end = left + n;
    return true;
  }

  /** End of input: anything left unparsed is a truncated record (or a non-capture). */
  private atEof(): void {
    const st = this.st;
    const left = st.end - st.pos;
    if (this.state === State.Magic) {
      if (left < 4 || this.detected === undefined) {
        this.failure = new NotACaptureError(this.source.name, st.buf.subarray(st.pos, st.end));
      } else {
        st.warn(
          new TruncatedCaptureWarning(
            this.source.name,
            st.bytesRead,
            0,
            `file header cut after ${left} bytes`,
          ),
        );
      }
    } else if (this.state === State.Records && left > 0) {
      const what =
        st.need > left ? `${left} of ${st.need} bytes of the last record` : `${left} trailing bytes`;
      st.warn(new TruncatedCaptureWarning(this.source.name, st.bytesRead, st.framesRead, what));
    }
    this.state = State.Done;
  }

  /** Reads the magic number and picks the format parser (classic pcap needs its whole file header). */
  private parseMagic(): void {
    const st = this.st;
    const b = st.buf;
    const p = st.pos;
    if (st.end - p < 4) return;
    if (u32be(b, p) === PCAPNG_SHB) {
      this.detected = 'pcapng';
      this.parser = new PcapngBlockParser(st);
      this.state = State.Records;
      return;
    }
    const order = pcapByteOrder(b, p);
    if (order === undefined) {
      this.state = State.Done;
      this.source.close();
      throw new NotACaptureError(this.source.name, b.subarray(p, Math.min(st.end, p + 16)));
    }
    this.detected = 'pcap';
    if (st.end - p < 24) return;
    this.parser = new PcapRecordParser(st, order === 'le');
    this.state = State.Records;
  }
}

/** Reads a whole capture into an array of frames with copied data (for tests and small files). */
export async function readAllFrames(
  source: string | Uint8Array | Readable,
  opts?: PcapReaderOptions,
): Promise<{ frames: Frame[]; warnings: CaptureWarning[]; format: 'pcap' | 'pcapng' }> {
  const reader = PcapReader.open(source, opts);
  const frames: Frame[] = [];
  await reader.forEach((f) => frames.push({ ...f, data: Buffer.from(f.data) }));
  return { frames, warnings: reader.warnings, format: reader.format };
}
