// Which RST segments end a connection. After RFC 5961 (section 3.2): an RST is taken only when its
// sequence number lies in the receiver's window, so that a blind or stale RST cannot split a
// connection. A passive observer does not know the receiver's exact state, so the window is taken
// generously around what the capture showed.
import type { HalfStream } from './connection';
import type { DecodedPacket } from './decoder';
import { TcpFlags } from './tcp-flags';

/** Smallest window assumed: captures reorder and lose segments, so exact matches are too strict. */
const MIN_WINDOW = 65535;

/** Whether the RST in `p`, sent by the direction `h` to the peer direction `peer`, is acceptable. */
export function rstAcceptable(p: DecodedPacket, h: HalfStream, peer: HalfStream): boolean {
  if (h.init) {
    const win = receiveWindow(h, peer);
    return ((p.seq - h.nextSeq) | 0) >= -win && ((p.seq - h.highEnd) | 0) <= win;
  }
  // Nothing was seen from the sender before: judge by what it acknowledges (RFC 793 SYN-SENT: the
  // RST must acknowledge the SYN; without ACK it is ignored when the peer's SYN was seen).
  if ((p.flags & TcpFlags.ACK) === 0) return !peer.synSeen;
  if (!peer.init) return true;
  if (((p.ack - peer.highEnd) | 0) > 0) return false;
  return peer.synSeen ? ((p.ack - peer.synStart) | 0) >= 0 : ((peer.highEnd - p.ack) | 0) <= 1 << 30;
}

/** The window the receiver (sender of `peer`) offers to `h`, scaled when both SYNs agreed on scaling. */
function receiveWindow(h: HalfStream, peer: HalfStream): number {
  if (!peer.init) return 1 << 30;
  let shift: number;
  if (h.synSeen && peer.synSeen) shift = h.wscale >= 0 && peer.wscale >= 0 ? peer.wscale : 0;
  else shift = 14; // Scaling unknown (SYNs not captured): assume the largest.
  const w = peer.window * 2 ** shift;
  return w > MIN_WINDOW ? w : MIN_WINDOW;
}
