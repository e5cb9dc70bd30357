// `pb_echo.workers`: the built beat with its engine sharded by flow over worker threads gives the
// same set of events as on one thread, on a capture whose connections come from many addresses
// (so that every worker gets some), with transactions timing out across shards; bad values are
// refused with one line. On file replay at top speed the workers read the capture themselves
// (the main thread's engine takes one shard): also from pcapng over several link types, over
// several passes, and a SIGINT in the middle drains what every engine read.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { flowShard } from '@wirebeat/engine';
import { buildTcpFrame, PcapWriter, TcpFlags } from '@wirebeat/tcp-reassembly';
import { PcapngBuilder } from '../../../packages/tcp-reassembly/test/pcapng-builder';
import { events, finished, plainStderrLines, rawEvents, runPbEcho, startPbEcho } from './pb-echo-cli';

jest.setTimeout(60_000);

const { SYN, ACK, FIN, PSH } = TcpFlags;
const T0 = Date.UTC(2026, 0, 1);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-echo-workers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** 60 clients, 5 exchanges each, interleaved; every 7th client leaves its last request unanswered until 15 s later. */
function writeCapture(file: string, ng: string): string[] {
  const w = PcapWriter.create(file, 1);
  const frames: Array<[number, Buffer]> = [];
  const clients: string[] = [];
  for (let i = 0; i < 60; i++) {
    const ip = `10.3.${i >> 4}.${(i & 15) + 2}`;
    clients.push(ip);
    const port = 30000 + i;
    let ts = T0 + i * 7;
    let c = 100 + i;
    let s = 9000 + i;
    const cf = (flags: number, payload?: string) =>
      frames.push([
        ts,
        buildTcpFrame({
          src: ip,
          dst: '10.0.0.1',
          srcPort: port,
          dstPort: 3030,
          seq: c,
          ack: s,
          flags,
          payload,
        }),
      ]);
    const sf = (flags: number, payload?: string) =>
      frames.push([
        ts,
        buildTcpFrame({
          src: '10.0.0.1',
          dst: ip,
          srcPort: 3030,
          dstPort: port,
          seq: s,
          ack: c,
          flags,
          payload,
        }),
      ]);
    cf(SYN);
    c++;
    ts += 1;
    sf(SYN | ACK);
    s++;
    ts += 1;
    cf(ACK);
    for (let k = 0; k < 5; k++) {
      const req = `>client ${i} request ${k}\n`;
      ts += 100;
      cf(PSH | ACK, req);
      c += req.length;
      // The slow ones answer their last request long after the transaction timeout (5 s).
      if (i % 7 === 0 && k === 4) ts += 15_000;
      else ts += 2;
      const resp = '<' + req.slice(1);
      sf(PSH | ACK, resp);
      s += resp.length;
    }
    ts += 1;
    cf(FIN | ACK);
    c++;
    ts += 1;
    sf(FIN | ACK);
  }
  frames.sort((a, b) => a[0] - b[0]);
  for (const [ts, data] of frames) w.writePacket(ts, data);
  w.close();
  writePcapng(ng, frames);
  return clients;
}

/**
 * The same frames as pcapng over three interfaces, each client's on one: Ethernet (µs), raw IP
 * (ns) and Linux cooked (µs), so that the workers' own reading meets every link type at once.
 */
function writePcapng(file: string, frames: Array<[number, Buffer]>): void {
  const ng = new PcapngBuilder().shb().idb(1).idb(101, 9).idb(113);
  const sll = Buffer.from([0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00]);
  for (const [ts, eth] of frames) {
    // The client's address is whichever of the two is not the server's 10.0.0.1.
    const client = eth[29] === 1 ? eth[33] : eth[29];
    const iface = client % 3;
    const us = BigInt(ts) * 1000n;
    if (iface === 0) ng.epb(0, us, eth);
    else if (iface === 1) ng.epb(1, us * 1000n, eth.subarray(14));
    else ng.epb(2, us, Buffer.concat([sll, eth.subarray(14)]));
  }
  fs.writeFileSync(file, ng.build());
}

