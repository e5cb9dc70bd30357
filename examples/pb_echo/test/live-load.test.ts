// Live capture under load, for real: echo-server on a free loopback port, pb_echo -i lo with the
// DEFAULT capture buffer, the echo client at a few thousand requests per second: no transaction may
// be lost. With a buffer far too small for the load, the loss must be reported (warning + counters).
import * as fs from 'fs';
import * as os from 'os';
import { runEchoClient, startEchoServer, type EchoServer } from '../../echo-server/src';
import { events, finished, startPbEcho, type RunResult } from './pb-echo-cli';

jest.setTimeout(120_000);

interface LiveMetrics {
  source: {
    frames: number;
    capture_missed_bytes: number;
    capture_loss_warnings: number;
    capture_dropped_packets: number;
  };
  protocols: { echo: { transactions: number } };
  publisher: { dropped: number };
}

/** Niceness of the beat's capture process (its only child), from /proc. */
function captureNice(beatPid: number): number {
  const kids = fs.readFileSync(`/proc/${beatPid}/task/${beatPid}/children`, 'utf8').trim().split(/\s+/);
  expect(kids).toHaveLength(1);
  const stat = fs.readFileSync(`/proc/${kids[0]}/stat`, 'utf8');
  // Fields after the command's closing parenthesis: state is the first, nice the 17th.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/** Parsed JSON log lines of stderr. */
function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Follows the periodic metrics lines of a running pb_echo. */
function metricsFeed(child: ReturnType<typeof startPbEcho>) {
  let buf = '';
  let latest: LiveMetrics | undefined;
  let started = false;
  const waiters: Array<() => void> = [];
  child.stderr!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) {
      if (l.includes('"msg":"started"')) started = true;
      if (l.includes('"msg":"metrics"')) latest = (JSON.parse(l) as { metrics: LiveMetrics }).metrics;
    }
    for (const w of waiters.splice(0)) w();
  });
  /** Resolves once `ok` holds for what was seen; rejects after `ms`. */
  const until = (ok: () => boolean, what: string, ms = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`pb_echo: ${what} not seen in ${ms} ms; last metrics ${JSON.stringify(latest)}`)),
        ms,
      );
      const check = () => {
        if (ok()) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  return {
    latest: () => latest,
    started: () => until(() => started, 'started'),
    until: (ok: (m: LiveMetrics) => boolean, what: string) =>
      until(() => latest !== undefined && ok(latest), what),
  };
}

async function stop(child: ReturnType<typeof startPbEcho>, done: Promise<RunResult>): Promise<RunResult> {
  child.kill('SIGTERM');
  const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const r = await done;
  clearTimeout(guard);
  return r;
}

