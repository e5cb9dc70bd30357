// An incremental byte buffer for protocol parsers. Segments are kept as a list of chunks so a
// message spread over many segments is copied at most once (when it is collected), never on
// every append. Positions are absolute stream offsets, which makes snapshots plain numbers.
import { InvalidSnapshotError, StreamBufError, StreamParseError, StreamTooLargeError } from './errors';

/** Options of a StreamBuf; every field is optional. */
export interface StreamBufOptions {
  /** Most bytes the buffer retains (unconsumed bytes plus the current message); default 10 MiB. */
  maxSize?: number;
}

/** Something collectUntil / indexOf can search for: one byte value, a byte sequence or an ASCII string. */
export type Delimiter = number | Uint8Array | string;

/** A byte predicate for collectWhile. */
export type BytePredicate = (byte: number) => boolean;

const DEFAULT_MAX_SIZE = 10 * 1024 * 1024;
const CR = 13;
const LF = 10;
const CRLF = new Uint8Array([CR, LF]);
const EMPTY = new Uint8Array(0);
/**
 * Integer reads spanning chunks are assembled here. One for all buffers (a read fills and reads it
 * before returning), which spares every connection's parsers an allocation.
 */
const SCRATCH = new Uint8Array(8);
/** The chunk arrays of a buffer that never held a byte (never written: push() replaces them). */
const NO_CHUNKS: Uint8Array[] = Object.freeze([]) as unknown as Uint8Array[];
const NO_STARTS: number[] = Object.freeze([]) as unknown as number[];

/**
 * Work done by searches of every buffer: bytes examined plus chunks stepped over. Tests read it to
 * show that a parser re-polled after every segment does work linear in its input (no timings).
 */
let scanWork = 0;

/** Total search work of all buffers so far (bytes examined plus chunks visited). */
export function streamScanWork(): number {
  return scanWork;
}

/** Smallest and largest capacity of the buffer small owned copies are gathered in. */
const MIN_GATHER = 64;
const MAX_GATHER = 64 * 1024;

type BufferSlicer = (this: Uint8Array, start: number, end: number) => string;
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice: BufferSlicer }).latin1Slice;
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice: BufferSlicer }).utf8Slice;

/**
 * Decodes bytes (or bytes[start, end)) as Latin-1 (every byte one character), without copying them
 * into a Buffer first.
 */
export function decodeLatin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return latin1Slice.call(bytes, start, end);
}

/**
 * Decodes bytes (or bytes[start, end)) as UTF-8, invalid sequences becoming U+FFFD, without copying
 * them into a Buffer first; the range spares callers a subarray view per decode.
 */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return utf8Slice.call(bytes, start, end);
}

/** Bytes of each shared slab small copies are cut from (as Node's Buffer pool). */
const SLAB_BYTES = 8 * 1024;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/**
 * `n` bytes to write into, as a plain Uint8Array like the payloads the parsers get (see
 * tcp-reassembly's PcapReader: one kind of byte array). Sizes below half a slab are cut from a
 * shared slab, much cheaper than an ArrayBuffer each, as Buffer.allocUnsafe does with Node's pool
 * (whose Buffers would be a second kind, and are made by a JavaScript constructor).
 */
function allocBytes(n: number): Uint8Array {
  if (n >= SLAB_BYTES / 2) return new Uint8Array(n);
  if (slabUsed + n > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, n);
  slabUsed = (slabUsed + n + 7) & ~7;
  return out;
}

function ownedCopy(src: Uint8Array, from: number, to: number): Uint8Array {
  const out = allocBytes(to - from);
  out.set(from === 0 && to === src.length ? src : src.subarray(from, to));
  return out;
}

function toDelimiterBytes(delim: Delimiter): number | Uint8Array {
  if (typeof delim === 'number') return delim;
  if (typeof delim === 'string') {
    if (delim.length === 1) return delim.charCodeAt(0) & 0xff;
    return Buffer.from(delim, 'latin1');
  }
  if (delim.length === 1) return delim[0];
  return delim;
}

