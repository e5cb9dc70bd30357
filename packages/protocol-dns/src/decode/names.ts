// Domain names on the wire (RFC 1035 4.1.4): labels, and compression pointers that may only point
// backwards, each one before the last, so that no crafted message can loop or jump ahead.
import { DnsError } from '../errors';
import { decodeLatin1 } from '@wirebeat/streambuf';

/** Longest name on the wire (RFC 1035 2.3.4), length bytes included. */
const MAX_NAME_WIRE = 255;
/**
 * Most pointers followed in one name: a real name needs at most one per label (127), and a
 * bound keeps a crafted chain of pointers from costing the whole message's length for every name.
 */
const MAX_POINTERS = 127;

/** Why a name could not be read. */
export class NameError extends DnsError {}

/** A name and the offset just after it in the message (after its first pointer, if any). */
export interface NameAt {
  name: string;
  end: number;
}

/**
 * Names already read in one message, by the offset they start at: servers compress most names to
 * a pointer to the question's name, which is then decoded once per message.
 */
export type NameCache = Map<number, CachedName>;

/** A name read before: its text and its length on the wire (labels and the root byte). */
export interface CachedName {
  text: string;
  wire: number;
}

/**
 * Reads the name at `start` of `msg`, in presentation form without its final dot (`.` for root).
 * With `cache`, a pointer to the start of a name read before takes its text from there.
 */
export function readName(msg: Uint8Array, start: number, cache?: NameCache): NameAt {
  let pos = start;
  let end = -1;
  /** Pointers must go strictly below the start of the piece that holds them. */
  let floor = start;
  let wire = 0;
  let pointers = 0;
  let name = '';
  for (;;) {
    if (pos >= msg.length) throw new NameError('name runs past the end of the message');
    const len = msg[pos];
    if (len === 0) {
      if (end < 0) end = pos + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= msg.length) throw new NameError('compression pointer cut short');
      const target = ((len & 0x3f) << 8) | msg[pos + 1];
      if (target >= floor) throw new NameError('compression pointer does not point backwards');
      if (++pointers > MAX_POINTERS) throw new NameError('too many compression pointers');
      if (end < 0) end = pos + 2;
      const known = cache?.get(target);
      if (known !== undefined) {
        if (wire + known.wire > MAX_NAME_WIRE) throw new NameError('name longer than 255 bytes');
        name += known.text === '.' ? '' : known.text;
        wire += known.wire - 1;
        break;
      }
      floor = target;
      pos = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new NameError(`unknown label type 0x${len.toString(16)}`);
    wire += len + 1;
    if (wire + 1 > MAX_NAME_WIRE) throw new NameError('name longer than 255 bytes');
    if (pos + 1 + len > msg.length) throw new NameError('label runs past the end of the message');
    name += labelText(msg, pos + 1, pos + 1 + len) + '.';
    pos += len + 1;
  }
  if (name === '') name = '.';
  cache?.set(start, { text: name, wire: wire + 1 });
  // Published without the final dot, as Packetbeat does (`www.example.com`; the root stays `.`).
  return { name: name.length > 1 ? name.slice(0, -1) : name, end };
}

/**
 * One label as text: printable ASCII (space included) as is; dots, backslashes and quotes escaped with a backslash;
 * tab, CR and LF as \t \r \n; other bytes as \DDD (decimal), as Packetbeat shows them.
 */
export function labelText(msg: Uint8Array, from: number, to: number): string {
  let plain = true;
  for (let i = from; i < to && plain; i++) {
    const b = msg[i];
    plain = b >= 32 && b < 127 && b !== 0x2e && b !== 0x5c && b !== 0x22;
  }
  // Most labels need no escape: one conversion instead of a string per byte.
  if (plain) return decodeLatin1(msg, from, to);
  let text = '';
  for (let i = from; i < to; i++) {
    const b = msg[i];
    if (b >= 32 && b < 127 && b !== 0x2e && b !== 0x5c && b !== 0x22) text += String.fromCharCode(b);
    else text += escapeByte(b, true);
  }
  return text;
}

/** The escaped form of a byte that is not kept as is. */
export function escapeByte(b: number, inName: boolean): string {
  switch (b) {
    case 0x2e:
      return inName ? '\\.' : '.';
    case 0x5c:
      return '\\\\';
    case 0x22:
      return '\\"';
    case 0x09:
      return '\\t';
    case 0x0d:
      return '\\r';
    case 0x0a:
      return '\\n';
    default:
      return '\\' + String(b).padStart(3, '0');
  }
}
