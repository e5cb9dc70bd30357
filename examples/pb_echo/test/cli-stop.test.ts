// Stopping and the exit code. A signal must end a replay that waits on a full queue (output down)
// or on a named pipe that never ends; the exit code is 0 only when everything read was delivered,
// otherwise one line says why. Real processes, a real FIFO, real TCP and TLS servers, a real
// Elasticsearch for rejected events.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { PcapWriter } from '@wirebeat/tcp-reassembly';
import { esJson, requireElasticsearch } from '../../../packages/publisher/test/helpers/es';
import {
  events,
  finished,
  PCAPS,
  plainStderrLines,
  ROOT,
  runPbEcho,
  startPbEcho,
  type RunResult,
} from './pb-echo-cli';

jest.setTimeout(120_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-echo-stop-'));
const ECHO_PCAP = path.join(PCAPS, 'echo.pcap');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface SyntheticCaptures {
  ensureSyntheticCapture(o: { connections: number; pairs: number }): Promise<string>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const synthetic: SyntheticCaptures = require(path.join(ROOT, 'packages/tcp-reassembly/bench/synthetic.js'));

/** A loopback port nobody listens on: bound by us, then released. */
async function deadPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

interface Metrics {
  source: { frames: number };
  publisher: { published: number; acked: number; queued: number; failed: number };
}

/** Resolves with the first periodic metrics line that satisfies `ok` (needs logging.metrics.period set short). */
function waitForMetrics(child: ChildProcess, ok: (m: Metrics) => boolean, what: string): Promise<Metrics> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let last: Metrics | undefined;
    const timer = setTimeout(
      () => reject(new Error(`pb_echo never reported ${what}; last: ${JSON.stringify(last)}`)),
      60_000,
    );
    child.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (!l.includes('"msg":"metrics"')) continue;
        last = (JSON.parse(l) as { metrics: Metrics }).metrics;
        if (ok(last)) {
          clearTimeout(timer);
          resolve(last);
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pb_echo exited with ${code} before reporting ${what}`));
    });
  });
}

/** Sends `signal` and collects the end of the run; a child that ignores it is killed so the test fails rather than hangs. */
async function stopWith(
  child: ChildProcess,
  done: Promise<RunResult>,
  signal: NodeJS.Signals,
): Promise<RunResult> {
  child.kill(signal);
  const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const r = await done;
  clearTimeout(guard);
  return r;
}

/** The metrics line pb_echo writes at exit. */
function exitMetrics(stderr: string): Metrics {
  const line = stderr.split('\n').find((l) => l.includes('"msg":"metrics at exit"'));
  if (!line) throw new Error(`no exit metrics on stderr:\n${stderr}`);
  return (JSON.parse(line) as { metrics: Metrics }).metrics;
}

describe('a signal while the replay waits on a full queue (output down)', () => {
  let capture: string;
  beforeAll(async () => {
    capture = await synthetic.ensureSyntheticCapture({ connections: 2000, pairs: 10 });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s wakes the reader, applies shutdown_timeout, reports what is undelivered and exits 4',
    async (signal) => {
      const port = await deadPort();
      const child = startPbEcho([
        '-I',
        capture,
        '-t',
        '-E',
        `output.elasticsearch.hosts=["http://127.0.0.1:${port}"]`,
        '-E',
        'queue.mem.events=500',
        '-E',
        'pb_echo.shutdown_timeout=1s',
        '-E',
        'logging.metrics.period=100ms',
      ]);
      children.push(child);
      const done = finished(child);
      // The queue is full and the reader waits: the state the signal must get out of.
      await waitForMetrics(child, (m) => m.publisher.queued >= 500, 'a full queue');
      const r = await stopWith(child, done, signal);
      expect({ code: r.code, signal: r.signal, plain: plainStderrLines(r.stderr) }).toEqual({
        code: 4,
        signal: null,
        plain: [
          expect.stringMatching(
            new RegExp(
              `^pb_echo: \\d+ events could not be delivered to the output before the drain timeout \\(last failure: output elasticsearch: .*ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)$`,
            ),
          ),
        ],
      });
      const m = exitMetrics(r.stderr);
      expect(m.publisher.acked).toBe(0);
      expect(plainStderrLines(r.stderr)[0]).toContain(`${m.publisher.queued} events could not be delivered`);
      expect(m.publisher.queued).toBeGreaterThanOrEqual(500);
    },
  );
});

describe('-I on a named pipe', () => {
  let expected: Array<Record<string, unknown>>;
  beforeAll(async () => {
    const r = await runPbEcho(['-I', ECHO_PCAP, '-t']);
    expect(r.code).toBe(0);
    expected = events(r.stdout);
  });

  /** A FIFO whose writer sends echo.pcap and then keeps the pipe open, as a running tcpdump -w would. */
  function pipeWithOpenWriter(name: string): string {
    const fifo = path.join(tmp, name);
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'exec > "$1"; cat "$2"; exec sleep 300', 'sh', fifo, ECHO_PCAP], {
      stdio: 'ignore',
    });
    children.push(writer);
    return fifo;
  }

  // SIGHUP is a stop too, drained like SIGTERM (libbeat does not reload on it).
  it.each([
    ['as fast as possible', 'SIGTERM', ['-t']],
    ['at the recorded pace', 'SIGTERM', []],
    ['as fast as possible', 'SIGHUP', ['-t']],
    ['on two engine workers', 'SIGTERM', ['-t', '-E', 'pb_echo.workers=2']],
  ] as Array<[string, NodeJS.Signals, string[]]>)(
    'reads what the writer sent %s and stops promptly on %s, exit 0',
    async (_how, signal, args) => {
      const fifo = pipeWithOpenWriter(`p${args.length}-${signal}.fifo`);
      const child = startPbEcho(['-I', fifo, ...args, '-E', 'logging.metrics.period=100ms']);
      children.push(child);
      const done = finished(child);
      await waitForMetrics(child, (m) => m.publisher.acked >= expected.length, 'every transaction acked');
      const r = await stopWith(child, done, signal);
      expect({ code: r.code, signal: r.signal, plain: plainStderrLines(r.stderr) }).toEqual({
        code: 0,
        signal: null,
        plain: [],
      });
      expect(events(r.stdout)).toEqual(expected);
    },
  );

  it('stops promptly on SIGINT when no writer ever opened the pipe', async () => {
    const fifo = path.join(tmp, 'lonely.fifo');
    execFileSync('mkfifo', [fifo]);
    const child = startPbEcho(['-I', fifo, '-t', '-e']);
    children.push(child);
    const done = finished(child);
    await new Promise<void>((resolve) =>
      child.stderr!.on('data', (d: Buffer) => d.toString().includes('"msg":"started"') && resolve()),
    );
    const r = await stopWith(child, done, 'SIGINT');
    expect({ code: r.code, signal: r.signal, stdout: r.stdout, plain: plainStderrLines(r.stderr) }).toEqual({
      code: 0,
      signal: null,
      stdout: '',
      plain: [],
    });
  });
});

describe('TLS verification failure', () => {
  let server: https.Server;
  let port: number;
  let downPort: number;
  beforeAll(async () => {
    downPort = await deadPort();
    const key = path.join(tmp, 'key.pem');
    const cert = path.join(tmp, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      {
        stdio: 'ignore',
      },
    );
    server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) =>
      res.end('{}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each([
    ['with the index template', () => [`https://127.0.0.1:${port}`], []],
    [
      'without the index template',
      () => [`https://127.0.0.1:${port}`],
      ['-E', 'setup.template.enabled=false'],
    ],
    ['behind a host that is down', () => [`http://127.0.0.1:${downPort}`, `https://127.0.0.1:${port}`], []],
  ])(
    'is a configuration error %s: one line naming the host and the reason, exit 1',
    async (_how, hosts, args) => {
      const child = startPbEcho([
        '-I',
        ECHO_PCAP,
        '-t',
        '-E',
        `output.elasticsearch.hosts=${JSON.stringify(hosts())}`,
        ...args,
      ]);
      children.push(child);
      const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const r = await finished(child);
      clearTimeout(guard);
      expect({ code: r.code, plain: plainStderrLines(r.stderr) }).toEqual({
        code: 1,
        plain: [
          `pb_echo: elasticsearch https://127.0.0.1:${port}: TLS verification failed: self-signed certificate (trust its CA with output.elasticsearch.ssl.certificate_authorities, or set ssl.verification_mode)`,
        ],
      });
    },
  );
});