/**
 * Incremental buffer a parser feeds with TCP payloads and reads messages from.
 *
 * Reads return `undefined` when more bytes are needed (a cheap sentinel, never an exception);
 * parse errors set a sticky `error` that makes every read return `undefined` until reset().
 * Returned byte arrays are views where possible: views of appended or owned data stay valid,
 * views of borrowed data only until settle().
 */
export class StreamBuf {
  /** Most bytes retained before writes fail with StreamTooLargeError. */
  readonly maxSize: number;

  // Both arrays start as a shared empty one and are made on the first byte: a parser per direction
  // of every open connection has a buffer, and most of them never hold a partial message.
  private chunks: Uint8Array[] = NO_CHUNKS;
  /** Number of chunks in use (the arrays are reused, not truncated). */
  private n = 0;
  /** Absolute stream offset of each chunk's first byte. */
  private starts: number[] = NO_STARTS;
  /** Index of the first retained chunk. */
  private head = 0;
  /** Index of the first chunk whose bytes are borrowed (see borrow()), or -1. */
  private borrowedFrom = -1;
  /** Read position as chunk index and offset in that chunk. */
  private ci = 0;
  private co = 0;
  private readAbs = 0;
  private markAbs = 0;
  private endAbs = 0;
  private err: StreamBufError | undefined = undefined;
  /** Resumable search: the last unsuccessful search's key, read position and how far it looked. */
  private scanKey: unknown = undefined;
  private scanReadAbs = -1;
  private scanResumeAbs = 0;
  /** Where the integer being read lies: its chunk, or SCRATCH when it spans chunks. */
  private tmp: Uint8Array = SCRATCH;
  // Small owned copies (a message arriving a few bytes per segment) are gathered into one buffer
  // with spare room, so chunks stay few: one chunk per segment made every search step over them all.
  /** The buffer being filled, the chunk that is its used part, and where that part ends. */
  private gather: Uint8Array = EMPTY;
  private gatherView: Uint8Array = EMPTY;
  private gatherEnd = 0;

  /** Creates an empty buffer. */
  constructor(opts: StreamBufOptions = {}) {
    this.maxSize = opts.maxSize ?? DEFAULT_MAX_SIZE;
  }

  /** Unread bytes. */
  get available(): number {
    return this.endAbs - this.readAbs;
  }

  /** Bytes retained: the current message's consumed bytes plus the unread ones. */
  get length(): number {
    return this.endAbs - this.markAbs;
  }

  /** Bytes consumed by the current message since the last reset() (the size of a message on the wire). */
  get bufferConsumed(): number {
    return this.readAbs - this.markAbs;
  }

  /** Total bytes ever fed into this buffer; also the absolute offset of its end. */
  get totalWritten(): number {
    return this.endAbs;
  }

  /** The sticky error, if a parse error or the size limit stopped this buffer. */
  get error(): StreamBufError | undefined {
    return this.err;
  }

  /** True when a sticky error is set: reads return undefined until reset() or clear(). */
  get failed(): boolean {
    return this.err !== undefined;
  }

  /** Sets the sticky error (parsers use it for their own syntax errors). */
  fail(error: StreamBufError): void {
    if (this.err === undefined) this.err = error;
  }

  /** Adds bytes without copying: the caller promises they stay valid and unchanged while retained. */
  append(bytes: Uint8Array): boolean {
    return this.push(bytes, false);
  }

  /** Adds a copy of the bytes: for input that is reused after the call. */
  write(bytes: Uint8Array): boolean {
    if (bytes.length === 0) return !this.err;
    if (this.err !== undefined) return false;
    if (this.endAbs + bytes.length - this.markAbs > this.maxSize) {
      this.err = new StreamTooLargeError(this.maxSize, this.endAbs + bytes.length - this.markAbs);
      return false;
    }
    if (this.borrowedFrom < 0 && this.n > this.head && this.gatherInto(this.n - 1, bytes)) {
      this.endAbs += bytes.length;
      return true;
    }
    return this.push(this.ownSmall(bytes), false);
  }

