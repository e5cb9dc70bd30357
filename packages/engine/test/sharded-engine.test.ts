// Engines on worker threads: frames sharded by flow give the same set of events as one Engine,
// each connection's events in the same order, timeouts included (the packet clock is shared).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Logger, TransactionEvent } from '@wirebeat/applayer';
import {
  discardPrestarted,
  Engine,
  EngineWorkerError,
  flowShard,
  prestartedWorkers,
  prestartWorkers,
  ProtocolNotLocatableError,
  ShardedEngine,
} from '@wirebeat/engine';
import { echoProtocol } from '@wirebeat/protocol-echo';
import {
  buildTcpFrame,
  buildUdpFragments,
  buildUdpFrame,
  PcapWriter,
  TcpFlags,
  type Frame,
} from '@wirebeat/tcp-reassembly';
import { FrameBatchWriter, readFrameBatch } from '../src/frame-batch';
import { mergeCounters } from '../src/wire-event';

jest.setTimeout(60_000);

const T0 = Date.UTC(2026, 0, 1);
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const { SYN, ACK, FIN, PSH } = TcpFlags;
const DIST = path.resolve(__dirname, '../dist/engine-worker.js');

function frame(ts: number, data: Buffer): Frame {
  return { ts, linktype: 1, data, origLen: data.length };
}

/** The frames of one echo connection from `client`: handshake, `pairs` exchanges, close; `answer(k)` false leaves request k unanswered. */
function connection(
  client: string,
  port: number,
  start: number,
  pairs: number,
  gapMs = 1,
  answer = (_k: number) => true,
): Frame[] {
  const out: Frame[] = [];
  let ts = start;
  let c = 1000;
  let s = 5000;
  const cf = (flags: number, payload?: string) =>
    frame(
      ts,
      buildTcpFrame({
        src: client,
        dst: '10.0.0.1',
        srcPort: port,
        dstPort: 3030,
        seq: c,
        ack: s,
        flags,
        payload,
      }),
    );
  const sf = (flags: number, payload?: string) =>
    frame(
      ts,
      buildTcpFrame({
        src: '10.0.0.1',
        dst: client,
        srcPort: 3030,
        dstPort: port,
        seq: s,
        ack: c,
        flags,
        payload,
      }),
    );
  out.push(cf(SYN));
  c++;
  ts += gapMs;
  out.push(sf(SYN | ACK));
  s++;
  ts += gapMs;
  out.push(cf(ACK));
  for (let k = 0; k < pairs; k++) {
    const req = `>${client} ${k}\n`;
    ts += gapMs;
    out.push(cf(PSH | ACK, req));
    c += req.length;
    if (!answer(k)) continue;
    const resp = '<' + req.slice(1);
    ts += gapMs;
    out.push(sf(PSH | ACK, resp));
    s += resp.length;
  }
  ts += gapMs;
  out.push(cf(FIN | ACK));
  c++;
  ts += gapMs;
  out.push(sf(FIN | ACK));
  return out;
}

/** Interleaves connections by time (stable), as a capture would hold them. */
function merge(...conns: Frame[][]): Frame[] {
  return conns.flat().sort((a, b) => a.ts - b.ts);
}

const protocols = [
  { module: echoProtocol, config: echoProtocol.parseConfig({ transaction_timeout: '10s' }) },
];
const locate = () => ({ file: require.resolve('@wirebeat/protocol-echo'), exportName: 'echoProtocol' });

function oneEngine(frames: Frame[]): TransactionEvent[] {
  const events: TransactionEvent[] = [];
  const engine = new Engine({ protocols, publish: (e) => events.push(e), logger: silent });
  for (const f of frames) engine.processFrame(f);
  engine.finish();
  return events;
}