const file = path.join(tmp, 'many-clients.pcap');
const ngFile = path.join(tmp, 'many-clients.pcapng');
const clients = writeCapture(file, ngFile);
/** The shard of a client's connection with 2 engines. */
const shardOf = (ip: string) =>
  flowShard(buildTcpFrame({ src: ip, dst: '10.0.0.1', srcPort: 1, dstPort: 3030, seq: 0 }), 1, 2);
const ARGS = ['-I', file, '-t', '-E', 'pb_echo.protocols=[{type: echo, transaction_timeout: 5s}]'];
/** The metrics line logged at exit. */
function exitMetrics(stderr: string): {
  processors: { dropped: number };
  publisher: { acked: number; published: number };
} {
  const line = stderr.split('\n').find((l) => l.includes('"msg":"metrics at exit"'));
  if (line === undefined) throw new Error(`no exit metrics on stderr:\n${stderr}`);
  return JSON.parse(line).metrics;
}
const sortedJson = (stdout: string) =>
  events(stdout)
    .map((e) => JSON.stringify(e))
    .sort();

describe('pb_echo.workers', () => {
  it('spreads the capture over both workers', () => {
    const shards = new Set(clients.map(shardOf));
    expect([...shards].sort()).toEqual([0, 1]);
  });

  it.each(['2', '3', 'auto'])('gives the events of one thread with workers=%s', async (workers) => {
    const one = await runPbEcho(ARGS);
    const many = await runPbEcho([...ARGS, '-E', `pb_echo.workers=${workers}`]);
    expect([one.code, plainStderrLines(one.stderr)]).toEqual([0, []]);
    expect([many.code, plainStderrLines(many.stderr)]).toEqual([0, []]);
    const got = sortedJson(many.stdout);
    const want = sortedJson(one.stdout);
    expect(want.length).toBeGreaterThanOrEqual(60 * 5);
    expect(got.length).toBe(want.length);
    expect(got).toEqual(want);
    // The slow clients' last requests timed out (on other connections' packet time), their answers came alone.
    expect(got.filter((e) => e.includes('"status":"Error"')).length).toBeGreaterThanOrEqual(8 * 2);
  });

  it('enriches in the workers as on one thread: tags, fields, processors and their drop count', async () => {
    // Every event of the even clients is dropped; the rest get a field and the configured tags.
    const enrich = [
      ...ARGS,
      '-E',
      'tags=[lab, replay]',
      '-E',
      'fields={site: paris}',
      '-E',
      'processors=[{drop_event: {when: {regexp: {client.ip: "[02468]$"}}}}, {add_fields: {target: lab, fields: {kept: true}}}]',
    ];
    const one = await runPbEcho(enrich);
    const two = await runPbEcho([...enrich, '-E', 'pb_echo.workers=2']);
    expect([two.code, plainStderrLines(two.stderr)]).toEqual([0, []]);
    const sortedRaw = (stdout: string) =>
      rawEvents(stdout)
        .map((e) => {
          delete (e.agent as Record<string, unknown>).ephemeral_id;
          return JSON.stringify(e);
        })
        .sort();
    const want = sortedRaw(one.stdout);
    expect(want.length).toBeGreaterThan(60);
    expect(want.every((e) => e.includes('"tags":["lab","replay"]') && e.includes('"kept":true'))).toBe(true);
    expect(sortedRaw(two.stdout)).toEqual(want);
    const dropped = (stderr: string) => exitMetrics(stderr).processors.dropped;
    expect(dropped(one.stderr)).toBeGreaterThan(0);
    expect(dropped(two.stderr)).toBe(dropped(one.stderr));
    expect(exitMetrics(two.stderr).publisher.acked).toBe(want.length);
  });

  it('reads a pcapng over Ethernet, raw IP and Linux cooked interfaces as one thread does', async () => {
    const ng = ['-I', ngFile, ...ARGS.slice(2)];
    const one = await runPbEcho(ng);
    const two = await runPbEcho([...ng, '-E', 'pb_echo.workers=2']);
    expect([two.code, plainStderrLines(two.stderr)]).toEqual([0, []]);
    const want = sortedJson(one.stdout);
    // As many transactions as from the pcap: the link types change nothing (the raw IP interface's
    // timestamps have nanoseconds, so the events differ in their times).
    expect(want.length).toBe(sortedJson((await runPbEcho(ARGS)).stdout).length);
    expect(want.filter((e) => /\.\d{9}Z"/.test(e)).length).toBeGreaterThan(0);
    expect(sortedJson(two.stdout)).toEqual(want);
  });

  it('replays several passes (-l 3) as one thread does', async () => {
    const one = await runPbEcho([...ARGS, '-l', '3']);
    const two = await runPbEcho([...ARGS, '-l', '3', '-E', 'pb_echo.workers=2']);
    expect([two.code, plainStderrLines(two.stderr)]).toEqual([0, []]);
    const want = sortedJson(one.stdout);
    expect(want.length).toBeGreaterThanOrEqual(3 * 60 * 5);
    expect(sortedJson(two.stdout)).toEqual(want);
  });

  it('loses nothing while the output queue is full (16 events) and the workers wait for it', async () => {
    const small = [...ARGS, '-l', '10', '-E', 'queue.mem.events=16', '-E', 'queue.mem.flush.min_events=8'];
    const one = await runPbEcho(small);
    const two = await runPbEcho([...small, '-E', 'pb_echo.workers=2']);
    expect([two.code, plainStderrLines(two.stderr)]).toEqual([0, []]);
    const want = sortedJson(one.stdout);
    expect(want.length).toBeGreaterThanOrEqual(10 * 60 * 5);
    expect(sortedJson(two.stdout)).toEqual(want);
    expect(exitMetrics(two.stderr).publisher.acked).toBe(want.length);
  });

  it('SIGINT during an endless replay (-l 0) stops every reader and drains what each engine read', async () => {
    const child = startPbEcho([
      ...ARGS,
      '-l',
      '0',
      '-E',
      'pb_echo.workers=2',
      '-E',
      'logging.metrics.period=100ms',
    ]);
    const done = finished(child);
    // Signalled once events came from both engines (the workers' reading is under way).
    const seenShards = new Set<number>();
    await new Promise<void>((resolve) => {
      let tail = '';
      child.stdout!.on('data', (d: string) => {
        const lines = (tail + d).split('\n');
        tail = lines.pop()!;
        for (const l of lines)
          seenShards.add(shardOf((JSON.parse(l) as { client: { ip: string } }).client.ip));
        if (seenShards.size === 2) resolve();
      });
    });
    child.kill('SIGINT');
    const r = await done;
    expect([r.code, plainStderrLines(r.stderr)]).toEqual([0, []]);
    const m = exitMetrics(r.stderr);
    const got = events(r.stdout);
    expect(got.length).toBeGreaterThan(0);
    expect(m.publisher.published).toBe(got.length);
    expect(m.publisher.acked).toBe(got.length);
  });

  it('reports a file that is not a capture as one thread does, in one line', async () => {
    const bad = path.join(tmp, 'not-a-capture.pcap');
    fs.writeFileSync(bad, 'no capture here, only text\n'.repeat(10));
    const args = ['-I', bad, '-t'];
    const one = await runPbEcho(args);
    const two = await runPbEcho([...args, '-E', 'pb_echo.workers=2']);
    expect(one.code).not.toBe(0);
    expect(plainStderrLines(one.stderr)).toEqual([expect.stringMatching(/not a pcap or pcapng capture/)]);
    expect([two.code, plainStderrLines(two.stderr)]).toEqual([one.code, plainStderrLines(one.stderr)]);
  });

  it('refuses a worker count that is not a positive number or auto', async () => {
    const r = await runPbEcho([...ARGS, '-E', 'pb_echo.workers=0']);
    expect(r.code).not.toBe(0);
    expect(plainStderrLines(r.stderr)).toEqual([expect.stringMatching(/^pb_echo: .*workers/)]);
  });
});