  /**
   * Adds bytes without copying until settle() is called, which copies only what is still retained.
   * Feeding a segment with borrow(), collecting its complete messages and then calling settle()
   * copies nothing when the segment held whole messages: the common case.
   */
  borrow(bytes: Uint8Array): boolean {
    return this.push(bytes, true);
  }

  // maxSize and borrow(): a borrowed segment usually holds whole messages that are consumed before
  // settle(), so the limit applies to what settle() would retain, not to the segment.

  /** Copies the still retained part of borrowed bytes, so the caller may reuse its input. */
  settle(): void {
    if (this.borrowedFrom < 0) return;
    if (this.err === undefined && this.endAbs - this.markAbs > this.maxSize) {
      this.err = new StreamTooLargeError(this.maxSize, this.endAbs - this.markAbs);
    }
    const from = Math.max(this.borrowedFrom, this.head);
    // Dropped chunks must not keep the caller's (reused) memory alive.
    for (let i = this.borrowedFrom; i < from; i++) this.chunks[i] = EMPTY;
    this.borrowedFrom = -1;
    if (this.markAbs === this.endAbs) {
      this.dropAll();
      return;
    }
    // The retained borrowed chunks are copied, small ones gathered into the previous chunk.
    let w = from;
    for (let i = from; i < this.n; i++) {
      const chunk = this.chunks[i];
      const keepFrom = Math.max(0, this.markAbs - this.starts[i]);
      const start = this.starts[i] + keepFrom;
      this.chunks[i] = EMPTY;
      if (keepFrom >= chunk.length) continue;
      const bytes = keepFrom === 0 ? chunk : chunk.subarray(keepFrom);
      if (w > this.head && this.gatherInto(w - 1, bytes)) continue;
      this.chunks[w] = this.ownSmall(bytes);
      this.starts[w] = start;
      w++;
    }
    this.n = w;
    this.ci = this.locate(this.readAbs);
    this.co = this.readAbs - this.starts[this.ci];
  }

  /** Drops the consumed bytes and starts a new message: bufferConsumed becomes 0, the error is cleared. */
  reset(): void {
    this.err = undefined;
    this.markAbs = this.readAbs;
    if (this.readAbs === this.endAbs) {
      this.dropAll();
      return;
    }
    this.head = this.ci;
    if (this.head > 32 && this.head * 2 > this.n) {
      // Compact: move the retained chunks to the front (keeps the arrays, drops references).
      const keep = this.n - this.head;
      for (let i = 0; i < keep; i++) {
        this.chunks[i] = this.chunks[i + this.head];
        this.starts[i] = this.starts[i + this.head];
      }
      for (let i = keep; i < this.n; i++) this.chunks[i] = EMPTY;
      this.n = keep;
      this.ci -= this.head;
      if (this.borrowedFrom >= 0) this.borrowedFrom = Math.max(0, this.borrowedFrom - this.head);
      this.head = 0;
    }
  }

  /** Drops every byte, consumed or not, and the sticky error (used after a gap in the stream). */
  clear(): void {
    this.err = undefined;
    this.readAbs = this.endAbs;
    this.markAbs = this.endAbs;
    this.dropAll();
  }

  /**
   * Gives back the chunk arrays and the gathering buffer when nothing is retained, so that a
   * connection waiting between segments holds none (the next bytes make them again). For parsers
   * of many mostly idle connections; a no-op while bytes are retained.
   */
  release(): void {
    if (this.endAbs !== this.markAbs || this.borrowedFrom >= 0) return;
    this.dropAll();
    this.chunks = NO_CHUNKS;
    this.starts = NO_STARTS;
    this.gather = EMPTY;
    this.gatherView = EMPTY;
    this.gatherEnd = 0;
  }

  /** An opaque position to restore() for backtracking within the current message. */
  snapshot(): number {
    return this.readAbs;
  }