async function workers(frames: Frame[], n: number): Promise<{ events: TransactionEvent[]; frames: number }> {
  if (!fs.existsSync(DIST))
    throw new Error(`${DIST} is missing: run \`npx tsc -b\` at the repository root first`);
  const events: TransactionEvent[] = [];
  const engine = await ShardedEngine.start({
    protocols,
    publish: (e) => events.push(e),
    logger: silent,
    workers: n,
    locate,
  });
  try {
    for (const f of frames) engine.processFrame(f);
    await engine.finish();
    return { events, frames: engine.counters().reassembly.packets };
  } finally {
    await engine.close();
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sharded-engine-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const FEED = path.join(__dirname, 'fixtures', 'pcap-feed.js');

/**
 * The frames through `n` engines as file replay runs them: the main thread's engine takes shard 0
 * of what it is handed, and n - 1 workers read the same frames from a pcap file themselves.
 */
async function fedWorkers(
  frames: Frame[],
  n: number,
): Promise<{ events: TransactionEvent[]; frames: number }> {
  const file = path.join(tmp, `fed-${n}-${frames.length}.pcap`);
  const w = PcapWriter.create(file, 1);
  for (const f of frames) w.write(f);
  w.close();
  const events: TransactionEvent[] = [];
  const publish = (e: TransactionEvent) => events.push(e);
  // An output that is full every other time it is asked: the workers' reading waits for its room.
  let asked = 0;
  const room = {
    get full() {
      return ++asked % 2 === 0;
    },
    waitForSpace: () => new Promise<void>((resolve) => setImmediate(resolve)),
  };
  const engine = await ShardedEngine.start({
    protocols,
    publish,
    logger: silent,
    workers: n,
    locate,
    feed: {
      setup: { file: FEED, exportName: 'createPcapFeed', config: { path: file } },
      local: new Engine({ protocols, publish, logger: silent }),
      room,
    },
  });
  try {
    engine.startInput();
    for (const f of frames) engine.processFrame(f);
    await engine.finish();
    return { events, frames: engine.counters().reassembly.packets };
  } finally {
    await engine.close();
  }
}

const docs = (events: TransactionEvent[]) => events.map((e) => e.json ?? JSON.stringify(e.fields));
/** Each connection's events in order, by connection (the community id names it). */
function byConnection(events: TransactionEvent[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of docs(events)) {
    const id = (JSON.parse(d) as { network: { community_id: string } }).network.community_id;
    (out[id] ??= []).push(d);
  }
  return out;
}

/** Client addresses that land on shard 0 and on shard 1 of 2. */
function clientsOnBothShards(): [string, string] {
  const on: string[][] = [[], []];
  for (let i = 2; i < 60; i++) {
    const ip = `10.1.0.${i}`;
    on[flowShard(buildTcpFrame({ src: ip, dst: '10.0.0.1', srcPort: 1, dstPort: 3030, seq: 0 }), 1, 2)].push(
      ip,
    );
  }
  return [on[0][0], on[1][0]];
}

describe('flowShard', () => {
  it('puts both directions of a connection on the same shard, IPv4 and IPv6', () => {
    for (const [a, b] of [
      ['10.1.2.3', '10.0.0.1'],
      ['2001:db8::5', '2001:db8::1'],
    ]) {
      for (let port = 1000; port < 1040; port++) {
        const there = buildTcpFrame({ src: a, dst: b, srcPort: port, dstPort: 3030, seq: 1 });
        const back = buildTcpFrame({ src: b, dst: a, srcPort: 3030, dstPort: port, seq: 1 });
        expect(flowShard(back, 1, 4)).toBe(flowShard(there, 1, 4));
      }
    }
  });

  it('puts every fragment of a UDP datagram where the whole datagram goes', () => {
    const spec = {
      src: '10.1.0.9',
      dst: '10.0.0.1',
      srcPort: 4000,
      dstPort: 5353,
      payload: 'x'.repeat(3000),
      id: 77,
    };
    const whole = flowShard(buildUdpFrame(spec), 1, 3);
    const pieces = buildUdpFragments(spec, 1000);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.map((p) => flowShard(p, 1, 3))).toEqual(pieces.map(() => whole));
  });

  it('spreads clients over every shard, and sends what is not IP to shard 0', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++)
      seen.add(
        flowShard(
          buildTcpFrame({ src: 0x0a010000 + i, dst: '10.0.0.1', srcPort: 1, dstPort: 2, seq: 0 }),
          1,
          4,
        ),
      );
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
    const arp = Buffer.alloc(42);
    arp.writeUInt16BE(0x0806, 12);
    expect(flowShard(arp, 1, 4)).toBe(0);
  });
});

