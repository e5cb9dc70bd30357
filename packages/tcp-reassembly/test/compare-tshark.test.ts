// Byte-for-byte comparison with Wireshark's Follow TCP Stream (scripts/compare-tshark.js, which
// uses the built dist/): the repository's reference captures, traffic recorded on loopback now, and
// the crafted captures of the rules where Wireshark follows the same rule.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { PcapWriter, readAllFrames, TcpReassembler } from '../src/index';
import { scenarios, toPcap } from './crafted-captures';
import { RecordingConsumer, waitForClosingSegments } from './helpers';

jest.setTimeout(60_000);

const script = path.join(__dirname, '..', 'scripts', 'compare-tshark.js');
const pcaps = path.join(__dirname, '..', '..', '..', 'pcaps');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-tshark-'));
afterAll(() => (process.env.KEEP_TMP ? undefined : fs.rmSync(tmp, { recursive: true, force: true })));

interface StreamResult {
  stream: number;
  nodes: string[];
  identical: boolean;
  note: string;
}

beforeAll(() => {
  for (const tool of ['tshark', 'tcpdump']) {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} is required for this test (apt-get install tshark tcpdump) and was not found`);
    }
  }
  if (!fs.existsSync(path.join(__dirname, '..', 'dist', 'index.js')))
    throw new Error('build first (npx tsc -b): compare-tshark.js runs the built dist/');
});

/** Runs the comparison on `files`; returns the results per file and the exit status. */
function compare(files: string[]): { status: number | null; report: Record<string, StreamResult[]> } {
  const r = spawnSync(process.execPath, [script, '--json', ...files], { encoding: 'utf8' });
  if (r.status === 2) throw new Error(`compare-tshark failed: ${r.stderr}`);
  return { status: r.status, report: JSON.parse(r.stdout) as Record<string, StreamResult[]> };
}

/** "file stream N: note" for every stream that differs. */
function differences(report: Record<string, StreamResult[]>): string[] {
  return Object.entries(report).flatMap(([file, rs]) =>
    rs.filter((r) => !r.identical).map((r) => `${path.basename(file)} stream ${r.stream}: ${r.note}`),
  );
}

it("gives the repository's reference captures byte for byte as tshark follows them", () => {
  const files = fs
    .readdirSync(pcaps)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .map((f) => path.join(pcaps, f));
  expect(files.length).toBeGreaterThanOrEqual(8);
  const { status, report } = compare(files);
  expect(differences(report)).toEqual([]);
  expect(status).toBe(0);
  const streams = Object.values(report).flat();
  expect(streams.length).toBeGreaterThanOrEqual(18);
});

it('gives the crafted captures of the rules as tshark does where tshark follows the same rule', () => {
  const agreeing = scenarios().filter((s) => s.tsharkAgrees);
  expect(agreeing.length).toBeGreaterThanOrEqual(6);
  const files = agreeing.map((s) => {
    const file = path.join(tmp, `${s.name}.pcap`);
    fs.writeFileSync(file, toPcap(s.frames));
    return file;
  });
  const { status, report } = compare(files);
  expect(differences(report)).toEqual([]);
  expect(status).toBe(0);
});

it('keeps each connection whole when every packet of a real capture arrives twice, 3 ms apart', async () => {
  // As in captures merged from two taps: the copies of the last segments come after the close.
  const { frames } = await readAllFrames(path.join(pcaps, 'echo.pcap'));
  const both = [...frames, ...frames.map((f) => ({ ...f, ts: f.ts + 3 }))].sort((a, b) => a.ts - b.ts);
  const w = PcapWriter.memory(frames[0].linktype);
  for (const f of both) w.write(f);
  const file = path.join(tmp, 'echo-twice.pcap');
  fs.writeFileSync(file, w.toBuffer());
  const r = new TcpReassembler(new RecordingConsumer());
  for (const f of both) r.processFrame(f);
  expect(r.counters()).toMatchObject({ connectionsOpened: 3, segmentsWithoutConnection: 0 });
  expect(r.counters().timeWaitSegments).toBeGreaterThan(0);
  const { status, report } = compare([file]);
  expect(differences(report)).toEqual([]);
  expect(status).toBe(0);
  expect(report[file]).toHaveLength(3);
});

it('reports a stream that differs, naming it (the comparison can fail)', () => {
  const s = scenarios().find((x) => x.name === 'syn-in-connection');
  const file = path.join(tmp, 'differs.pcap');
  fs.writeFileSync(file, toPcap(s?.frames ?? []));
  const { status, report } = compare([file]);
  expect(status).toBe(1);
  expect(differences(report).length).toBeGreaterThan(0);
});

/** Starts tcpdump on lo and resolves once it listens. */
function startTcpdump(file: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // BPF port filters match nothing in this VM's kernel (see loopback-capture.test.ts): capture
    // all TCP and keep the test's port with tshark afterwards.
    const p = spawn('tcpdump', ['-i', 'lo', '-U', '-Z', 'root', '-s', '0', '-w', file, 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('listening on')) resolve(p);
    });
    p.on('exit', (code) => reject(new Error(`tcpdump exited with ${code} before listening: ${err.trim()}`)));
    p.on('error', reject);
  });
}

function stopTcpdump(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    p.removeAllListeners('exit');
    p.on('exit', () => resolve());
    p.kill('SIGINT');
  });
}

/** Line echo server; clients send lines (one large), half close with FIN and half with RST. */
async function traffic(server: net.Server, port: number): Promise<void> {
  server.on('connection', (s) => {
    s.on('data', (d) => s.write(d));
    s.on('end', () => s.end());
    s.on('error', () => s.destroy());
  });
  const client = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const c = net.connect(port, '127.0.0.1');
      let got = 0;
      const lines = [`hello ${i}\n`, `${String(i).repeat(70_000)}\n`, `last ${i}\n`];
      const want = lines.join('').length;
      c.on('connect', () => {
        for (const l of lines) c.write(l);
      });
      c.on('data', (d) => {
        got += d.length;
        if (got < want) return;
        if (i % 2 === 0) c.end();
        else c.resetAndDestroy();
        resolve();
      });
      c.on('error', reject);
    });
  await Promise.all([0, 1, 2, 3].map(client));
}

it('gives real loopback traffic recorded now byte for byte as tshark follows it', async () => {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const all = path.join(tmp, 'lo-all.pcap');
  const ours = path.join(tmp, 'lo.pcap');
  const dump = await startTcpdump(all);
  try {
    await traffic(server, port);
    // The last FINs (both sides of the 2 closed connections) and RSTs reach the capture, then the final ACK.
    await waitForClosingSegments(all, port, (c) => c.fins >= 4 && c.rsts >= 2 && !c.lastIsFin);
  } finally {
    await stopTcpdump(dump);
    server.close();
  }
  execFileSync('tshark', ['-r', all, '-Y', `tcp.port == ${port}`, '-w', ours], { stdio: 'ignore' });
  const { status, report } = compare([ours]);
  expect(differences(report)).toEqual([]);
  expect(status).toBe(0);
  const streams = report[ours];
  expect(streams).toHaveLength(4);
  // tcpdump may miss packets when lo is busy (other tests capture too): both tools then see the same
  // shorter streams, which the comparison covers; every stream still carries the client's bytes.
  for (const s of streams) expect(s.note).toMatch(/^[1-9]\d*\+\d+ bytes/);
  expect(streams.some((s) => s.note.startsWith('70016+70016 bytes'))).toBe(true);
});