describe('exit code 0 only when everything read was delivered', () => {
  it('exits 3 with one line when none of the packets read is TCP or UDP over IP', async () => {
    const file = path.join(tmp, 'arp.pcap');
    const writer = PcapWriter.create(file, 1);
    // Ethernet frames of type ARP (0x0806): well-formed, but nothing a TCP analyzer can decode.
    const frame = Buffer.alloc(42);
    frame.writeUInt16BE(0x0806, 12);
    for (let i = 0; i < 5; i++)
      writer.write({ ts: 1_700_000_000_000 + i, linktype: 1, data: frame, origLen: 42 });
    writer.close();
    const r = await runPbEcho(['-I', file, '-t']);
    expect({ code: r.code, stdout: r.stdout, plain: plainStderrLines(r.stderr) }).toEqual({
      code: 3,
      stdout: '',
      plain: ['pb_echo: none of the 5 packets read could be decoded as TCP or UDP over IP (not_ip 5)'],
    });
  });

  it('exits 4 naming the count when Elasticsearch rejects the events', async () => {
    const url = requireElasticsearch();
    const index = `pbecho_closed_${process.pid}_${Date.now().toString(36)}`;
    await esJson(url, 'PUT', `/${index}`);
    await esJson(url, 'POST', `/${index}/_close`);
    try {
      const r = await runPbEcho([
        '-I',
        ECHO_PCAP,
        '-t',
        '-E',
        `output.elasticsearch.hosts=["${url}"]`,
        '-E',
        `output.elasticsearch.index=${index}`,
        '-E',
        'setup.template.enabled=false',
      ]);
      const m = exitMetrics(r.stderr);
      expect(m.publisher.failed).toBeGreaterThan(0);
      expect({ code: r.code, plain: plainStderrLines(r.stderr) }).toEqual({
        code: 4,
        plain: [`pb_echo: ${m.publisher.failed} events rejected by the output (see the log for why)`],
      });
    } finally {
      await fetch(`${url}/${index}`, { method: 'DELETE' });
    }
  });
});
