// One run of the wiring (FileSource -> Engine -> Pipeline -> file
// output) with a protocol loaded from a package, as a beat would at start-up.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  Beat,
  createLogger,
  FileSource,
  resolveProtocols,
  runBeat,
  validateConfig,
  type BeatMetrics,
  type BeatResult,
  type FrameSink,
  type PacketSource,
} from '../src/internal';
import {
  PcapWriter,
  TcpFlags,
  buildTcpFrame,
  buildUdpFragments,
  buildUdpFrame,
} from '@wirebeat/tcp-reassembly';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'beat-runner-beat-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const pcaps = path.resolve(__dirname, '../../../pcaps');
const linecountPkg = path.join(__dirname, 'fixtures/protocol-packages/wirebeat-protocol-linecount');

function setup(name: string) {
  const dir = path.join(tmp, name);
  const config = validateConfig('pb_test', {
    pb_test: { protocols: [{ package: linecountPkg }] },
    output: { file: { path: dir } },
  });
  const protocols = resolveProtocols('pb_test', config.beat.protocols, []);
  const logger = createLogger({ beatName: 'pb_test', level: 'info', toStderr: false });
  return { dir, config, protocols, logger };
}

/** A source that says when its first frame has gone to the beat (what a test waits on before stop()). */
function withFirstFrame(inner: PacketSource): { source: PacketSource; firstFrame: Promise<void> } {
  let seen: () => void = () => undefined;
  const firstFrame = new Promise<void>((resolve) => (seen = resolve));
  const source: PacketSource = {
    description: inner.description,
    stop: () => inner.stop(),
    run: (sink: FrameSink) =>
      inner.run({
        frame: (f) => {
          sink.frame(f);
          seen();
        },
        get mustWait() {
          return sink.mustWait;
        },
        waitForSpace: () => sink.waitForSpace(),
        ready: () => sink.ready(),
      }),
  };
  return { source, firstFrame };
}

/** Runs a beat (version 1) over a capture file at top speed. */
function replayFile(s: Omit<ReturnType<typeof setup>, 'dir'>, file: string): Promise<BeatResult> {
  return new Beat({
    beatName: 'pb_test',
    beatVersion: '1',
    ...s,
    source: new FileSource({ path: file, topSpeed: true }),
    replay: true,
  }).run();
}