describe('pb_echo live capture under load', () => {
  let server: EchoServer;
  beforeAll(async () => {
    server = await startEchoServer({ port: 0 });
  });
  afterAll(() => server.close());

  const protocols = () => `pb_echo.protocols=[{type: echo, ports: [${server.port}]}]`;
  /** pb_echo on lo for the server's port, metrics every 100 ms, with more settings. */
  const startLive = (...settings: string[]) =>
    startPbEcho([
      '-i',
      'lo',
      '-e',
      '-E',
      protocols(),
      '-E',
      'logging.metrics.period=100ms',
      ...settings.flatMap((s) => ['-E', s]),
    ]);

  it('loses no transaction at a few thousand requests per second with the default buffer', async () => {
    const child = startLive();
    const done = finished(child);
    const feed = metricsFeed(child);
    let clientErrors = -1;
    try {
      await feed.started();
      // By default the capture process runs at the beat's niceness.
      expect(captureNice(child.pid!)).toBe(os.getPriority(child.pid!));
      // 10 connections, each request 1 ms after the previous reply: about 5,000 requests/s on lo.
      const client = await runEchoClient({
        port: server.port,
        connections: 10,
        count: 1500,
        pauseMs: 1,
        bigMessageBytes: 0,
        burst: 0,
      });
      expect(client.requests).toBe(15_000);
      clientErrors = client.errors;
      await feed.until((m) => m.protocols.echo.transactions >= client.requests, 'every transaction');
    } catch (err) {
      child.kill('SIGKILL');
      await done;
      throw err;
    }
    const r = await stop(child, done);
    expect(r.code).toBe(0);
    expect(events(r.stdout)).toHaveLength(15_000);
    const evs = events(r.stdout);
    // Complete transactions only: none published with a note (response missing, gap in stream).
    expect(evs.filter((e) => e.notes !== undefined)).toEqual([]);
    expect(evs.filter((e) => e.status === 'Error')).toHaveLength(clientErrors);
    const warnings = logLines(r.stderr).filter((l) => l.level === 40);
    expect(warnings).toEqual([]);
    const exit = logLines(r.stderr).find((l) => l.msg === 'metrics at exit') as { metrics: LiveMetrics };
    expect(exit.metrics.source).toMatchObject({ capture_missed_bytes: 0, capture_loss_warnings: 0 });
  });

  it('holds packets back while the output is stalled, and loses none (queue of 16 events)', async () => {
    // Held back far longer than the transaction timeout: the wall clock must not expire them.
    const child = startLive(
      'queue.mem.events=16',
      `pb_echo.protocols=[{type: echo, ports: [${server.port}], transaction_timeout: 200ms}]`,
    );
    const feed = metricsFeed(child);
    let done: Promise<RunResult> | undefined;
    let requests = 0;
    let clientErrors = -1;
    try {
      await feed.started();
      // Nobody reads the beat's stdout yet: its output stalls once the pipe is full, the queue
      // fills, and the capture process must keep what the beat does not read.
      const client = await runEchoClient({
        port: server.port,
        connections: 4,
        count: 500,
        pauseMs: 1,
        bigMessageBytes: 0,
        burst: 0,
      });
      requests = client.requests;
      clientErrors = client.errors;
      // Held back: the beat analysed a few hundred transactions at most (pipe, queue) meanwhile.
      expect(feed.latest()?.protocols.echo.transactions ?? 0).toBeLessThan(requests / 2);
      done = finished(child);
      await feed.until((m) => m.protocols.echo.transactions >= requests, 'every transaction');
    } catch (err) {
      child.kill('SIGKILL');
      await (done ?? finished(child));
      throw err;
    }
    const r = await stop(child, done);
    expect(r.code).toBe(0);
    expect(events(r.stdout)).toHaveLength(requests);
    // None timed out or cut by a gap (those carry notes); Error only for the client's bad requests.
    const evs = events(r.stdout);
    expect(evs.filter((e) => e.notes !== undefined)).toEqual([]);
    expect(evs.filter((e) => e.status === 'Error')).toHaveLength(clientErrors);
    const exit = logLines(r.stderr).find((l) => l.msg === 'metrics at exit') as { metrics: LiveMetrics };
    expect(exit.metrics.publisher.dropped).toBe(0);
    expect(exit.metrics.source).toMatchObject({ capture_missed_bytes: 0, capture_dropped_packets: 0 });
  });

  it('warns, and counts, when the kernel buffer is too small and the capture loses packets', async () => {
    const child = startLive(
      // About 8 ring slots: any pause of the capture process overflows it at this rate.
      'pb_echo.interfaces.buffer_size_mb=1',
      // A lower priority than the beat's: the capture process is often late.
      'pb_echo.interfaces.capture_nice=3',
    );
    const done = finished(child);
    const feed = metricsFeed(child);
    try {
      await feed.started();
      expect(captureNice(child.pid!)).toBe(3);
      await runEchoClient({
        port: server.port,
        connections: 20,
        count: 1500,
        pauseMs: 0,
        bigMessageBytes: 0,
        burst: 0,
      });
      await feed.until((m) => m.source.capture_loss_warnings > 0, 'a capture loss warning');
    } catch (err) {
      child.kill('SIGKILL');
      await done;
      throw err;
    }
    const r = await stop(child, done);
    expect(r.code).toBe(0);
    const warning = logLines(r.stderr).find((l) => l.level === 40);
    expect(warning?.msg).toMatch(
      /^capture on lo missed \d+ bytes that the TCP peers exchanged \(the kernel dropped packets before they were read\); transactions were lost: raise pb_echo\.interfaces\.buffer_size_mb \(now 1\)$/,
    );
    const exit = logLines(r.stderr).find((l) => l.msg === 'metrics at exit') as { metrics: LiveMetrics };
    expect(exit.metrics.source.capture_missed_bytes).toBeGreaterThan(0);
    expect(exit.metrics.source.capture_loss_warnings).toBeGreaterThanOrEqual(1);
    expect(events(r.stdout).length).toBeLessThan(30_000);
  });
});
