// Live capture for real: echo-server on a free loopback port, pb_echo capturing with cap, the echo
// client playing its plan, then a signal: every transaction the client made must arrive as an event.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  runEchoClient,
  startEchoServer,
  type EchoClientResult,
  type EchoServer,
} from '../../echo-server/src';
import { events, finished, plainStderrLines, runPbEcho, startPbEcho } from './pb-echo-cli';

jest.setTimeout(60_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-echo-live-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Resolves when the child's stderr contains the pattern (pb_echo logs `started` once capturing with -e). */
function waitForStderr(child: ReturnType<typeof startPbEcho>, pattern: RegExp, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`pb_echo did not log ${pattern} within ${ms} ms; stderr: ${seen}`)),
      ms,
    );
    child.stderr!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pb_echo exited with ${code} before capturing; stderr: ${seen}`));
    });
  });
}

/** Resolves when a periodic metrics line reports `n` echo transactions (every packet was processed). */
function waitForTransactions(child: ReturnType<typeof startPbEcho>, n: number, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let last = -1;
    const timer = setTimeout(
      () => reject(new Error(`pb_echo reported ${last} of ${n} transactions within ${ms} ms`)),
      ms,
    );
    child.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (!l.includes('"msg":"metrics"')) continue;
        last = JSON.parse(l).metrics.protocols.echo.transactions;
        if (last >= n) {
          clearTimeout(timer);
          resolve();
        }
      }
    });
  });
}

/** The fields of an echo event this test reads. */
interface EchoEvent {
  '@timestamp': string;
  source: { port: number };
  request?: string;
  responsetime?: number;
  notes?: string[];
}

/** Checks that the events are exactly the client's transactions, each with the right fields. */
function expectEventsMatch(evs: EchoEvent[], client: EchoClientResult, port: number, since: number): void {
  expect(evs).toHaveLength(client.requests);
  for (const conn of client.connections) {
    const mine = evs.filter((e) => e.source.port === conn.localPort);
    expect(mine.map((e) => e.request)).toEqual(
      conn.exchanges.map((x) => (x.request.startsWith('>') ? x.request.slice(1) : x.request)),
    );
    conn.exchanges.forEach((x, i) => {
      const e = mine[i];
      const isError = x.response.startsWith('!');
      expect(e).toMatchObject({
        type: 'echo',
        status: isError ? 'Error' : 'OK',
        response: x.response.slice(1),
        source: { ip: '127.0.0.1', port: conn.localPort, bytes: Buffer.byteLength(x.request) + 1 },
        destination: { ip: '127.0.0.1', port, bytes: Buffer.byteLength(x.response) + 1 },
        network: { transport: 'tcp', protocol: 'echo', type: 'ipv4' },
        event: { kind: 'event', dataset: 'echo', outcome: isError ? 'failure' : 'success' },
      });
      expect(e.notes).toBeUndefined();
      expect(e.responsetime).toBeGreaterThanOrEqual(0);
      const t = Date.parse(e['@timestamp']);
      expect(t).toBeGreaterThanOrEqual(since - 1000);
      expect(t).toBeLessThanOrEqual(Date.now() + 1000);
    });
  }
}

describe('pb_echo live capture', () => {
  let server: EchoServer;
  beforeAll(async () => {
    server = await startEchoServer({ port: 0 });
  });
  afterAll(() => server.close());

  it.each([
    ['lo', 'SIGINT', '1'],
    ['any', 'SIGTERM', '1'],
    ['lo', 'SIGTERM', '2'],
  ] as const)(
    'captures every transaction on -i %s and stops cleanly on %s (workers: %s)',
    async (device, signal, workers) => {
      const dump = path.join(tmp, `dump-${device}-${workers}.pcap`);
      const since = Date.now();
      const child = startPbEcho([
        '-i',
        device,
        '-e',
        '--dump',
        dump,
        '-E',
        `pb_echo.protocols=[{type: echo, ports: [${server.port}], send_request: true, send_response: true}]`,
        '-E',
        'logging.metrics.period=100ms',
        // In immediate mode libpcap uses a TPACKET_V2 ring of snaplen-sized slots: 10 MiB holds only
        // ~160 loopback packets (twice that many copies on `any`), too few when the CPUs are busy.
        '-E',
        'pb_echo.interfaces.buffer_size_mb=256',
        '-E',
        `pb_echo.workers=${workers}`,
      ]);
      const done = finished(child);
      let client: EchoClientResult;
      try {
        await waitForStderr(child, /"msg":"started"/, 10_000);
        client = await runEchoClient({
          port: server.port,
          connections: 3,
          count: 10,
          bigMessageBytes: 100_000,
          burst: 5,
        });
        // Signal only once pb_echo has processed every packet: a signal stops the capture at once.
        await waitForTransactions(child, client.requests, 20_000);
      } catch (err) {
        child.kill('SIGKILL');
        await done;
        throw err;
      }
      child.kill(signal);
      const r = await done;
      expect({ code: r.code, plain: plainStderrLines(r.stderr) }).toEqual({ code: 0, plain: [] });
      expect(r.stderr).toContain(`"signal":"${signal}"`);
      expect(r.stderr).toMatch(/"msg":"metrics at exit"/);
      expectEventsMatch(events(r.stdout) as unknown as EchoEvent[], client, server.port, since);

      // --dump wrote what was captured: replaying it gives the same transactions.
      const replay = await runPbEcho([
        '-I',
        dump,
        '-t',
        '-E',
        `pb_echo.protocols=[{type: echo, ports: [${server.port}], send_request: true, send_response: true}]`,
      ]);
      expect(replay.code).toBe(0);
      expect(events(replay.stdout)).toEqual(events(r.stdout));
    },
  );
});
