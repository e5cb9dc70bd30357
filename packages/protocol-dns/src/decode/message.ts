// A whole DNS message (RFC 1035 4.1): header, questions, and the answer, authority and additional
// records. Decoding is a pure function of the bytes; it never throws past the header: a message
// cut short or malformed keeps what was read before the bad part, and says where it stopped.
import { DnsMessageTooShortError } from '../errors';
import { decodeOpt, extendedRcodeBits, type DnsOpt } from './edns';
import { readName, type NameCache } from './names';
import { decodeRdata, type RdataExtras } from './rdata';
import { TYPE, className, opcodeName, rcodeName, typeName } from './types';

/** Header flags, by Packetbeat's names. */
export interface DnsFlags {
  authoritative: boolean;
  truncated_response: boolean;
  recursion_desired: boolean;
  recursion_available: boolean;
  authentic_data: boolean;
  checking_disabled: boolean;
}

/** One question. */
export interface DnsQuestion {
  name: string;
  type: string;
  class: string;
}

/** One resource record: owner, type, class, TTL and data (with its other parts beside `data`). */
export type DnsRecord = {
  name: string;
  type: string;
  class: string;
  ttl: number;
  data: string;
} & RdataExtras;

/** A decoded DNS message. */
export interface DnsMessage {
  id: number;
  /** QR: a response. */
  response: boolean;
  opcode: number;
  flags: DnsFlags;
  /** The response code, with the extended bits of the OPT record when there is one. */
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  /** Additional records, the OPT pseudo-record left out (it is `opt`). */
  additionals: DnsRecord[];
  /** Section counts the header announces (the sections hold fewer when the message is cut short). */
  counts: { questions: number; answers: number; authorities: number; additionals: number };
  opt?: DnsOpt;
  /** Why decoding stopped before the end of the sections the header announces. */
  malformed?: string;
  /** Message length in bytes. */
  size: number;
}

/** Size of the fixed header. */
export const HEADER_SIZE = 12;

/** Decodes one DNS message. Throws DnsMessageTooShortError when the bytes cannot hold a header. */
export function decodeDnsMessage(msg: Uint8Array): DnsMessage {
  if (msg.length < HEADER_SIZE)
    throw new DnsMessageTooShortError(`DNS message of ${msg.length} bytes: shorter than its header`);
  const u16 = (at: number) => (msg[at] << 8) | msg[at + 1];
  const b2 = msg[2];
  const b3 = msg[3];
  const out: DnsMessage = {
    id: u16(0),
    response: (b2 & 0x80) !== 0,
    opcode: (b2 >> 3) & 0x0f,
    flags: {
      authoritative: (b2 & 0x04) !== 0,
      truncated_response: (b2 & 0x02) !== 0,
      recursion_desired: (b2 & 0x01) !== 0,
      recursion_available: (b3 & 0x80) !== 0,
      authentic_data: (b3 & 0x20) !== 0,
      checking_disabled: (b3 & 0x10) !== 0,
    },
    rcode: b3 & 0x0f,
    questions: [],
    answers: [],
    authorities: [],
    additionals: [],
    counts: { questions: u16(4), answers: u16(6), authorities: u16(8), additionals: u16(10) },
    size: msg.length,
  };
  let pos = HEADER_SIZE;
  const names: NameCache = new Map();
  try {
    for (let i = 0; i < out.counts.questions; i++) {
      const { name, end } = readName(msg, pos, names);
      if (end + 4 > msg.length) throw new Error('question cut short');
      out.questions.push({ name, type: typeName(u16(end)), class: className(u16(end + 2)) });
      pos = end + 4;
    }
    pos = records(msg, pos, out.counts.answers, out.answers, out, names);
    pos = records(msg, pos, out.counts.authorities, out.authorities, out, names);
    records(msg, pos, out.counts.additionals, out.additionals, out, names);
  } catch (err) {
    out.malformed = (err as Error).message;
  }
  return out;
}

/** Reads `count` records into `into` (an OPT record goes to `out.opt`); returns the offset after them. */
function records(
  msg: Uint8Array,
  start: number,
  count: number,
  into: DnsRecord[],
  out: DnsMessage,
  names: NameCache,
): number {
  let pos = start;
  for (let i = 0; i < count; i++) {
    const { name, end } = readName(msg, pos, names);
    if (end + 10 > msg.length) throw new Error('record header cut short');
    const type = (msg[end] << 8) | msg[end + 1];
    const klass = (msg[end + 2] << 8) | msg[end + 3];
    const ttl = ((msg[end + 4] << 24) >>> 0) + ((msg[end + 5] << 16) | (msg[end + 6] << 8) | msg[end + 7]);
    const len = (msg[end + 8] << 8) | msg[end + 9];
    const from = end + 10;
    const to = from + len;
    if (to > msg.length) throw new Error(`${typeName(type)} record data cut short`);
    if (type === TYPE.OPT) {
      out.opt = decodeOpt(msg, klass, ttl, from, to);
      out.rcode |= extendedRcodeBits(ttl);
    } else {
      const rdata = decodeRdata(msg, type, from, to, names);
      const record: DnsRecord = {
        name,
        type: typeName(type),
        class: className(klass),
        ttl,
        data: rdata.data,
      };
      if (rdata.extras !== undefined) Object.assign(record, rdata.extras);
      into.push(record);
    }
    pos = to;
  }
  return pos;
}

/** The message's operation code name (`QUERY`). */
export function opcodeOf(msg: DnsMessage): string {
  return opcodeName(msg.opcode);
}

/** The message's response code name (`NOERROR`, `NXDOMAIN`). */
export function rcodeOf(msg: DnsMessage): string {
  return rcodeName(msg.rcode);
}