  /** Moves the read position back (or forward) to a snapshot taken since the last reset(). */
  restore(snapshot: number): void {
    if (snapshot < this.markAbs || snapshot > this.endAbs) {
      throw new InvalidSnapshotError(
        `snapshot ${snapshot} is outside the retained bytes ${this.markAbs}..${this.endAbs}`,
      );
    }
    const i = this.n === 0 ? 0 : this.locate(snapshot);
    this.ci = i;
    this.co = this.n === 0 ? 0 : snapshot - this.starts[i];
    this.readAbs = snapshot;
  }

  /** Consumes n bytes; undefined when fewer are available. A view when they lie in one chunk, else a copy. */
  collect(n: number): Uint8Array | undefined {
    if (this.err !== undefined || this.endAbs - this.readAbs < n) return undefined;
    return this.take(n);
  }

  /** Consumes bytes up to and including the delimiter; undefined until the delimiter has arrived. */
  collectUntil(delim: Delimiter): Uint8Array | undefined {
    if (this.err !== undefined) return undefined;
    const d = typeof delim === 'number' ? delim : toDelimiterBytes(delim);
    if (typeof d === 'number' && this.ci < this.n && this.scanReadAbs !== this.readAbs) {
      // Fast path (no earlier search to resume): the delimiter is in the current chunk.
      const chunk = this.chunks[this.ci];
      const at = chunk.indexOf(d, this.co);
      scanWork += (at < 0 ? chunk.length : at + 1) - this.co;
      if (at >= 0) return this.take(at + 1 - this.co);
    }
    const at = this.search(d, 0, delim);
    if (at < 0) return undefined;
    return this.take(at + (typeof d === 'number' ? 1 : d.length));
  }

  /** Consumes bytes while pred holds; undefined until a byte that fails pred has arrived (not consumed). */
  collectWhile(pred: BytePredicate): Uint8Array | undefined {
    if (this.err !== undefined) return undefined;
    let from = 0;
    if (this.scanKey === pred && this.scanReadAbs === this.readAbs) from = this.scanResumeAbs - this.readAbs;
    let i = this.ci;
    let o = this.co;
    let rel = 0; // offset of chunks[i][o] from the read position
    if (from > 0) [i, o, rel] = this.seek(from);
    while (i < this.n) {
      const chunk = this.chunks[i];
      const rest = chunk.length - o;
      scanWork++;
      if (from < rel + rest) {
        const k0 = o + Math.max(0, from - rel);
        scanWork += chunk.length - k0;
        for (let k = k0; k < chunk.length; k++) {
          if (!pred(chunk[k])) return this.take(rel + k - o);
        }
      }
      rel += rest;
      i++;
      o = 0;
    }
    this.remember(pred, this.endAbs);
    return undefined;
  }

  /** Offset (from the read position) of the next delimiter at or after `from`, or -1 if not yet seen. */
  indexOf(delim: Delimiter, from = 0): number {
    if (this.err !== undefined) return -1;
    return this.search(toDelimiterBytes(delim), from, undefined);
  }

  /** The next n bytes without consuming them; undefined when fewer are available. */
  peek(n: number): Uint8Array | undefined {
    if (this.err !== undefined || this.endAbs - this.readAbs < n) return undefined;
    const saveCi = this.ci;
    const saveCo = this.co;
    const saveAbs = this.readAbs;
    const out = this.take(n);
    this.ci = saveCi;
    this.co = saveCo;
    this.readAbs = saveAbs;
    return out;
  }

  /** The byte at offset i from the read position without consuming it; undefined if not yet available. */
  peekByte(i = 0): number | undefined {
    if (this.err !== undefined || i < 0 || this.endAbs - this.readAbs <= i) return undefined;
    let c = this.ci;
    let o = this.co + i;
    if (o >= this.chunks[c].length && this.n - c > 8) {
      c = this.locate(this.readAbs + i);
      o = this.readAbs + i - this.starts[c];
    }
    while (o >= this.chunks[c].length) {
      o -= this.chunks[c].length;
      c++;
    }
    return this.chunks[c][o];
  }

