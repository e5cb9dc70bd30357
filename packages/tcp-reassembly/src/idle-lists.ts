// Idle-timeout bookkeeping: connections sit in one list per idle timeout value, each ordered by last
// activity, so expiry only looks at list heads whatever timeouts consumers choose per connection.

/** What the idle lists link: a TCP connection or a UDP flow. */
export interface IdleNode<N extends IdleNode<N>> {
  idleTimeoutMs: number;
  lastSeen: number;
  idleList: IdleList<N> | null;
  lruPrev: N | null;
  lruNext: N | null;
}

/** Connections with the same idle timeout, least recently active first. */
export class IdleList<N extends IdleNode<N>> {
  head: N | null = null;
  tail: N | null = null;
  constructor(readonly timeoutMs: number) {}
}

/** All connections (or flows) by idle timeout; the owner's clock decides when they expire. */
export class IdleLists<N extends IdleNode<N>> {
  private readonly lists: IdleList<N>[] = [];
  private readonly byTimeout = new Map<number, IdleList<N>>();
  /** Smallest idle timeout in use (lists are kept once created: there are few values). */
  minTimeout = Infinity;

  constructor(private readonly defaultTimeout: number) {
    this.list(defaultTimeout);
  }

  /** The timeout that applies to a connection: its own when positive, else the default. */
  timeoutOf(conn: N): number {
    const t = conn.idleTimeoutMs;
    return t > 0 ? t : this.defaultTimeout;
  }

  /** Records activity: moves the connection to the tail of the list of its current timeout. */
  touch(conn: N): void {
    const list = conn.idleList;
    if (list !== null && conn === list.tail && conn.idleTimeoutMs === list.timeoutMs) return;
    if (list !== null) this.unlink(conn);
    this.append(this.list(this.timeoutOf(conn)), conn);
  }

  /** Forgets a connection. */
  remove(conn: N): void {
    if (conn.idleList !== null) this.unlink(conn);
  }

  /** The least recently active connection of all, or null. */
  oldest(): N | null {
    let best: N | null = null;
    for (const l of this.lists)
      if (l.head !== null && (best === null || l.head.lastSeen < best.lastSeen)) best = l.head;
    return best;
  }

  /** A connection idle for longer than its timeout at `now`, or null when there is none. */
  expired(now: number): N | null {
    for (const l of this.lists) {
      let c = l.head;
      while (c !== null) {
        const t = this.timeoutOf(c);
        if (t !== l.timeoutMs) {
          // The consumer changed the timeout since the last packet: file it where it belongs now.
          this.unlink(c);
          this.insertByLastSeen(this.list(t), c);
          c = l.head;
          continue;
        }
        if (c.lastSeen + t <= now) return c;
        break;
      }
    }
    return null;
  }

  private list(timeoutMs: number): IdleList<N> {
    let l = this.byTimeout.get(timeoutMs);
    if (l === undefined) {
      l = new IdleList(timeoutMs);
      this.byTimeout.set(timeoutMs, l);
      this.lists.push(l);
      if (timeoutMs < this.minTimeout) this.minTimeout = timeoutMs;
    }
    return l;
  }

  private append(l: IdleList<N>, conn: N): void {
    conn.idleList = l;
    conn.lruPrev = l.tail;
    conn.lruNext = null;
    if (l.tail !== null) l.tail.lruNext = conn;
    else l.head = conn;
    l.tail = conn;
  }

  private insertByLastSeen(l: IdleList<N>, conn: N): void {
    let after = l.tail;
    while (after !== null && after.lastSeen > conn.lastSeen) after = after.lruPrev;
    if (after === l.tail) return this.append(l, conn);
    conn.idleList = l;
    conn.lruPrev = after;
    const next = after === null ? l.head : after.lruNext;
    conn.lruNext = next;
    if (after === null) l.head = conn;
    else after.lruNext = conn;
    if (next !== null) next.lruPrev = conn;
  }

  private unlink(conn: N): void {
    const l = conn.idleList as IdleList<N>;
    const prev = conn.lruPrev;
    const next = conn.lruNext;
    if (prev !== null) prev.lruNext = next;
    else l.head = next;
    if (next !== null) next.lruPrev = prev;
    else l.tail = prev;
    conn.lruPrev = null;
    conn.lruNext = null;
    conn.idleList = null;
  }
}
