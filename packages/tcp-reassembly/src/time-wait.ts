// Connections closed by FIN or RST stay in the table for a while (TIME_WAIT on packet time), so
// that late retransmissions and duplicate SYNs are recognised instead of opening a new connection.
import type { ConnectionState } from './connection';

/** Closed connections in TIME_WAIT, oldest close first (linked through lruPrev/lruNext). */
export class TimeWaitList {
  private head: ConnectionState | null = null;
  private tail: ConnectionState | null = null;
  /** Entries kept now. */
  size = 0;

  /** Adds a connection closed at `ts` (its lastSeen becomes the close time). */
  add(conn: ConnectionState, ts: number): void {
    conn.timeWait = true;
    conn.lastSeen = ts;
    conn.lruPrev = this.tail;
    conn.lruNext = null;
    if (this.tail !== null) this.tail.lruNext = conn;
    else this.head = conn;
    this.tail = conn;
    this.size++;
  }

  /** Removes an entry. */
  remove(conn: ConnectionState): void {
    const prev = conn.lruPrev;
    const next = conn.lruNext;
    if (prev !== null) prev.lruNext = next;
    else this.head = next;
    if (next !== null) next.lruPrev = prev;
    else this.tail = prev;
    conn.lruPrev = null;
    conn.lruNext = null;
    conn.timeWait = false;
    this.size--;
  }

  /** The entry closed longest ago, or null. */
  oldest(): ConnectionState | null {
    return this.head;
  }
}