  /** Consumes n bytes without returning them; false when fewer are available. */
  skip(n: number): boolean {
    if (this.err !== undefined || this.endAbs - this.readAbs < n) return false;
    this.advance(n);
    return true;
  }

  /** Consumes a line ending in CRLF and returns it without the CRLF. */
  collectLineCrlf(): Uint8Array | undefined {
    const line = this.collectUntil(CRLF);
    return line === undefined ? undefined : line.subarray(0, line.length - 2);
  }

  /** Consumes a CRLF-terminated line and decodes it as Latin-1, without the CRLF. */
  readLineCrlf(): string | undefined {
    const line = this.collectLineCrlf();
    return line === undefined ? undefined : decodeLatin1(line);
  }

  /** Consumes n bytes decoded as Latin-1 (ASCII-safe). */
  readAscii(n: number): string | undefined {
    return this.readText(n, latin1Slice);
  }

  /**
   * Consumes n bytes decoded as UTF-8 (invalid sequences become U+FFFD). Bytes within one chunk
   * are decoded where they lie: no view, no copy.
   */
  readUtf8(n: number): string | undefined {
    return this.readText(n, utf8Slice);
  }

  /**
   * Consumes a line ending in LF and returns it decoded as Latin-1, without the LF and a CR just
   * before it; undefined until the LF has arrived. Like collectUntil(LF) then decoding, but a
   * line within one chunk is decoded where it lies (a parser of text heads makes no view per line).
   * bufferConsumed tells how many bytes the line took.
   */
  readLineLatin1(): string | undefined {
    if (this.err !== undefined) return undefined;
    if (this.ci < this.n && this.scanReadAbs !== this.readAbs) {
      const chunk = this.chunks[this.ci];
      const start = this.co;
      const at = chunk.indexOf(LF, start);
      scanWork += (at < 0 ? chunk.length : at + 1) - start;
      if (at >= 0) {
        this.advance(at + 1 - start);
        const end = at > start && chunk[at - 1] === CR ? at - 1 : at;
        return latin1Slice.call(chunk, start, end);
      }
    }
    // A search resumed after earlier segments (the usual first line of a message): it too is
    // decoded where it lies when the line is within one chunk.
    const at = this.search(LF, 0, LF);
    if (at < 0) return undefined;
    const chunk = this.chunks[this.ci];
    const start = this.co;
    if (start + at < chunk.length) {
      this.advance(at + 1);
      const end = at > 0 && chunk[start + at - 1] === CR ? start + at - 1 : start + at;
      return latin1Slice.call(chunk, start, end);
    }
    const line = this.take(at + 1);
    let end = line.length - 1;
    if (end > 0 && line[end - 1] === CR) end--;
    return latin1Slice.call(line, 0, end);
  }

  /** Consumes n bytes decoded by `slicer`; within one chunk without a view. */
  private readText(n: number, slicer: BufferSlicer): string | undefined {
    if (this.err !== undefined || this.endAbs - this.readAbs < n) return undefined;
    if (n === 0) return '';
    const chunk = this.chunks[this.ci];
    const start = this.co;
    if (start + n <= chunk.length) {
      this.advance(n);
      return slicer.call(chunk, start, start + n);
    }
    const bytes = this.take(n);
    return slicer.call(bytes, 0, n);
  }

