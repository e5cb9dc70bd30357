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

/** What directionOf reads of a TCP connection or UDP flow. */
interface ClientSide {
  readonly clientPort: number;
  readonly serverPort: number;
  readonly client4: number;
  readonly client6: Uint8Array | undefined;
}

/** 0 when the decoded segment (or datagram) was sent by the connection's client, else 1. */
export function directionOf(conn: ClientSide, p: DecodedPacket, data: Uint8Array): Direction {
  if (conn.clientPort !== conn.serverPort) return p.srcPort === conn.clientPort ? 0 : 1;
  if (p.ipVersion === 4) return p.src4 === conn.client4 ? 0 : 1;
  const c6 = conn.client6 as Uint8Array;
  const off = p.ipOffset + 8;
  for (let i = 0; i < 16; i++) if (data[off + i] !== c6[i]) return 1;
  return 0;
}

/** Whether the sender of an IPv6 segment is the first endpoint of its tuple key (see ipv6Key). */
export function ipv6SenderIsKeyA(data: Uint8Array, p: DecodedPacket): boolean {
  const s = p.ipOffset + 8;
  const d = p.ipOffset + 24;
  let cmp = 0;
  for (let i = 0; i < 16 && cmp === 0; i++) cmp = data[s + i] - data[d + i];
  if (cmp === 0) cmp = p.srcPort - p.dstPort;
  return cmp <= 0;
}

/** Whether the connection's client is the first endpoint of its tuple key. */
export function clientIsKeyA(conn: ConnectionState): boolean {
  if (conn.ipVersion === 4) return conn.client4 === conn.keyA && conn.clientPort === conn.keyP >>> 16;
  const c6 = conn.client6 as Uint8Array;
  for (let i = 0; i < 16; i++) if (conn.key6.charCodeAt(i) !== c6[i]) return false;
  return conn.clientPort === ((conn.key6.charCodeAt(32) << 8) | conn.key6.charCodeAt(33));
}