describe('frame batches', () => {
  it('give back every frame as written, also one larger than the batch', () => {
    const frames = [
      frame(T0, Buffer.from('abc')),
      frame(T0 + 0.5, Buffer.alloc(5000, 7)),
      frame(T0 + 1, Buffer.from('z')),
    ];
    frames[1].origLen = 9000;
    frames[2].tsNanos = 0;
    frames[0].tsNanos = 999;
    const w = new FrameBatchWriter(new ArrayBuffer(1024));
    frames.forEach((f, i) => w.add(f, T0 - 1 + i));
    const batch = w.take();
    const got: Array<[number, number, number, number | undefined, number[]]> = [];
    const kinds: boolean[] = [];
    readFrameBatch(
      batch.buffer,
      batch.length,
      (f, clock) =>
        got.push([f.ts, clock, f.origLen, f.tsNanos, [...f.data]]) &&
        kinds.push(f.data.constructor === Uint8Array),
    );
    expect(batch.frames).toBe(3);
    // Plain Uint8Arrays, as frames are elsewhere (one kind of byte array for the engine's code).
    expect(kinds).toEqual([true, true, true]);
    expect(got).toEqual(frames.map((f, i) => [f.ts, T0 - 1 + i, f.origLen, f.tsNanos, [...f.data]]));
  });
});

describe('mergeCounters', () => {
  it('adds counters up, nested ones too, and keeps the largest high-water mark', () => {
    const a = { frames: 2, reassembly: { gaps: 1, reorderHighWater: 10, undecodable: { not_ip: 1 } } };
    const b = { frames: 3, reassembly: { gaps: 4, reorderHighWater: 7, undecodable: { not_ip: 2 } } };
    expect(mergeCounters([a, b])).toEqual({
      frames: 5,
      reassembly: { gaps: 5, reorderHighWater: 10, undecodable: { not_ip: 3 } },
    });
  });
});

describe('ShardedEngine', () => {
  it('gives the events of one Engine over many connections, each connection in order', async () => {
    const conns = [];
    for (let i = 0; i < 120; i++)
      conns.push(connection(`10.2.${i >> 8}.${i & 255}`, 40000 + i, T0 + (i % 30) * 3, 4));
    const frames = merge(...conns);
    const one = oneEngine(frames);
    const two = await workers(frames, 2);
    expect(one).toHaveLength(120 * 4);
    expect(two.frames).toBe(frames.length);
    expect(docs(two.events).sort()).toEqual(docs(one).sort());
    expect(byConnection(two.events)).toEqual(byConnection(one));
    for (const n of [2, 3]) {
      const fed = await fedWorkers(frames, n);
      expect(fed.frames).toBe(frames.length);
      expect(byConnection(fed.events)).toEqual(byConnection(one));
    }
  });

  // The slow client on shard 0 (the main thread's engine when the workers read the input) and on shard 1.
  it.each([
    ['0', false],
    ['1', true],
  ])(
    'times a request out on packets of other shards, as one Engine does (slow client on shard %s)',
    async (_shard, swap) => {
      const pair = clientsOnBothShards();
      const [a, b] = swap ? [pair[1], pair[0]] : pair;
      // a's second request is answered 20 s later; b keeps the capture busy meanwhile, on the other shard.
      const slow = connection(a, 41000, T0, 2, 1, (k) => k === 0);
      const late = slow.slice(-2);
      const lateAnswer = frame(
        T0 + 20_000,
        buildTcpFrame({
          src: '10.0.0.1',
          dst: a,
          srcPort: 3030,
          dstPort: 41000,
          seq: 5001 + `<${a} 0\n`.length,
          ack: 0,
          flags: PSH | ACK,
          payload: `<${a} 1\n`,
        }),
      );
      const busy = connection(b, 42000, T0 + 1, 40, 500);
      const frames = merge(
        slow.slice(0, -2),
        [lateAnswer],
        late.map((f) => ({ ...f, ts: T0 + 21_000 })),
        busy,
      );
      const one = oneEngine(frames);
      const two = await workers(frames, 2);
      expect(docs(two.events).sort()).toEqual(docs(one).sort());
      // Workers reading the frames themselves move their clock on the other shard's frames the same way.
      expect(docs((await fedWorkers(frames, 2)).events).sort()).toEqual(docs(one).sort());
      const errors = docs(one).filter((d) => d.includes(`"${a}"`) && d.includes('"status":"Error"'));
      expect(errors.length).toBeGreaterThan(0);
    },
  );

  it('finishes gradually: workers wait for room in the output between batches, and nothing is lost', async () => {
    // 200 connections still open at the end of the input, each with a request never answered.
    const conns = [];
    for (let i = 0; i < 200; i++)
      conns.push(connection(`10.4.${i >> 8}.${i & 255}`, 43000 + i, T0 + i, 3, 1, (k) => k < 2).slice(0, -2));
    const frames = merge(...conns);
    const one = oneEngine(frames);
    const events: TransactionEvent[] = [];
    let full = false;
    let waits = 0;
    let room: Array<() => void> = [];
    // A slow output: full after every 40 events, room again on the next turn of the event loop.
    const publish = (e: TransactionEvent) => {
      events.push(e);
      if (events.length % 40 === 0 && !full) {
        full = true;
        setImmediate(() => {
          full = false;
          const waiting = room;
          room = [];
          for (const r of waiting) r();
        });
      }
    };
    const engine = await ShardedEngine.start({ protocols, publish, logger: silent, workers: 2, locate });
    try {
      for (const f of frames) engine.processFrame(f);
      await engine.finishGradually('eof', {
        batch: 10,
        mustWait: () => full,
        waitForSpace: () => {
          waits++;
          return new Promise<void>((resolve) => room.push(resolve));
        },
      });
    } finally {
      await engine.close();
    }
    expect(one.filter((e) => e.provisional === true)).toHaveLength(200);
    expect(docs(events).sort()).toEqual(docs(one).sort());
    expect(events.filter((e) => e.provisional === true)).toHaveLength(200);
    expect(waits).toBeGreaterThan(0);
  });

  it('refuses a protocol module no file exports, naming it and the way out', async () => {
    const made = { ...echoProtocol, name: 'made-at-run-time' };
    const start = () =>
      ShardedEngine.start({
        protocols: [{ module: made, config: protocols[0].config }],
        publish() {},
        logger: silent,
        workers: 2,
      });
    await expect(start()).rejects.toThrow(ProtocolNotLocatableError);
    await expect(start()).rejects.toThrow(/made-at-run-time.*workers: 1/);
  });

  it('rejects with EngineWorkerError when a worker cannot load its protocol', async () => {
    const missing = () => ({ file: path.join(__dirname, 'no-such-protocol.js') });
    await expect(
      ShardedEngine.start({ protocols, publish() {}, logger: silent, workers: 2, locate: missing }),
    ).rejects.toThrow(EngineWorkerError);
  });
});

