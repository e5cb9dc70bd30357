// Direction-independent connection keys and the direction of a segment within its connection.
import type { ConnectionState } from './connection';
import type { DecodedPacket } from './decoder';
import type { Direction } from './types';

/** Direction-independent key of an IPv6 segment: the lower (address, port) endpoint first. */
export function ipv6Key(data: Uint8Array, p: DecodedPacket, scratch: Buffer): string {
  const s = p.ipOffset + 8;
  const d = p.ipOffset + 24;
  let cmp = 0;
  for (let i = 0; i < 16 && cmp === 0; i++) cmp = data[s + i] - data[d + i];
  if (cmp === 0) cmp = p.srcPort - p.dstPort;
  const first = cmp <= 0 ? s : d;
  const second = cmp <= 0 ? d : s;
  scratch.set(data.subarray(first, first + 16), 0);
  scratch.set(data.subarray(second, second + 16), 16);
  scratch.writeUInt16BE(cmp <= 0 ? p.srcPort : p.dstPort, 32);
  scratch.writeUInt16BE(cmp <= 0 ? p.dstPort : p.srcPort, 34);
  return scratch.toString('latin1');
}

/** 0 when the decoded segment was sent by the connection's client, else 1. */
export function directionOf(conn: ConnectionState, p: DecodedPacket, data: Uint8Array): Direction {
  if (conn.clientPort !== conn.serverPort) return p.srcPort === conn.clientPort ? 0 : 1;
  if (p.ipVersion === 4) return p.src4 === conn.client4 ? 0 : 1;
  const c6 = conn.client6 as Uint8Array;
  const off = p.ipOffset + 8;
  for (let i = 0; i < 16; i++) if (data[off + i] !== c6[i]) return 1;
  return 0;
}
