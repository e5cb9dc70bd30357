// Creation of a ConnectionState from the decoded segment that opens it.
import { ConnectionState } from './connection';
import type { DecodedPacket } from './decoder';
import { ipv6ToString } from './ip-address';
import { TcpFlags } from './tcp-flags';

const { SYN, ACK } = TcpFlags;

/** Whether the sender of `p` is the client: the SYN sender, else the side not on a server port, else the sender. */
export function senderIsClient(
  p: DecodedPacket,
  isServerPort: ((port: number) => boolean) | undefined,
): boolean {
  const flags = p.flags;
  if ((flags & SYN) !== 0) return (flags & ACK) === 0;
  if (isServerPort !== undefined && isServerPort(p.srcPort) && !isServerPort(p.dstPort)) return false;
  return true;
}

/** A new connection for the segment `p` of `data`; the caller files it in its tables. */
export function createConnection(
  p: DecodedPacket,
  data: Uint8Array,
  srcIsClient: boolean,
  id: number,
  ts: number,
  idleTimeoutMs: number,
): ConnectionState {
  const cport = srcIsClient ? p.srcPort : p.dstPort;
  const sport = srcIsClient ? p.dstPort : p.srcPort;
  if (p.ipVersion === 4) {
    const c4 = srcIsClient ? p.src4 : p.dst4;
    const conn = new ConnectionState(id, 4, undefined, cport, sport, ts, idleTimeoutMs);
    conn.client4 = c4;
    return conn;
  }
  const srcOff = p.ipOffset + 8;
  const dstOff = p.ipOffset + 24;
  const cOff = srcIsClient ? srcOff : dstOff;
  const sOff = srcIsClient ? dstOff : srcOff;
  const names = [ipv6ToString(data, cOff), ipv6ToString(data, sOff)] as const;
  const conn = new ConnectionState(id, 6, names, cport, sport, ts, idleTimeoutMs);
  // A copy: the frame may be a view of a reused buffer (and on a Buffer, slice is a view too).
  conn.client6 = Uint8Array.from(data.subarray(cOff, cOff + 16));
  return conn;
}
