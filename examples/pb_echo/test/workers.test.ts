// `pb_echo.workers`: the built beat with its engine sharded by flow over worker threads gives the
// same set of events as on one thread, on a capture whose connections come from many addresses
// (so that every worker gets some), with transactions timing out across shards; bad values are
// refused with one line.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { flowShard } from '@wirebeat/engine';
import { buildTcpFrame, PcapWriter, TcpFlags } from '@wirebeat/tcp-reassembly';
import { events, plainStderrLines, rawEvents, runPbEcho } from './pb-echo-cli';

jest.setTimeout(60_000);

const { SYN, ACK, FIN, PSH } = TcpFlags;
const T0 = Date.UTC(2026, 0, 1);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-echo-workers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** 60 clients, 5 exchanges each, interleaved; every 7th client leaves its last request unanswered until 15 s later. */
function writeCapture(file: string): string[] {
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
  return clients;
}

const file = path.join(tmp, 'many-clients.pcap');
const clients = writeCapture(file);
const ARGS = ['-I', file, '-t', '-E', 'pb_echo.protocols=[{type: echo, transaction_timeout: 5s}]'];
/** The metrics line logged at exit. */
function exitMetrics(stderr: string): { processors: { dropped: number }; publisher: { acked: number } } {
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
    const shards = new Set(
      clients.map((ip) =>
        flowShard(buildTcpFrame({ src: ip, dst: '10.0.0.1', srcPort: 1, dstPort: 3030, seq: 0 }), 1, 2),
      ),
    );
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

  it('refuses a worker count that is not a positive number or auto', async () => {
    const r = await runPbEcho([...ARGS, '-E', 'pb_echo.workers=0']);
    expect(r.code).not.toBe(0);
    expect(plainStderrLines(r.stderr)).toEqual([expect.stringMatching(/^pb_echo: .*workers/)]);
  });
});