function lines(file: string): Array<Record<string, unknown>> {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('Beat', () => {
  it('replays a capture through the protocol into the output and reports every counter', async () => {
    const { dir, config, protocols, logger } = setup('replay');
    const beat = new Beat({
      beatName: 'pb_test',
      beatVersion: '1.2.3',
      config,
      protocols,
      source: new FileSource({ path: path.join(pcaps, 'echo.pcap'), topSpeed: true }),
      replay: true,
      logger,
    });
    const result = await beat.run();
    // linecount publishes one event per client line: 46 requests in echo.pcap.
    expect(lines(path.join(dir, 'pb_test'))).toHaveLength(46);
    expect(result.undelivered).toBe(0);
    expect(result.source).toMatchObject({ frames: 107, damage: [] });
    const m: BeatMetrics = result.metrics;
    expect(m.source.frames).toBe(107);
    expect(m.reassembly).toMatchObject({ packets: 107, connectionsOpened: 3, connectionsClosed: 3 });
    expect(m.protocols).toEqual({ linecount: expect.objectContaining({ transactions: 46 }) });
    expect(m.publisher).toMatchObject({ published: 46, acked: 46, dropped: 0 });
  });

  it("reports the engine's UDP and IP fragment counters", async () => {
    const { config, protocols, logger } = setup('udp-metrics');
    // Two whole datagrams and one sent in three fragments, to a port no protocol claims.
    const file = path.join(tmp, 'udp-metrics.pcap');
    const to = { src: '10.2.0.1', dst: '10.2.0.2', srcPort: 40000, dstPort: 9999 };
    const frames = [
      buildUdpFrame({ ...to, payload: 'one' }),
      ...buildUdpFragments({ ...to, payload: 'x'.repeat(3000), ipId: 7 }, 1480),
      buildUdpFrame({ ...to, payload: 'two' }),
    ];
    const writer = PcapWriter.create(file, 1);
    frames.forEach((data, i) =>
      writer.write({ ts: Date.UTC(2026, 0, 1) + i, linktype: 1, data, origLen: data.length }),
    );
    writer.close();
    const result = await replayFile({ config, protocols, logger }, file);
    expect(result.metrics.source.frames).toBe(5);
    expect(result.metrics.udp).toMatchObject({ datagrams: 3, withoutProtocol: 3, delivered: 0 });
    expect(result.metrics.fragments).toMatchObject({ fragments: 3, reassembled: 1 });
  });

  it('keeps connections within max_state_bytes, publishing every line, and reports the evictions', async () => {
    const dir = path.join(tmp, 'budget');
    const config = validateConfig('pb_test', {
      pb_test: { protocols: [{ package: linecountPkg }], max_state_bytes: 1048576 },
      output: { file: { path: dir } },
    });
    const protocols = resolveProtocols('pb_test', config.beat.protocols, []);
    const logger = createLogger({ beatName: 'pb_test', level: 'error', toStderr: false });
    // 2,000 connections left open, one line each: twice what 1 MiB of connection state holds.
    const file = path.join(tmp, 'budget.pcap');
    const writer = PcapWriter.create(file, 1);
    const n = 2000;
    for (let c = 0; c < n; c++) {
      const base = { src: `10.3.${c >> 8}.${c & 255}`, dst: '10.0.0.1', srcPort: 30000 + c, dstPort: 3030 };
      const data = buildTcpFrame({
        ...base,
        seq: 1,
        flags: TcpFlags.ACK | TcpFlags.PSH,
        payload: `line ${c}\n`,
      });
      writer.write({ ts: Date.UTC(2026, 0, 1) + c, linktype: 1, data, origLen: data.length });
    }
    writer.close();
    const result = await replayFile({ config, protocols, logger }, file);
    expect(lines(path.join(dir, 'pb_test'))).toHaveLength(n);
    const memory = result.metrics.memory as Record<string, number>;
    expect(memory.budget_bytes).toBe(1048576);
    expect(memory.evicted_connections).toBeGreaterThan(n / 3);
    expect(memory).toMatchObject({ connections: 0, used_bytes: 0 });
    expect(result.metrics.reassembly).toMatchObject({ connectionsOpened: n, connectionsClosed: n });
  });

  it('writes every frame to --dump and the dump replays to the same events', async () => {
    const { dir, config, protocols, logger } = setup('dump');
    const dump = path.join(tmp, 'dump.pcap');
    await new Beat({
      beatName: 'pb_test',
      beatVersion: '1',
      config,
      protocols,
      source: new FileSource({ path: path.join(pcaps, 'echo-any-sll2.pcap'), topSpeed: true }),
      replay: true,
      logger,
      dumpPath: dump,
    }).run();
    const again = setup('dump-again');
    await new Beat({
      beatName: 'pb_test',
      beatVersion: '1',
      config: again.config,
      protocols: again.protocols,
      source: new FileSource({ path: dump, topSpeed: true }),
      replay: true,
      logger,
    }).run();
    expect(lines(path.join(again.dir, 'pb_test'))).toEqual(lines(path.join(dir, 'pb_test')));
    expect(lines(path.join(dir, 'pb_test'))).toHaveLength(18);
  });

  it('stop() ends a paced replay, and what was read is still published', async () => {
    const { dir, config, protocols, logger } = setup('stop');
    // 20 passes of a 0.3 s capture: about 6 s at the recorded pace, stopped after the first frame.
    const { source, firstFrame } = withFirstFrame(
      new FileSource({ path: path.join(pcaps, 'echo-midstream.pcap'), loop: 20 }),
    );
    const beat = new Beat({
      beatName: 'pb_test',
      beatVersion: '1',
      config,
      protocols,
      source,
      replay: true,
      logger,
    });
    const run = beat.run();
    await firstFrame;
    beat.stop();
    const result = await run;
    const n = lines(path.join(dir, 'pb_test')).length;
    expect(result.source.frames).toBeGreaterThan(0);
    expect(result.source.frames).toBeLessThan(20 * 38);
    expect(result.metrics.publisher.acked).toBe(n);
  });
});

describe('runBeat', () => {
  let written: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    written = [];
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      written.push(String(s));
      return true;
    });
  });
  afterEach(() => spy.mockRestore());

  it('resolves with the exit code and prints one line for a failure', async () => {
    const code = await runBeat({
      name: 'pb_test',
      version: '1',
      protocols: [],
      argv: ['-E', 'pb_test.nope=1', 'test', 'config'],
    });
    expect(code).toBe(1);
    expect(written).toEqual(['pb_test: invalid config: unknown key pb_test.nope\n']);
  });

  it('returns 2 for usage errors', async () => {
    const code = await runBeat({ name: 'pb_test', version: '1', protocols: [], argv: ['--nope'] });
    expect(code).toBe(2);
    expect(written).toEqual(["pb_test: unknown option '--nope' (see pb_test --help)\n"]);
  });
});