  /**
   * Consumes an ASCII decimal integer (optional leading '-'), stopping before the first non-digit.
   * undefined while the digits may continue; a missing number or one beyond 2^53 sets a StreamParseError.
   */
  readDecimal(): number | undefined {
    if (this.err !== undefined) return undefined;
    const avail = this.endAbs - this.readAbs;
    let i = 0;
    let negative = false;
    if (avail > 0 && this.peekByte(0) === 0x2d) {
      negative = true;
      i = 1;
    }
    let value = 0;
    const firstDigit = i;
    for (; i < avail; i++) {
      const b = this.peekByte(i)!;
      if (b < 0x30 || b > 0x39) break;
      value = value * 10 + (b - 0x30);
    }
    if (i === avail) return undefined;
    if (i === firstDigit) {
      this.fail(new StreamParseError('expected a decimal number', this.bufferConsumed + i));
      return undefined;
    }
    if (!Number.isSafeInteger(value)) {
      this.fail(new StreamParseError('decimal number too large', this.bufferConsumed));
      return undefined;
    }
    this.advance(i);
    return negative ? -value : value;
  }

  /** Reads an unsigned 8-bit integer. */
  readUint8(): number | undefined {
    const o = this.prep(1);
    return o < 0 ? undefined : this.tmp[o];
  }

  /** Reads a signed 8-bit integer. */
  readInt8(): number | undefined {
    const o = this.prep(1);
    return o < 0 ? undefined : (this.tmp[o] << 24) >> 24;
  }

  /** Reads an unsigned 16-bit big-endian integer. */
  readUint16BE(): number | undefined {
    const o = this.prep(2);
    return o < 0 ? undefined : (this.tmp[o] << 8) | this.tmp[o + 1];
  }

  /** Reads an unsigned 16-bit little-endian integer. */
  readUint16LE(): number | undefined {
    const o = this.prep(2);
    return o < 0 ? undefined : this.tmp[o] | (this.tmp[o + 1] << 8);
  }

  /** Reads a signed 16-bit big-endian integer. */
  readInt16BE(): number | undefined {
    const o = this.prep(2);
    return o < 0 ? undefined : (((this.tmp[o] << 8) | this.tmp[o + 1]) << 16) >> 16;
  }

  /** Reads a signed 16-bit little-endian integer. */
  readInt16LE(): number | undefined {
    const o = this.prep(2);
    return o < 0 ? undefined : ((this.tmp[o] | (this.tmp[o + 1] << 8)) << 16) >> 16;
  }

  /** Reads an unsigned 32-bit big-endian integer. */
  readUint32BE(): number | undefined {
    const o = this.prep(4);
    return o < 0 ? undefined : this.u32be(o);
  }

  /** Reads an unsigned 32-bit little-endian integer. */
  readUint32LE(): number | undefined {
    const o = this.prep(4);
    return o < 0 ? undefined : this.u32le(o);
  }

  /** Reads a signed 32-bit big-endian integer. */
  readInt32BE(): number | undefined {
    const o = this.prep(4);
    return o < 0 ? undefined : this.u32be(o) | 0;
  }

  /** Reads a signed 32-bit little-endian integer. */
  readInt32LE(): number | undefined {
    const o = this.prep(4);
    return o < 0 ? undefined : this.u32le(o) | 0;
  }

  /** Reads an unsigned 64-bit big-endian integer as a bigint. */
  readBigUint64BE(): bigint | undefined {
    const o = this.prep(8);
    return o < 0 ? undefined : (BigInt(this.u32be(o)) << 32n) | BigInt(this.u32be(o + 4));
  }

  /** Reads an unsigned 64-bit little-endian integer as a bigint. */
  readBigUint64LE(): bigint | undefined {
    const o = this.prep(8);
    return o < 0 ? undefined : (BigInt(this.u32le(o + 4)) << 32n) | BigInt(this.u32le(o));
  }

  /** Reads a signed 64-bit big-endian integer as a bigint. */
  readBigInt64BE(): bigint | undefined {
    const o = this.prep(8);
    return o < 0 ? undefined : BigInt.asIntN(64, (BigInt(this.u32be(o)) << 32n) | BigInt(this.u32be(o + 4)));
  }

  /** Reads a signed 64-bit little-endian integer as a bigint. */
  readBigInt64LE(): bigint | undefined {
    const o = this.prep(8);
    return o < 0 ? undefined : BigInt.asIntN(64, (BigInt(this.u32le(o + 4)) << 32n) | BigInt(this.u32le(o)));
  }

