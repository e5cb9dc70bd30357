// Network flows in the engine: every decoded IP packet is counted (TCP, UDP, ICMP and other IP
// protocols, whole UDP datagrams out of fragments), beside the protocols' transactions; nothing
// when flows are off; the same set of flow reports on one engine and on two worker threads.
import * as fs from 'fs';
import * as path from 'path';
import type { Logger, TransactionEvent } from '@wirebeat/applayer';
import { Engine, ShardedEngine, type EngineOptions } from '@wirebeat/engine';
import type { FlowsOptions } from '@wirebeat/flows';
import { echoProtocol } from '@wirebeat/protocol-echo';
import { buildUdpFragments, buildUdpFrame, readAllFrames, type Frame } from '@wirebeat/tcp-reassembly';

jest.setTimeout(60_000);

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const LOOPBACK = path.resolve(__dirname, '../../flows/test/fixtures/loopback-flows.pcap');
const ECHO = path.resolve(__dirname, '../../../pcaps/echo.pcap');
const DIST = path.resolve(__dirname, '../dist/engine-worker.js');
const FLOWS: FlowsOptions = { timeoutMs: 1000, periodMs: 1000, maxFlows: 1000 };

async function frames(capture: string): Promise<Frame[]> {
  return (await readAllFrames(capture)).frames;
}

function oneEngine(
  input: Frame[],
  opts: Partial<EngineOptions>,
): { events: TransactionEvent[]; engine: Engine } {
  const events: TransactionEvent[] = [];
  const engine = new Engine({ protocols: [], publish: (e) => events.push(e), logger: silent, ...opts });
  for (const f of input) engine.processFrame(f);
  engine.finish();
  return { events, engine };
}

const flowDocs = (events: TransactionEvent[]) =>
  events.filter((e) => e.fields.type === 'flow').map((e) => `${e.id} ${JSON.stringify(e.fields)}`);

describe('flows in the engine', () => {
  it('count every IP packet of the capture, whatever its transport', async () => {
    const input = await frames(LOOPBACK);
    const { events, engine } = oneEngine(input, { flows: FLOWS });
    const c = engine.counters();
    expect(c.flows?.packets).toBe(input.length);
    const finals = events.filter((e) => (e.fields.flow as { final: boolean }).final);
    const packets = finals.reduce((n, e) => n + (e.fields.network as { packets: number }).packets, 0);
    expect(packets).toBe(input.length);
  });

  it('are published beside the transactions of the protocols, after them at the end of input', async () => {
    const { events } = oneEngine(await frames(ECHO), {
      protocols: [{ module: echoProtocol, config: echoProtocol.parseConfig({}) }],
      flows: { timeoutMs: 30_000, periodMs: -1, maxFlows: 1000 },
    });
    const types = events.map((e) => (e.json === undefined ? e.fields.type : JSON.parse(e.json).type));
    expect(types).toContain('echo');
    expect(types[types.length - 1]).toBe('flow');
    expect(types.indexOf('flow')).toBeGreaterThan(types.lastIndexOf('echo'));
  });

  it('are off without the option: no flow event, no flow counters', async () => {
    const { events, engine } = oneEngine(await frames(LOOPBACK), {});
    expect(events).toEqual([]);
    expect(engine.counters().flows).toBeUndefined();
  });

  it('count a fragmented UDP datagram once, with its last fragment length', () => {
    const spec = { src: '10.1.0.1', dst: '10.1.0.2', srcPort: 5353, dstPort: 53, payload: 'x'.repeat(3000) };
    const pieces = buildUdpFragments(spec, 1200).map((data, i) => ({
      ts: 1000 + i,
      linktype: 1,
      data,
      origLen: data.length,
    }));
    const answer = buildUdpFrame({
      ...spec,
      src: spec.dst,
      dst: spec.src,
      srcPort: 53,
      dstPort: 5353,
      payload: 'ok',
    });
    const input = [...pieces, { ts: 1010, linktype: 1, data: answer, origLen: answer.length }];
    const { events } = oneEngine(input, { flows: FLOWS });
    expect(events).toHaveLength(1);
    expect(events[0].fields).toMatchObject({
      source: { ip: '10.1.0.1', port: 5353, packets: 1, bytes: pieces[pieces.length - 1].data.length },
      destination: { ip: '10.1.0.2', port: 53, packets: 1, bytes: answer.length },
      network: { transport: 'udp' },
    });
  });

  it.each([1, 2])('give the same reports on %i worker thread(s) as on one engine', async (n) => {
    if (!fs.existsSync(DIST))
      throw new Error(`${DIST} is missing: run \`npx tsc -b\` at the repository root first`);
    const input = await frames(LOOPBACK);
    const expected = flowDocs(oneEngine(input, { flows: FLOWS }).events).sort();
    const events: TransactionEvent[] = [];
    const engine = await ShardedEngine.start({
      protocols: [],
      publish: (e) => events.push(e),
      logger: silent,
      workers: n,
      flows: FLOWS,
    });
    try {
      for (const f of input) engine.processFrame(f);
      await engine.finish();
      expect(flowDocs(events).sort()).toEqual(expected);
      expect(expected.length).toBeGreaterThan(10);
      expect(engine.counters().flows?.packets).toBe(input.length);
    } finally {
      await engine.close();
    }
  });
});
