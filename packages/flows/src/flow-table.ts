// The flow table: every decoded IP packet updates one flow (a hash lookup and four counters; no
// allocation unless the flow is new). Time is packet time: at each multiple of `period` every flow
// is reported (final false), a flow idle for longer than `timeout` is reported final and forgotten,
// and the end of input reports the rest final. The table is bounded: a new flow beyond max_flows
// evicts the least recently seen one (reported final, counted).
import type { TransactionEvent } from '@wirebeat/applayer';
import type { DecodedPacket } from '@wirebeat/tcp-reassembly';
import type { FlowsOptions } from './config';
import { Flow } from './flow';
import { flowEvent } from './flow-event';
import { directionIn, flowHash } from './flow-key';

/** The flow table's counters (the beat's metrics show them under `flows`). */
export interface FlowCounters {
  /** Flows in the table now. */
  active: number;
  /** Flows created. */
  created: number;
  /** Packets counted on a flow. */
  packets: number;
  /** Flow events published (intermediate and final). */
  reports: number;
  /** Flows ended by their idle timeout. */
  timed_out: number;
  /** Flows ended to make room for a new one (the table was full). */
  evicted: number;
  /** Most flows in the table at once. */
  max_active: number;
}

/** Counts every IP packet into its flow and publishes flow reports on packet time. */
export class FlowTable {
  private readonly buckets = new Map<number, Flow>();
  /** Least recently seen flow (first to time out or be evicted) and most recently seen. */
  private head: Flow | undefined = undefined;
  private tail: Flow | undefined = undefined;
  private size = 0;
  /** Next multiple of the period at which every flow is reported (Infinity: no reports). */
  private nextReport = Infinity;
  /** Earliest packet time at which a report or a timeout may be due: below it a packet only counts. */
  private nextCheck = Infinity;
  private clock = -Infinity;
  private readonly c: FlowCounters = {
    active: 0,
    created: 0,
    packets: 0,
    reports: 0,
    timed_out: 0,
    evicted: 0,
    max_active: 0,
  };

  /** A table publishing its reports through `publish`. */
  constructor(
    private readonly opts: FlowsOptions,
    private readonly publish: (e: TransactionEvent) => void,
  ) {}

  /** Counts one decoded IP packet (`wireLength`: the frame's length on the wire) at packet time `ts`. */
  packet(pkt: DecodedPacket, data: Uint8Array, ts: number, wireLength: number): void {
    if (ts >= this.nextCheck) this.advanceTime(ts);
    if (ts > this.clock) this.clock = ts;
    const hash = flowHash(pkt, data);
    let f = this.buckets.get(hash);
    let dir = -1;
    while (f !== undefined) {
      dir = directionIn(f, pkt, data);
      if (dir >= 0) break;
      f = f.bucketNext;
    }
    if (f === undefined) {
      f = this.create(hash, pkt, data, ts);
      dir = 0;
    } else if (f !== this.tail) {
      this.unlink(f);
      this.append(f);
    }
    if (dir === 0) {
      f.srcPackets++;
      f.srcBytes += wireLength;
    } else {
      f.dstPackets++;
      f.dstBytes += wireLength;
    }
    if (ts > f.end) f.end = ts;
    this.c.packets++;
  }

  /** Moves packet time to `now`: publishes the reports and timeouts due by then, in time order. */
  advanceTime(now: number): void {
    if (now > this.clock) this.clock = now;
    if (now < this.nextCheck) return;
    const { timeoutMs, periodMs } = this.opts;
    for (;;) {
      const head = this.head;
      // Packetbeat's rule: a flow idle for more than the timeout is over.
      const expiry = head === undefined ? Infinity : head.end + timeoutMs;
      const report = this.nextReport;
      if (expiry < now && expiry < report) {
        this.remove(head!);
        this.c.timed_out++;
        this.report(head!, expiry, true);
      } else if (report <= now) {
        for (let f = this.head; f !== undefined; f = f.next) this.report(f, report, false);
        this.nextReport = this.size === 0 ? boundaryAfter(now, periodMs) : report + periodMs;
      } else break;
    }
    this.updateNextCheck();
  }

  /** End of input: every flow is reported final (at the latest packet time) and forgotten. */
  finish(): void {
    const at = this.clock;
    for (let f = this.head; f !== undefined; f = f.next) this.report(f, at, true);
    this.buckets.clear();
    this.head = this.tail = undefined;
    this.size = 0;
    this.c.active = 0;
    this.nextReport = Infinity;
    this.nextCheck = Infinity;
  }

  /** A snapshot of the counters. */
  counters(): FlowCounters {
    return { ...this.c, active: this.size };
  }

  private create(hash: number, pkt: DecodedPacket, data: Uint8Array, ts: number): Flow {
    if (this.size >= this.opts.maxFlows) {
      const oldest = this.head!;
      this.remove(oldest);
      this.c.evicted++;
      this.report(oldest, this.clock, true);
    }
    const f = new Flow(hash, pkt, data, ts);
    f.bucketNext = this.buckets.get(hash);
    this.buckets.set(hash, f);
    this.append(f);
    this.size++;
    this.c.created++;
    if (this.size > this.c.max_active) this.c.max_active = this.size;
    if (this.nextReport === Infinity && this.opts.periodMs > 0)
      this.nextReport = boundaryAfter(ts, this.opts.periodMs);
    if (this.size === 1) this.updateNextCheck();
    return f;
  }

  private report(f: Flow, at: number, final: boolean): void {
    this.c.reports++;
    this.publish(flowEvent(f, at, final));
  }

  /** Takes a flow out of its bucket and the recency list. */
  private remove(f: Flow): void {
    const first = this.buckets.get(f.hash);
    if (first === f) {
      if (f.bucketNext === undefined) this.buckets.delete(f.hash);
      else this.buckets.set(f.hash, f.bucketNext);
    } else {
      let p = first;
      while (p !== undefined && p.bucketNext !== f) p = p.bucketNext;
      if (p !== undefined) p.bucketNext = f.bucketNext;
    }
    f.bucketNext = undefined;
    this.unlink(f);
    this.size--;
  }

  private unlink(f: Flow): void {
    if (f.prev === undefined) this.head = f.next;
    else f.prev.next = f.next;
    if (f.next === undefined) this.tail = f.prev;
    else f.next.prev = f.prev;
    f.prev = f.next = undefined;
  }

  private append(f: Flow): void {
    f.prev = this.tail;
    f.next = undefined;
    if (this.tail === undefined) this.head = f;
    else this.tail.next = f;
    this.tail = f;
  }

  private updateNextCheck(): void {
    const expiry = this.head === undefined ? Infinity : this.head.end + this.opts.timeoutMs;
    this.nextCheck = Math.min(expiry, this.nextReport);
  }
}

/** The first multiple of `period` after `t` (reports fall on round times, as Packetbeat aligns them). */
function boundaryAfter(t: number, period: number): number {
  return period > 0 ? (Math.floor(t / period) + 1) * period : Infinity;
}