  private u32be(o: number): number {
    const t = this.tmp;
    return t[o] * 0x1000000 + ((t[o + 1] << 16) | (t[o + 2] << 8) | t[o + 3]);
  }

  private u32le(o: number): number {
    const t = this.tmp;
    return t[o + 3] * 0x1000000 + ((t[o + 2] << 16) | (t[o + 1] << 8) | t[o]);
  }

  /** Makes n bytes readable at this.tmp[offset] and consumes them; -1 when fewer are available. */
  private prep(n: number): number {
    if (this.err !== undefined || this.endAbs - this.readAbs < n) return -1;
    const chunk = this.chunks[this.ci];
    if (this.co + n <= chunk.length) {
      const o = this.co;
      this.tmp = chunk;
      this.advance(n);
      return o;
    }
    this.copyOut(SCRATCH, n);
    this.tmp = SCRATCH;
    return 0;
  }

  private push(bytes: Uint8Array, borrowed: boolean): boolean {
    if (this.err !== undefined) return false;
    const n = bytes.length;
    if (n === 0) return true;
    if (!borrowed && this.endAbs + n - this.markAbs > this.maxSize) {
      this.err = new StreamTooLargeError(this.maxSize, this.endAbs + n - this.markAbs);
      return false;
    }
    if (borrowed && this.borrowedFrom < 0) this.borrowedFrom = this.n;
    if (this.chunks === NO_CHUNKS) {
      this.chunks = [];
      this.starts = [];
    }
    this.chunks[this.n] = bytes;
    this.starts[this.n] = this.endAbs;
    this.n++;
    // The read position sits at the end of the last chunk when everything was read: move it on.
    if (this.readAbs === this.endAbs) {
      this.ci = this.n - 1;
      this.co = 0;
    }
    this.endAbs += n;
    return true;
  }

  private dropAll(): void {
    // Keep the arrays (truncating them would free their storage, re-allocated on the next
    // segment); only drop the references so borrowed or consumed bytes can be collected.
    for (let i = 0; i < this.n; i++) this.chunks[i] = EMPTY;
    this.n = 0;
    this.head = 0;
    this.ci = 0;
    this.co = 0;
    this.borrowedFrom = -1;
  }

  /** Moves the read position n bytes on (n must be available). */
  private advance(n: number): void {
    this.readAbs += n;
    let co = this.co + n;
    let ci = this.ci;
    const last = this.n - 1;
    while (ci < last && co >= this.chunks[ci].length) {
      co -= this.chunks[ci].length;
      ci++;
    }
    this.ci = ci;
    this.co = co;
  }

  /** Consumes n available bytes, as a view if they lie in one chunk, else as a copy. */
  private take(n: number): Uint8Array {
    if (n === 0) return EMPTY;
    const chunk = this.chunks[this.ci];
    if (this.co + n <= chunk.length) {
      const start = this.co;
      this.advance(n);
      return chunk.subarray(start, start + n);
    }
    const out = allocBytes(n);
    this.copyOut(out, n);
    return out;
  }

  /** Copies the next n available bytes into out and consumes them. */
  private copyOut(out: Uint8Array, n: number): void {
    let done = 0;
    while (done < n) {
      const chunk = this.chunks[this.ci];
      const part = Math.min(n - done, chunk.length - this.co);
      out.set(chunk.subarray(this.co, this.co + part), done);
      done += part;
      this.co += part;
      if (this.co >= chunk.length && this.ci < this.n - 1) {
        this.ci++;
        this.co = 0;
      }
    }
    this.readAbs += n;
  }

  /**
   * Where a search starting `from` bytes past the read position begins: the chunk holding that byte
   * (found by bisection, not by stepping over every chunk before it), its start offset in the chunk
   * when it is the current one, and the chunk's offset from the read position.
   */
  private seek(from: number): [number, number, number] {
    if (this.ci >= this.n || this.co + from < this.chunks[this.ci].length) return [this.ci, this.co, 0];
    const i = this.locate(Math.min(this.readAbs + from, this.endAbs));
    if (i <= this.ci) return [this.ci, this.co, 0];
    return [i, 0, this.starts[i] - this.readAbs];
  }