describe('prestarted workers', () => {
  afterEach(() => discardPrestarted());

  it('are adopted by the next engine, which gives the events of one Engine, fed or not', async () => {
    const conns = [];
    for (let i = 0; i < 40; i++) conns.push(connection(`10.3.0.${i + 2}`, 43000 + i, T0 + i, 3));
    const frames = merge(...conns);
    const one = oneEngine(frames);
    prestartWorkers(2);
    expect(prestartedWorkers()).toBe(2);
    const two = await workers(frames, 2);
    expect(prestartedWorkers()).toBe(0);
    expect(byConnection(two.events)).toEqual(byConnection(one));
    // File replay: the main thread's engine is one of the two, the prestarted worker reads the file.
    prestartWorkers(1);
    const fed = await fedWorkers(frames, 2);
    expect(prestartedWorkers()).toBe(0);
    expect(fed.frames).toBe(frames.length);
    expect(byConnection(fed.events)).toEqual(byConnection(one));
  });

  it('are only adopted with the same preload files, and the unused ones end when discarded', async () => {
    // A worker that loaded other files first is not this engine's: the engine starts its own.
    prestartWorkers(1, { preload: [FEED] });
    const frames = connection('10.3.1.2', 44000, T0, 2);
    expect((await workers(frames, 1)).events).toHaveLength(2);
    expect(prestartedWorkers()).toBe(1);
    await discardPrestarted();
    expect(prestartedWorkers()).toBe(0);
  });

  it('report a setup they cannot build as EngineWorkerError', async () => {
    prestartWorkers(2);
    const missing = () => ({ file: path.join(__dirname, 'no-such-protocol.js') });
    await expect(
      ShardedEngine.start({ protocols, publish() {}, logger: silent, workers: 2, locate: missing }),
    ).rejects.toThrow(EngineWorkerError);
    expect(prestartedWorkers()).toBe(0);
  });
});
