// Shared by the memcache tests: a tuple, binary message builders and a parser runner.
import { makeTcpTuple } from '@wirebeat/applayer';
import {
  MemcacheDatagramParser,
  MemcacheStreamParser,
  type MemcacheMessage,
} from '@wirebeat/protocol-memcache';

export const tuple = makeTcpTuple({
  ipVersion: 4,
  clientIp: '10.0.0.2',
  clientPort: 40000,
  serverIp: '10.0.0.1',
  serverPort: 11211,
  openedAt: 0,
});
export const LIMITS = { maxKeys: 100, maxStats: 500 };

/** A binary message: magic 0x80 (request) or 0x81 (response). */
export function bin(
  magic: number,
  opcode: number,
  o: {
    key?: string;
    extras?: Uint8Array;
    value?: string;
    opaque?: number;
    status?: number;
    cas?: bigint;
  } = {},
): Buffer {
  const k = Buffer.from(o.key ?? '');
  const v = Buffer.from(o.value ?? '');
  const e = Buffer.from(o.extras ?? new Uint8Array(0));
  const h = Buffer.alloc(24);
  h[0] = magic;
  h[1] = opcode;
  h.writeUInt16BE(k.length, 2);
  h[4] = e.length;
  h.writeUInt16BE(o.status ?? 0, 6);
  h.writeUInt32BE(e.length + k.length + v.length, 8);
  h.writeUInt32BE(o.opaque ?? 0, 12);
  h.writeBigUInt64BE(o.cas ?? 0n, 16);
  return Buffer.concat([h, e, k, v]);
}

/** A 64-bit counter value as 8 bytes. */
export function u64(n: number): string {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b.toString('latin1');
}

/** Feeds chunks to a fresh stream parser of `dir`, returning the messages and the parser. */
export function parseStream(dir: 0 | 1, chunks: Array<string | Uint8Array>) {
  const out: MemcacheMessage[] = [];
  const p = new MemcacheStreamParser(tuple, dir, LIMITS);
  const emit = (m: MemcacheMessage) => void out.push(m);
  for (const c of chunks) p.parse(typeof c === 'string' ? Buffer.from(c, 'latin1') : c, 1, emit);
  return { out, p, emit };
}

/** Feeds datagrams to a fresh UDP parser of `dir`. */
export function parseDatagrams(dir: 0 | 1, datagrams: Uint8Array[]) {
  const out: MemcacheMessage[] = [];
  const p = new MemcacheDatagramParser(tuple, dir, LIMITS);
  for (const d of datagrams) p.parse(d, 1, (m) => out.push(m));
  return { out, p };
}

/** The UDP frame header and a payload. */
export function datagram(id: number, seq: number, total: number, payload: string | Uint8Array): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(seq, 2);
  h.writeUInt16BE(total, 4);
  return Buffer.concat([h, typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload]);
}

/** A message without its connection metadata, for comparisons. */
export function essence(m: MemcacheMessage): Record<string, unknown> {
  const { tuple: _t, ts: _ts, transport: _tr, direction: _d, processTuple: _p, ...rest } = m;
  return rest;
}