  /** Index of the retained chunk holding absolute offset abs (the last chunk for the end offset). */
  private locate(abs: number): number {
    let lo = this.head;
    let hi = this.n - 1;
    while (lo < hi) {
      scanWork++;
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= abs) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** An owned copy of bytes; a small one goes into a fresh gather buffer with room to grow. */
  private ownSmall(bytes: Uint8Array): Uint8Array {
    const len = bytes.length;
    if (len >= MAX_GATHER / 2) return ownedCopy(bytes, 0, len);
    const cap = Math.min(MAX_GATHER, Math.max(MIN_GATHER, 2 * len, 2 * this.gatherView.length));
    this.gather = allocBytes(cap);
    this.gather.set(bytes);
    this.gatherEnd = len;
    this.gatherView = this.gather.subarray(0, len);
    return this.gatherView;
  }

  /**
   * Appends a copy of bytes to chunk i when it is the gather buffer's used part and there is room;
   * the bytes it already holds stay where they are, so views handed out earlier remain valid.
   */
  private gatherInto(i: number, bytes: Uint8Array): boolean {
    const view = this.chunks[i];
    if (view !== this.gatherView || view.length === 0) return false;
    if (this.gatherEnd + bytes.length > this.gather.length) return false;
    this.gather.set(bytes, this.gatherEnd);
    const begin = this.gatherEnd - view.length;
    this.gatherEnd += bytes.length;
    this.gatherView = this.gather.subarray(begin, this.gatherEnd);
    this.chunks[i] = this.gatherView;
    return true;
  }

  private remember(key: unknown, resumeAbs: number): void {
    this.scanKey = key;
    this.scanReadAbs = this.readAbs;
    this.scanResumeAbs = Math.max(this.readAbs, resumeAbs);
  }

  /**
   * Offset from the read position of the first occurrence of d at or after `from`, or -1.
   * With a cache key, an unsuccessful search remembers how far it looked so that a parser
   * re-polling after every segment scans each byte once, not once per segment (no quadratic cost).
   */
  private search(d: number | Uint8Array, from: number, key: unknown): number {
    const dlen = typeof d === 'number' ? 1 : d.length;
    if (key !== undefined && this.scanKey === key && this.scanReadAbs === this.readAbs) {
      from = Math.max(from, this.scanResumeAbs - this.readAbs);
    }
    const first = typeof d === 'number' ? d : d[0];
    let i = this.ci;
    let o = this.co;
    let rel = 0; // offset of chunks[i][o] from the read position
    if (from > 0) [i, o, rel] = this.seek(from);
    while (i < this.n) {
      const chunk = this.chunks[i];
      const chunkRest = chunk.length - o;
      scanWork++;
      if (from < rel + chunkRest) {
        const start = o + Math.max(0, from - rel);
        let at = chunk.indexOf(first, start);
        scanWork += (at < 0 ? chunk.length : at + 1) - start;
        while (at >= 0) {
          const pos = rel + at - o;
          if (dlen === 1 || this.matchesAt(d as Uint8Array, i, at)) return pos;
          at = chunk.indexOf(first, at + 1);
        }
      }
      rel += chunkRest;
      i++;
      o = 0;
    }
    if (key !== undefined) this.remember(key, this.endAbs - (dlen - 1));
    return -1;
  }

  /** True when the delimiter's bytes start at chunks[i][o]; false when they differ or are not all here. */
  private matchesAt(d: Uint8Array, i: number, o: number): boolean {
    for (let k = 1; k < d.length; k++) {
      o++;
      while (i < this.n && o >= this.chunks[i].length) {
        o -= this.chunks[i].length;
        i++;
      }
      if (i >= this.n || this.chunks[i][o] !== d[k]) return false;
    }
    return true;
  }
}
