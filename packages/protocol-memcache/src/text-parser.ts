// Splits one direction of a text-protocol memcache stream into messages. Incremental: lines are
// read up to a bounded length and data blocks are counted as they pass, never kept, so a 1 MB
// value costs no memory. A multi-get's VALUE lines up to END, and STAT lines up to END, make one
// reply (as Packetbeat merges them).
import { addNote } from '@wirebeat/applayer';
import { StreamBuf, decodeUtf8 } from '@wirebeat/streambuf';
import { CLIENT_FAULTS, SERVER_FAULTS, TEXT_COMMANDS, TEXT_REPLIES } from './codes';
import type { MemcacheMessage } from './message';
import { addKey, newMessage, type MemcacheLimits, type Stamp } from './stamp';

/** Longest command or reply line accepted (memcached's own limit is 2048 for keys and commands). */
export const MAX_TEXT_LINE = 8192;
const LF = 0x0a;

/** Notes on text messages. */
export const TextNotes = {
  valueHitByGap: 'value bytes lost in a gap in the stream',
  lineTooLong: `line longer than ${MAX_TEXT_LINE} bytes: the rest of this direction is not analysed`,
} as const;

const num = (s: string | undefined): number | undefined => {
  if (s === undefined || !/^\d+$/.test(s)) return undefined;
  return Number(s);
};

/** Parser of one direction of a text-protocol stream (0: requests, 1: replies). */
export class TextParser {
  private readonly buf = new StreamBuf({ maxSize: MAX_TEXT_LINE * 2 });
  /** The message being read: a storage command waiting for its data, or a VALUE/STAT reply. */
  private current: MemcacheMessage | undefined = undefined;
  /** Bytes of the data block being skipped, CRLF included; -1 when none. */
  private dataLeft = -1;
  /** Time the line being read began (a message's time is its first line's). */
  private lineTs = 0;
  /** Stopped for good (line too long, or a gap it cannot step over). */
  broken = false;

  /** Creates the parser of one direction. */
  constructor(
    private readonly stamp: Stamp,
    private readonly limits: MemcacheLimits,
  ) {}

  /** A reply (VALUE or STAT listing) or a storage command is still incomplete. */
  get open(): boolean {
    return this.current !== undefined;
  }

  /** Parses borrowed bytes, emitting every complete message. false once the direction is given up. */
  parse(payload: Uint8Array, ts: number, emit: (msg: MemcacheMessage) => void): boolean {
    if (this.broken) return false;
    if (this.buf.available === 0) this.lineTs = ts;
    this.buf.borrow(payload);
    this.run(ts, emit);
    this.buf.settle();
    return !this.broken;
  }

  /** `nbytes` were lost: inside a data block they only shorten it (true); elsewhere the parser stops. */
  gap(nbytes: number): boolean {
    if (this.broken) return false;
    if (this.dataLeft >= 0 && this.buf.available === 0 && nbytes <= this.dataLeft - 2) {
      this.dataLeft -= nbytes;
      const msg = this.current!;
      msg.size += nbytes;
      msg.truncated = true;
      addNote(msg, TextNotes.valueHitByGap);
      return true;
    }
    this.stop();
    return false;
  }

  /** End of the stream: a reply cut short is emitted as it is. */
  flush(emit: (msg: MemcacheMessage) => void): void {
    const msg = this.current;
    this.current = undefined;
    if (msg !== undefined && !this.broken) {
      msg.truncated = true;
      emit(msg);
    }
  }

  /** Stops parsing this direction. */
  stop(): void {
    this.broken = true;
    this.current = undefined;
    this.buf.clear();
  }

  private run(ts: number, emit: (msg: MemcacheMessage) => void): void {
    const buf = this.buf;
    while (!this.broken) {
      if (this.dataLeft >= 0) {
        const n = Math.min(this.dataLeft, buf.available);
        buf.skip(n);
        buf.reset();
        this.dataLeft -= n;
        this.current!.size += n;
        if (this.dataLeft > 0) return;
        this.dataLeft = -1;
        this.lineTs = ts;
        // A request's data, or a meta VA value, ends its message; VALUE lines wait for END.
        if (this.current!.isRequest || this.current!.command === 'VA') this.finish(emit);
        continue;
      }
      const raw = buf.collectUntil(LF);
      if (raw === undefined) {
        if (buf.available > MAX_TEXT_LINE) this.tooLong(emit);
        return;
      }
      const size = raw.length;
      const end = size >= 2 && raw[size - 2] === 0x0d ? size - 2 : size - 1;
      const line = decodeUtf8(raw, 0, end);
      buf.reset();
      if (this.stamp.direction === 0) this.request(line, size, emit);
      else this.reply(line, size, emit);
      // Whatever follows began in this segment: earlier leftovers were this line.
      this.lineTs = ts;
    }
  }

  private tooLong(emit: (msg: MemcacheMessage) => void): void {
    const msg = this.current;
    this.stop();
    if (msg !== undefined) {
      msg.truncated = true;
      addNote(msg, TextNotes.lineTooLong);
      emit(msg);
    }
  }

  private finish(emit: (msg: MemcacheMessage) => void): void {
    const msg = this.current!;
    this.current = undefined;
    emit(msg);
  }

  private begin(command: string, type: MemcacheMessage['type'], size: number): MemcacheMessage {
    const msg = newMessage(this.stamp, this.lineTs, false, command, type);
    msg.size = size;
    return msg;
  }

