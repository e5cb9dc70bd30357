// Splits one direction of a binary-protocol memcache stream into messages: a 24-byte header, then
// extras, key and value. Header, extras and key are bounded by the format (24 + 255 + 65535
// bytes); values are counted as they pass and only their first bytes are kept, for the few
// replies whose value is published (counter, version, stat). The stat replies of one Stat request
// (same opaque, the last with an empty key) make one reply.
import { addNote } from '@wirebeat/applayer';
import { StreamBuf, decodeUtf8 } from '@wirebeat/streambuf';
import { opcodeInfo, statusName } from './codes';
import type { MemcacheMessage } from './message';
import { addKey, newMessage, type MemcacheLimits, type Stamp } from './stamp';

/** Request and response magic bytes: the first byte of every binary message. */
export const MAGIC_REQUEST = 0x80;
export const MAGIC_RESPONSE = 0x81;
const HEADER = 24;
/** Value bytes kept for counter, version and stat replies. */
const KEPT_VALUE = 256;
const OP_INCR = 0x05;
const OP_DECR = 0x06;
const OP_VERSION = 0x0b;
const OP_STAT = 0x10;

/** Notes on binary messages. */
export const BinaryNotes = {
  valueHitByGap: 'value bytes lost in a gap in the stream',
  badHeader: 'not a memcache binary header: the rest of this direction is not analysed',
} as const;

/** Parser of one direction of a binary-protocol stream (0: requests, 1: responses). */
export class BinaryParser {
  private readonly buf = new StreamBuf({ maxSize: 2 * (HEADER + 255 + 65535) });
  private readonly magic: number;
  /** The message whose value is being read, and its opcode. */
  private current: MemcacheMessage | undefined = undefined;
  private opcode = 0;
  /** Value bytes still to come; -1 between messages. */
  private valueLeft = -1;
  private kept: Buffer[] = [];
  private keptBytes = 0;
  /** Stat replies gathered so far (one Stat request gets many). */
  private stats: MemcacheMessage | undefined = undefined;
  /** Value bytes of `current`. */
  private valueTotal = 0;
  private msgTs = 0;
  /** Stopped for good (bad header, or a gap it cannot step over). */
  broken = false;

  /** Creates the parser of one direction. */
  constructor(
    private readonly stamp: Stamp,
    private readonly limits: MemcacheLimits,
  ) {
    this.magic = stamp.direction === 0 ? MAGIC_REQUEST : MAGIC_RESPONSE;
  }

  /** Parses borrowed bytes, emitting every complete message. false once the direction is given up. */
  parse(payload: Uint8Array, ts: number, emit: (msg: MemcacheMessage) => void): boolean {
    if (this.broken) return false;
    if (this.buf.available === 0 && this.valueLeft < 0) this.msgTs = ts;
    this.buf.borrow(payload);
    this.run(ts, emit);
    this.buf.settle();
    return !this.broken;
  }

  /** `nbytes` were lost: inside a value they only shorten it (true); elsewhere the parser stops. */
  gap(nbytes: number): boolean {
    if (this.broken) return false;
    if (this.valueLeft > 0 && this.buf.available === 0 && nbytes <= this.valueLeft) {
      this.valueLeft -= nbytes;
      const msg = this.current!;
      msg.size += nbytes;
      msg.truncated = true;
      addNote(msg, BinaryNotes.valueHitByGap);
      this.kept = [];
      this.keptBytes = KEPT_VALUE;
      return true;
    }
    this.stop();
    return false;
  }

  /** End of the stream: a stat listing cut short is emitted as it is. */
  flush(emit: (msg: MemcacheMessage) => void): void {
    const stats = this.stats;
    this.stats = undefined;
    if (stats !== undefined && !this.broken) {
      stats.truncated = true;
      emit(stats);
    }
  }

  /** Stops parsing this direction. */
  stop(): void {
    this.broken = true;
    this.current = undefined;
    this.stats = undefined;
    this.kept = [];
    this.buf.clear();
  }

  private run(ts: number, emit: (msg: MemcacheMessage) => void): void {
    const buf = this.buf;
    while (!this.broken) {
      if (this.valueLeft >= 0) {
        const n = Math.min(this.valueLeft, buf.available);
        const keep = Math.min(n, KEPT_VALUE - this.keptBytes);
        if (keep > 0) {
          this.kept.push(Buffer.from(buf.collect(keep)!));
          this.keptBytes += keep;
        }
        buf.skip(n - Math.max(keep, 0));
        buf.reset();
        this.valueLeft -= n;
        this.current!.size += n;
        if (this.valueLeft > 0) return;
        this.valueLeft = -1;
        this.done(emit);
        this.msgTs = ts;
        continue;
      }
      const head = buf.peek(HEADER);
      if (head === undefined) return;
      if (head[0] !== this.magic) return this.bad(emit);
      const keyLen = (head[2] << 8) | head[3];
      const extLen = head[4];
      const bodyLen = ((head[8] << 24) | (head[9] << 16) | (head[10] << 8) | head[11]) >>> 0;
      if (bodyLen < keyLen + extLen) return this.bad(emit);
      if (buf.available < HEADER + extLen + keyLen) return;
      this.header(buf.collect(HEADER)!, buf.collect(extLen + keyLen)!, extLen, keyLen);
      buf.reset();
      this.valueLeft = this.valueTotal = bodyLen - extLen - keyLen;
      this.current!.size = HEADER + extLen + keyLen;
      this.kept = [];
      this.keptBytes = 0;
    }
  }

