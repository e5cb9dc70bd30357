// Live features of the Beats conventions, for real: the HTTP stats endpoint of a running pb_echo,
// and process attribution (procs) on loopback with echo-server as a separate process, the capture
// device picked by its number in `devices`.
import { spawn, type ChildProcess } from 'child_process';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { events, finished, PCAPS, plainStderrLines, ROOT, runPbEcho, startPbEcho } from './pb-echo-cli';

jest.setTimeout(90_000);

/** A TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Resolves with the first match of `pattern` on the child's stderr. */
function stderrMatch(child: ChildProcess, pattern: RegExp, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} on stderr within ${ms} ms: ${seen}`)), ms);
    const onData = (d: Buffer) => {
      seen += d.toString();
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        resolve(m);
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; stderr: ${seen}`));
    });
  });
}

describe('HTTP stats endpoint', () => {
  it('serves / (beat info), /stats and /state in libbeat layout while pb_echo runs', async () => {
    const port = await freePort();
    const child = startPbEcho([
      '-I',
      path.join(PCAPS, 'echo.pcap'),
      '-t',
      '-l',
      '0',
      '-v',
      '-E',
      'http.enabled=true',
      '-E',
      `http.port=${port}`,
      '-E',
      'name=stats-test',
    ]);
    const done = finished(child);
    try {
      const m = await stderrMatch(child, /"address":"([^"]+)","msg":"http endpoint started"/, 20_000);
      // Default host: localhost only.
      expect(m[1]).toMatch(new RegExp(`^(127\\.0\\.0\\.1|\\[::1\\]):${port}$`));
      const info = (await (await fetch(`http://localhost:${port}/`)).json()) as Record<string, string>;
      expect(info).toMatchObject({ beat: 'pb_echo', name: 'stats-test', version: '0.1.0' });
      expect(info.uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(info.hostname).toBe(os.hostname());
      // libbeat's layout (Metricbeat's beat module reads it); our own counters under `wirebeat`.
      type Stats = {
        beat: { info: { name: string; version: string; uptime: { ms: number } }; memstats: { rss: number } };
        libbeat: {
          pipeline: { events: { published: number }; queue: { max_events: number } };
          output: { type: string; events: { acked: number } };
        };
        system: { cpu: { cores: number }; load: Record<string, unknown> };
        wirebeat: { protocols: { echo: { transactions: number } }; publisher: { acked: number } };
      };
      let stats: Stats | undefined;
      for (let i = 0; i < 50 && !(stats && stats.libbeat.output.events.acked > 0); i++) {
        const res = await fetch(`http://localhost:${port}/stats`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/application\/json/);
        stats = (await res.json()) as Stats;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(stats!.wirebeat.protocols.echo.transactions).toBeGreaterThan(0);
      expect(stats!.libbeat.output.events.acked).toBe(stats!.wirebeat.publisher.acked);
      expect(stats!.libbeat.output.events.acked).toBeGreaterThan(0);
      expect(stats!.libbeat.pipeline.events.published).toBeGreaterThanOrEqual(
        stats!.libbeat.output.events.acked,
      );
      expect(stats!.libbeat.output.type).toBe('console');
      expect(stats!.libbeat.pipeline.queue.max_events).toBeGreaterThan(0);
      expect(stats!.beat.info).toMatchObject({ name: 'pb_echo', version: '0.1.0' });
      expect(stats!.beat.memstats.rss).toBeGreaterThan(0);
      expect(stats!.system.cpu.cores).toBe(os.cpus().length);
      expect(Object.keys(stats!.system.load).sort()).toEqual(['1', '15', '5', 'norm']);
      const state = (await (await fetch(`http://localhost:${port}/state`)).json()) as Record<string, unknown>;
      expect(state).toMatchObject({
        beat: { name: 'stats-test' },
        output: { name: 'console' },
        queue: { name: 'mem' },
        service: { id: info.uuid, name: 'pb_echo', version: '0.1.0' },
        host: { hostname: os.hostname() },
      });
      const pretty = await (await fetch(`http://localhost:${port}/stats?pretty`)).text();
      expect(pretty).toMatch(/^\{\n {2}"beat"/);
      expect((await fetch(`http://localhost:${port}/nope`)).status).toBe(404);
    } finally {
      child.kill('SIGINT');
    }
    const r = await done;
    expect(r.code).toBe(0);
    expect(plainStderrLines(r.stderr)).toEqual([]);
  });

  it('a port in use is one clear line and exit 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await runPbEcho([
        '-I',
        path.join(PCAPS, 'echo.pcap'),
        '-t',
        '-E',
        'http.enabled=true',
        '-E',
        'http.host=127.0.0.1',
        '-E',
        `http.port=${port}`,
      ]);
      expect(r.code).toBe(1);
      expect(plainStderrLines(r.stderr)).toEqual([
        `pb_echo: http endpoint cannot listen on 127.0.0.1:${port}: EADDRINUSE`,
      ]);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});

describe('procs: process attribution on live capture', () => {
  let server: ChildProcess;
  let port: number;
  beforeAll(async () => {
    server = spawn(
      process.execPath,
      [path.join(ROOT, 'examples/echo-server/bin/echo-server.js'), '--port', '0', '--host', '127.0.0.1'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    port = Number((await stderrMatch(server, /listening on [^:]+:(\d+)/, 10_000))[1]);
  });
  afterAll(() => server.kill('SIGTERM'));

  it('-i N captures on the Nth device of `devices`, and events name the local processes', async () => {
    const devices = (await runPbEcho(['devices'])).stdout.split('\n');
    const lo = devices.find((l) => / lo /.test(` ${l.split(/\s+/)[1]} `));
    expect(lo).toBeDefined();
    const index = lo!.split(':')[0];
    const child = startPbEcho([
      '-i',
      index,
      '-e',
      '-E',
      `pb_echo.protocols=[{type: echo, ports: [${port}]}]`,
      '-E',
      'pb_echo.procs={enabled: true, monitored: [{process: echo-server, cmdline_grep: echo-server.js}, {process: tests, cmdline_grep: /jest/}]}',
      '-E',
      'logging.metrics.period=100ms',
      '-E',
      'pb_echo.interfaces.buffer_size_mb=64',
    ]);
    const done = finished(child);
    const sock = new net.Socket();
    let localPort = -1;
    try {
      await stderrMatch(child, /"msg":"started"/, 15_000);
      await new Promise<void>((r) => sock.connect(port, '127.0.0.1', () => r()));
      localPort = sock.localPort!;
      let replies = '';
      sock.on('data', (d: Buffer) => (replies += d.toString()));
      for (const line of ['>hello procs', '>second']) {
        sock.write(line + '\n');
        // One request at a time: wait for its reply ('<' in place of '>').
        for (let i = 0; i < 250 && !replies.includes('<' + line.slice(1)); i++)
          await new Promise((r) => setTimeout(r, 20));
      }
      // Keep the connection open until pb_echo has published both transactions.
      await stderrMatch(child, /"transactions":2[,}]/, 20_000);
    } finally {
      sock.destroy();
      child.kill('SIGINT');
    }
    const r = await done;
    expect(r.code).toBe(0);
    const evs = events(r.stdout).filter((e) => (e.server as { port: number }).port === port);
    expect(evs).toHaveLength(2);
    for (const e of evs) {
      expect(e.server).toMatchObject({
        port,
        process: { pid: server.pid, name: 'echo-server', executable: process.execPath },
      });
      expect((e.server as { process: { args: string[] } }).process.args.join(' ')).toMatch(
        /echo-server\.js --port 0/,
      );
      expect(e.client).toMatchObject({ port: localPort, process: { pid: process.pid, name: 'tests' } });
      expect(e.destination).toMatchObject({ process: { pid: server.pid } });
      expect(e.source).toMatchObject({ process: { pid: process.pid } });
    }
  });
});
