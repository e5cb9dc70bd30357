// Config and replay options end to end, on the reference captures.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { events, finished, PCAPS, plainStderrLines, ROOT, runPbEcho, startPbEcho } from './pb-echo-cli';

jest.setTimeout(60_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-echo-opts-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const echoPcap = path.join(PCAPS, 'echo.pcap');

/** The metrics object of the line pb_echo writes at exit. */
interface ExitMetrics {
  reassembly: Record<string, number>;
  protocols: Record<string, Record<string, number>>;
  publisher: Record<string, number>;
}

function exitMetrics(stderr: string): ExitMetrics {
  const line = stderr.split('\n').find((l) => l.includes('"msg":"metrics at exit"'));
  if (!line) throw new Error(`no metrics line at exit in: ${stderr}`);
  return JSON.parse(line).metrics as ExitMetrics;
}

describe('pb_echo options', () => {
  it('writes one metrics line at exit with the reassembly, protocol and publisher counters', async () => {
    const r = await runPbEcho(['-I', echoPcap, '-t']);
    expect(r.code).toBe(0);
    const m = exitMetrics(r.stderr);
    expect(m.reassembly).toMatchObject({
      packets: 107,
      decoded: 107,
      connectionsOpened: 3,
      connectionsClosed: 3,
      gaps: 0,
    });
    expect(m.protocols.echo).toMatchObject({ transactions: 46 });
    expect(m.publisher).toMatchObject({ published: 46, acked: 46, dropped: 0, failed: 0, queued: 0 });
    // Only JSON on stderr: the metrics line (and no log below warn without -e).
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('logs at the configured level with -e, on stderr only', async () => {
    const r = await runPbEcho(['-I', echoPcap, '-t', '-e']);
    const lines = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['started', 'stopped', 'metrics at exit']),
    );
    expect(events(r.stdout)).toHaveLength(46);
  });

  it('applies -E over the config file', async () => {
    const r = await runPbEcho([
      '-c',
      path.join(ROOT, 'examples/pb_echo/pb_echo.yml'),
      '-E',
      'pb_echo.protocols.0.send_request=true',
      '-I',
      echoPcap,
      '-t',
    ]);
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    expect(evs).toHaveLength(46);
    expect(evs[0]).toMatchObject({ request: 'hello c0 #0' });
    expect(evs.every((e) => e.response === undefined)).toBe(true);
  });

  it('sees nothing when the protocol listens on other ports', async () => {
    const r = await runPbEcho([
      '-E',
      'pb_echo.protocols=[{type: echo, ports: [9999]}]',
      '-I',
      echoPcap,
      '-t',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(exitMetrics(r.stderr).protocols.echo.transactions).toBe(0);
  });

  it('writes to the file output instead of stdout when configured', async () => {
    const dir = path.join(tmp, 'out');
    const r = await runPbEcho(['-E', `output.file.path=${dir}`, '-I', echoPcap, '-t']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const written = fs.readFileSync(path.join(dir, 'pb_echo'), 'utf8');
    const console = await runPbEcho(['-I', echoPcap, '-t']);
    expect(events(written)).toEqual(events(console.stdout));
  });

  it('-l 2 reads the file twice, the second pass later in time', async () => {
    const once = events((await runPbEcho(['-I', echoPcap, '-t'])).stdout);
    const r = await runPbEcho(['-I', echoPcap, '-t', '-l', '2']);
    expect(r.code).toBe(0);
    const twice = events(r.stdout);
    expect(twice).toHaveLength(2 * once.length);
    const lastOfFirst = Math.max(...once.map((e) => Date.parse(e['@timestamp'] as string)));
    const second = twice.slice(once.length);
    expect(second.every((e) => Date.parse(e['@timestamp'] as string) > lastOfFirst + 1000)).toBe(true);
    const sent = (e: Record<string, unknown>) => (e.source as { bytes: number }).bytes;
    expect(second.map(sent)).toEqual(once.map(sent));
  });

  it('without -t replays at the recorded pace', async () => {
    // echo-midstream.pcap spans 0.30 s (its packets are 100 ms apart). Timed from the `started` to
    // the `stopped` log line, so that process start-up does not count.
    const file = path.join(PCAPS, 'echo-midstream.pcap');
    const runTime = (stderr: string) => {
      const logs = stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg: string; time: number });
      return logs.find((l) => l.msg === 'stopped')!.time - logs.find((l) => l.msg === 'started')!.time;
    };
    const fast = await runPbEcho(['-I', file, '-t', '-e']);
    const paced = await runPbEcho(['-I', file, '-e']);
    expect(paced.code).toBe(0);
    expect(runTime(paced.stderr)).toBeGreaterThanOrEqual(290);
    expect(runTime(fast.stderr)).toBeLessThan(runTime(paced.stderr));
    expect(events(paced.stdout)).toEqual(events(fast.stdout));
  });

  it('SIGINT during a paced replay stops, flushes pending requests, drains and exits 0', async () => {
    const child = startPbEcho(['-I', echoPcap, '-l', '50', '-e', '-E', 'logging.metrics.period=100ms']);
    const done = finished(child);
    // Signalled once some events are published (the replay is under way), not after a fixed delay.
    await new Promise<void>((resolve) => {
      let seen = '';
      child.stderr!.on('data', (d: Buffer) => {
        seen += d.toString();
        if (/"msg":"metrics"/.test(seen) && /"published":[1-9]/.test(seen)) resolve();
      });
    });
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(0);
    expect(plainStderrLines(r.stderr)).toEqual([]);
    const m = exitMetrics(r.stderr);
    expect(m.reassembly.packets).toBeLessThan(50 * 107);
    expect(m.publisher.published).toBe(events(r.stdout).length);
    expect(m.publisher.acked).toBe(m.publisher.published);
  });
});