  private bad(emit: (msg: MemcacheMessage) => void): void {
    const open = this.stats;
    this.stop();
    if (open !== undefined) {
      addNote(open, BinaryNotes.badHeader);
      emit(open);
    }
  }

  /** Reads the header, extras and key of a message into a new `current` message. */
  private header(h: Uint8Array, rest: Uint8Array, extLen: number, keyLen: number): void {
    const view = new DataView(h.buffer, h.byteOffset, HEADER);
    const code = h[1];
    const info = opcodeInfo(code);
    const msg = newMessage(this.stamp, this.msgTs, true, info.command, info.type);
    msg.opcode = info.name;
    msg.opcodeValue = code;
    msg.opaque = view.getUint32(12);
    const cas = Number(view.getBigUint64(16));
    if (cas !== 0) msg.casUnique = cas;
    if (keyLen > 0) addKey(msg, decodeUtf8(rest, extLen, extLen + keyLen), this.limits.maxKeys);
    const ext = new DataView(rest.buffer, rest.byteOffset, extLen);
    if (this.stamp.direction === 0) {
      msg.vbucket = view.getUint16(6);
      msg.quiet = info.quiet;
      this.requestExtras(msg, ext, info.type, code);
    } else {
      const status = view.getUint16(6);
      msg.statusCode = status;
      msg.status = statusName(status);
      if (extLen >= 4 && info.type === 'Load') msg.flags = ext.getUint32(0);
    }
    this.opcode = code;
    this.current = msg;
  }

  private requestExtras(msg: MemcacheMessage, ext: DataView, type: string, code: number): void {
    const n = ext.byteLength;
    if (type === 'Store' && n >= 8) {
      msg.flags = ext.getUint32(0);
      msg.exptime = ext.getUint32(4);
    } else if (type === 'Counter' && n >= 20) {
      msg.delta = Number(ext.getBigUint64(0));
      msg.initial = Number(ext.getBigUint64(8));
      msg.exptime = ext.getUint32(16);
    } else if (n >= 4 && code === 0x1b) msg.verbosity = ext.getUint32(0);
    else if (n >= 4) msg.exptime = ext.getUint32(0);
  }

  /** The value of `current` has passed: finish the message (or add it to a stat listing). */
  private done(emit: (msg: MemcacheMessage) => void): void {
    const msg = this.current!;
    this.current = undefined;
    const value = this.kept.length === 1 ? this.kept[0] : Buffer.concat(this.kept);
    const code = this.opcode;
    const ok = msg.statusCode === 0;
    if (!msg.isRequest && code === OP_STAT) return this.stat(msg, value, emit);
    if (!msg.isRequest && !ok) {
      if (this.valueTotal > 0) msg.errorMsg = value.toString('latin1');
    } else if (!msg.isRequest && (code === OP_INCR || code === OP_DECR || code === 0x15 || code === 0x16)) {
      if (value.length >= 8) msg.value = Number(value.readBigUInt64BE(0));
    } else if (!msg.isRequest && code === OP_VERSION) {
      msg.version = value.toString('latin1');
    } else if (this.valueTotal > 0 || (msg.isRequest ? msg.type === 'Store' : msg.type === 'Load')) {
      msg.countValues = 1;
      msg.bytes = this.valueTotal;
    }
    emit(msg);
  }

  /** One stat reply: added to the listing; the one with an empty key (or an error) ends it. */
  private stat(msg: MemcacheMessage, value: Buffer, emit: (msg: MemcacheMessage) => void): void {
    const name = msg.keys?.[0];
    let all = this.stats;
    if (all === undefined) {
      all = this.stats = msg;
      all.stats = [];
      all.keys = undefined;
    } else all.size += msg.size;
    if (name === undefined || msg.statusCode !== 0) {
      if (msg !== all) all.truncated = all.truncated || msg.truncated;
      this.stats = undefined;
      return emit(all);
    }
    if (all.stats!.length < this.limits.maxStats) all.stats!.push({ name, value: value.toString('latin1') });
  }
}