  private request(line: string, size: number, emit: (msg: MemcacheMessage) => void): void {
    const words = line.split(' ').filter((w) => w.length > 0);
    const name = words[0] ?? '';
    const def = TEXT_COMMANDS.get(name);
    if (def === undefined) {
      const msg = this.begin('UNKNOWN', 'UNKNOWN', size);
      msg.line = line;
      return emit(msg);
    }
    const msg = this.begin(name, def.type, size);
    const noreply = words[words.length - 1] === 'noreply';
    const keys = this.limits.maxKeys;
    switch (def.args) {
      case 'keys':
      case 'gat': {
        const first = def.args === 'gat' ? 2 : 1;
        if (def.args === 'gat') msg.exptime = num(words[1]);
        for (let i = first; i < words.length; i++) addKey(msg, words[i], keys);
        break;
      }
      case 'store':
      case 'cas': {
        if (words[1] !== undefined) addKey(msg, words[1], keys);
        msg.flags = num(words[2]);
        msg.exptime = num(words[3]);
        msg.bytes = num(words[4]);
        if (def.args === 'cas') msg.casUnique = num(words[5]);
        msg.noreply = noreply;
        if (msg.bytes !== undefined) {
          msg.countValues = 1;
          this.current = msg;
          this.dataLeft = msg.bytes + 2;
          return;
        }
        break;
      }
      case 'counter':
        if (words[1] !== undefined) addKey(msg, words[1], keys);
        msg.delta = num(words[2]);
        msg.noreply = noreply;
        break;
      case 'touch':
        if (words[1] !== undefined) addKey(msg, words[1], keys);
        msg.exptime = num(words[2]);
        msg.noreply = noreply;
        break;
      case 'key':
        if (words[1] !== undefined) addKey(msg, words[1], keys);
        msg.noreply = noreply;
        break;
      case 'exptime':
        msg.exptime = num(words[1]);
        msg.noreply = noreply;
        break;
      case 'verbosity':
        msg.verbosity = num(words[1]);
        msg.noreply = noreply;
        break;
      case 'meta':
      case 'metaStore':
        if (words[1] !== undefined) addKey(msg, words[1], keys);
        if (def.args === 'metaStore') {
          msg.bytes = num(words[2]);
          if (msg.bytes !== undefined) {
            msg.countValues = 1;
            this.current = msg;
            this.dataLeft = msg.bytes + 2;
            return;
          }
        }
        break;
      case 'raw':
        msg.rawArgs = words.slice(1).join(' ');
        if (name !== 'stats' && words[1] !== undefined) msg.command = `${name} ${words[1]}`;
        break;
      case 'none':
        break;
    }
    emit(msg);
  }

  private reply(line: string, size: number, emit: (msg: MemcacheMessage) => void): void {
    const space = line.indexOf(' ');
    const word = space < 0 ? line : line.slice(0, space);
    const rest = space < 0 ? '' : line.slice(space + 1);
    const open = this.current;
    if (word === 'END' && open !== undefined) {
      open.size += size;
      return this.finish(emit);
    }
    const continues = (word === 'VALUE' || word === 'STAT') && open?.command === word;
    // Any other line ends a reply left open (its END never came).
    if (open !== undefined && !continues) {
      open.truncated = true;
      this.finish(emit);
    }
    if (word === 'VALUE') return this.value(rest, size);
    if (word === 'STAT') return this.stat(rest, size);
    if (word === 'END') return emit(this.begin('END', 'Load', size));
    if (word === 'VA') return this.metaValue(rest, size, emit);
    if (/^\d+$/.test(word)) {
      const msg = this.begin('<counter_op_res>', 'Counter', size);
      msg.value = Number(word);
      return emit(msg);
    }
    const type = TEXT_REPLIES.get(word);
    if (type === undefined) {
      const msg = this.begin('UNKNOWN', 'UNKNOWN', size);
      msg.line = line;
      return emit(msg);
    }
    const msg = this.begin(word, type, size);
    if (word === 'VERSION') msg.version = rest;
    else if (CLIENT_FAULTS.has(word) || SERVER_FAULTS.has(word)) msg.errorMsg = rest;
    emit(msg);
  }

  private value(rest: string, size: number): void {
    const [key, flags, bytes, cas] = rest.split(' ');
    let msg = this.current;
    if (msg === undefined || msg.command !== 'VALUE') {
      msg = this.current = this.begin('VALUE', 'Load', 0);
      msg.countValues = 0;
      msg.bytes = 0;
    }
    msg.size += size;
    if (key !== undefined) addKey(msg, key, this.limits.maxKeys);
    msg.countValues!++;
    msg.flags = num(flags);
    const n = num(bytes);
    if (cas !== undefined) msg.casUnique = num(cas);
    if (n === undefined) return;
    msg.bytes! += n;
    this.dataLeft = n + 2;
  }

  /** A meta protocol value: `VA <size> <flags>*`, then its data block. */
  private metaValue(rest: string, size: number, emit: (msg: MemcacheMessage) => void): void {
    const msg = this.begin('VA', 'Load', size);
    const n = num(rest.split(' ')[0]);
    if (n === undefined) return emit(msg);
    msg.countValues = 1;
    msg.bytes = n;
    this.current = msg;
    this.dataLeft = n + 2;
  }

  private stat(rest: string, size: number): void {
    let msg = this.current;
    if (msg === undefined || msg.command !== 'STAT') {
      msg = this.current = this.begin('STAT', 'Stats', 0);
      msg.stats = [];
    }
    msg.size += size;
    const space = rest.indexOf(' ');
    if (msg.stats!.length < this.limits.maxStats) {
      msg.stats!.push(
        space < 0 ? { name: rest, value: '' } : { name: rest.slice(0, space), value: rest.slice(space + 1) },
      );
    }
  }
}
