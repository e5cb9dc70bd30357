// Replays a capture into a FlowTable the way the engine feeds it: every frame decoded once, every
// IP packet (TCP, UDP or another transport) counted with its wire length at its capture time.
import type { TransactionEvent } from '@wirebeat/applayer';
import { decodeFrame, DecodedPacket, DecodeStatus, readAllFrames } from '@wirebeat/tcp-reassembly';
import { FlowTable, type FlowCounters, type FlowsOptions } from '../src';

/** What a replay published and counted. */
export interface FlowReplay {
  events: TransactionEvent[];
  counters: FlowCounters;
}

/** Replays `capture` with `opts` (timeout 30 s, period 10 s, 100000 flows unless given). */
export async function replayFlows(capture: string, opts: Partial<FlowsOptions> = {}): Promise<FlowReplay> {
  const events: TransactionEvent[] = [];
  const table = new FlowTable({ timeoutMs: 30_000, periodMs: 10_000, maxFlows: 100_000, ...opts }, (e) =>
    events.push(e),
  );
  const pkt = new DecodedPacket();
  for (const f of (await readAllFrames(capture)).frames) {
    const st = decodeFrame(f.data, f.linktype, pkt, f.origLen);
    if (st === DecodeStatus.OK || st === DecodeStatus.NOT_TCP) table.packet(pkt, f.data, f.ts, f.origLen);
    else table.advanceTime(f.ts);
  }
  table.finish();
  return { events, counters: table.counters() };
}
