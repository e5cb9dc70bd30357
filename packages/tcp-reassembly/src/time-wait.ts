// Connections closed by FIN or RST stay known for a while (TIME_WAIT on packet time), so that late
// retransmissions and duplicate SYNs are recognised instead of opening a new connection. Only the
// tuple, the close time and each side's SYN sequence are kept, in typed arrays: thousands of
// entries cost no objects for the garbage collector, and the connection objects die young.
import { Ipv4ConnectionTable } from './connection-table';

const ALIVE = 1;
const SYN_A = 2;
const SYN_B = 4;

/** Closed tuples in TIME_WAIT, in a ring ordered by close time. Sides: A is the tuple key's first endpoint. */
export class TimeWaitTable {
  private readonly index4 = new Ipv4ConnectionTable<number>(1024);
  private readonly index6 = new Map<string, number>();
  private cap = 0;
  private head = 0;
  /** Slots used in the ring (alive or removed early, until they reach the head). */
  private used = 0;
  private keyA: Int32Array = new Int32Array(0);
  private keyB: Int32Array = new Int32Array(0);
  private keyP: Int32Array = new Int32Array(0);
  private key6: string[] = [];
  private closedAt: Float64Array = new Float64Array(0);
  private synA: Int32Array = new Int32Array(0);
  private synB: Int32Array = new Int32Array(0);
  private flags: Uint8Array = new Uint8Array(0);
  /** Entries kept now. */
  size = 0;

  /** Records a closed IPv4 tuple (or an IPv6 one when key6 is not empty) with each side's SYN. */
  add(
    keyA: number,
    keyB: number,
    keyP: number,
    key6: string,
    synSeenA: boolean,
    synStartA: number,
    synSeenB: boolean,
    synStartB: number,
    ts: number,
  ): void {
    if (this.used === this.cap) this.grow();
    const i = (this.head + this.used) % this.cap;
    this.used++;
    this.size++;
    this.keyA[i] = keyA;
    this.keyB[i] = keyB;
    this.keyP[i] = keyP;
    this.key6[i] = key6;
    this.closedAt[i] = ts;
    this.synA[i] = synStartA;
    this.synB[i] = synStartB;
    this.flags[i] = ALIVE | (synSeenA ? SYN_A : 0) | (synSeenB ? SYN_B : 0);
    if (key6 === '') this.index4.insert(keyA, keyB, keyP, i);
    else this.index6.set(key6, i);
  }

  /** The slot of an IPv4 tuple in TIME_WAIT, or -1. */
  find4(keyA: number, keyB: number, keyP: number): number {
    return this.size === 0 ? -1 : (this.index4.get(keyA, keyB, keyP) ?? -1);
  }

  /** The slot of an IPv6 tuple key in TIME_WAIT, or -1. */
  find6(key6: string): number {
    return this.size === 0 ? -1 : (this.index6.get(key6) ?? -1);
  }

  /** Whether a SYN starting data at `synStart` from side A (or B) repeats that side's SYN. */
  sameSyn(slot: number, fromA: boolean, synStart: number): boolean {
    const f = this.flags[slot];
    return fromA
      ? (f & SYN_A) !== 0 && this.synA[slot] === synStart
      : (f & SYN_B) !== 0 && this.synB[slot] === synStart;
  }

  /** Forgets an entry (a new connection took the tuple). */
  remove(slot: number): void {
    if ((this.flags[slot] & ALIVE) === 0) return;
    this.flags[slot] = 0;
    this.size--;
    if (this.key6[slot] === '') this.index4.delete(this.keyA[slot], this.keyB[slot], this.keyP[slot]);
    else this.index6.delete(this.key6[slot]);
    this.key6[slot] = '';
  }

  /** Forgets the entries closed at or before `before`, and the oldest ones beyond `maxEntries`. */
  expire(before: number, maxEntries: number): void {
    while (this.used > 0) {
      const i = this.head;
      if ((this.flags[i] & ALIVE) !== 0) {
        if (this.closedAt[i] > before && this.size <= maxEntries) break;
        this.remove(i);
      }
      this.head = (i + 1) % this.cap;
      this.used--;
    }
  }

  /** Forgets every entry. */
  clear(): void {
    this.expire(Infinity, 0);
  }

  private grow(): void {
    const cap = Math.max(1024, this.cap * 2);
    const order = (a: Int32Array): Int32Array => this.reorder(a, new Int32Array(cap));
    const keyA = order(this.keyA);
    const keyB = order(this.keyB);
    const keyP = order(this.keyP);
    const synA = order(this.synA);
    const synB = order(this.synB);
    const closedAt = this.reorder(this.closedAt, new Float64Array(cap));
    const flags = this.reorder(this.flags, new Uint8Array(cap));
    const key6: string[] = new Array<string>(cap).fill('');
    for (let k = 0; k < this.used; k++) key6[k] = this.key6[(this.head + k) % this.cap];
    // Slot numbers change: index the live entries again.
    for (let k = 0; k < this.used; k++) {
      if ((flags[k] & ALIVE) === 0) continue;
      if (key6[k] === '') {
        this.index4.delete(keyA[k], keyB[k], keyP[k]);
        this.index4.insert(keyA[k], keyB[k], keyP[k], k);
      } else this.index6.set(key6[k], k);
    }
    this.keyA = keyA;
    this.keyB = keyB;
    this.keyP = keyP;
    this.synA = synA;
    this.synB = synB;
    this.closedAt = closedAt;
    this.flags = flags;
    this.key6 = key6;
    this.cap = cap;
    this.head = 0;
  }

  /** Copies the ring in order (head first) into `to`. */
  private reorder<T extends Int32Array | Float64Array | Uint8Array>(from: T, to: T): T {
    for (let k = 0; k < this.used; k++) to[k] = from[(this.head + k) % this.cap];
    return to;
  }
}
