// Real traffic: a TCP echo exchange on loopback recorded by tcpdump (on `lo` and on `any`), then
// read and reassembled; the same capture converted to pcapng by editcap must read identically.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import {
  decodeFrame,
  DecodedPacket,
  LinkType,
  readAllFrames,
  TcpReassembler,
  type Frame,
} from '../src/index';
import { RecordingConsumer, waitForClosingSegments } from './helpers';

jest.setTimeout(30_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-lo-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function requireTool(tool: string): void {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `${tool} is required for this test (apt-get install tcpdump / wireshark-common) and was not found`,
    );
  }
}

/** Starts tcpdump and resolves once it is listening. */
function startTcpdump(iface: string, port: number, file: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // The port is filtered when reading: in this VM's kernel, BPF filters that load TCP/IP header
    // bytes (`port N`, `ip[20:2] = N`) match nothing, while `tcp` works.
    void port;
    const p = spawn('tcpdump', ['-i', iface, '-U', '-Z', 'root', '-s', '0', '-w', file, 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('listening on')) resolve(p);
    });
    p.on('exit', (code) =>
      reject(new Error(`tcpdump on ${iface} exited with ${code} before listening: ${err.trim()}`)),
    );
    p.on('error', reject);
  });
}

function stop(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    p.removeAllListeners('exit');
    p.on('exit', () => resolve());
    p.kill('SIGINT');
  });
}

const requests = ['>hello\n', '>second line\n', `>${'x'.repeat(5000)}\n`, '>last\n'];

/** Runs a line-echo server and `clients` clients sending `requests`; returns the bytes each side sent. */
async function exchange(server: net.Server, port: number, clients: number): Promise<void> {
  server.on('connection', (s) => {
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        s.write('<' + buf.slice(1, nl + 1));
        buf = buf.slice(nl + 1);
      }
    });
    s.on('end', () => s.end());
  });
  await Promise.all(
    Array.from(
      { length: clients },
      () =>
        new Promise<void>((resolve, reject) => {
          const c = net.connect(port, '127.0.0.1');
          let got = '';
          let i = 0;
          c.on('connect', () => c.write(requests[i++]));
          c.on('data', (d) => {
            got += d.toString('latin1');
            const lines = got.split('\n').length - 1;
            if (lines === i && i < requests.length) c.write(requests[i++]);
            else if (lines === requests.length) c.end();
          });
          c.on('close', () => resolve());
          c.on('error', reject);
        }),
    ),
  );
}

/** Frames of connections to or from `port` (other tests may use loopback at the same time). */
function onPort(frames: Frame[], port: number): Frame[] {
  const p = new DecodedPacket();
  return frames.filter(
    (f) => decodeFrame(f.data, f.linktype, p, f.origLen) === 0 && (p.srcPort === port || p.dstPort === port),
  );
}

/** Waits until a growing capture holds `n` FIN segments on `port` and the ACK after the last one. */
function waitForFins(file: string, port: number, n: number): Promise<void> {
  return waitForClosingSegments(file, port, (c) => c.fins >= n && !c.lastIsFin);
}

function reassemble(frames: Frame[]): RecordingConsumer {
  const rec = new RecordingConsumer();
  const r = new TcpReassembler(rec);
  for (const f of frames) r.processFrame(f);
  r.closeAll();
  return rec;
}

describe('loopback capture recorded by tcpdump', () => {
  let loFile = '';
  let anyFile = '';
  let port = 0;

  beforeAll(async () => {
    requireTool('tcpdump');
    requireTool('editcap');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
    loFile = path.join(tmp, 'lo.pcap');
    anyFile = path.join(tmp, 'any.pcap');
    const dumps = [await startTcpdump('lo', port, loFile), await startTcpdump('any', port, anyFile)];
    await exchange(server, port, 3);
    // tcpdump drops what it has not read yet when interrupted: wait until the closing packets are written.
    await Promise.all([waitForFins(loFile, port, 6), waitForFins(anyFile, port, 6)]);
    for (const d of dumps) await stop(d);
    server.close();
  });

  it.each([
    ['lo', (): string => loFile, [LinkType.ETHERNET]],
    ['any', (): string => anyFile, [LinkType.LINUX_SLL, LinkType.LINUX_SLL2]],
  ])('reassembles every connection of the %s capture', async (_iface, file, linktypes) => {
    const { frames, warnings, format } = await readAllFrames(file());
    expect(format).toBe('pcap');
    expect(warnings).toEqual([]);
    const mine = onPort(frames, port);
    expect(mine.length).toBeGreaterThan(20);
    expect(linktypes).toContain(mine[0].linktype);
    const rec = reassemble(mine);
    expect(rec.conns).toHaveLength(3);
    rec.conns.forEach((c, i) => {
      expect(c.conn).toMatchObject({ clientIp: '127.0.0.1', serverIp: '127.0.0.1', serverPort: port });
      expect(rec.stream(i, 0)).toBe(requests.join(''));
      expect(rec.stream(i, 1)).toBe(requests.map((r) => '<' + r.slice(1)).join(''));
      expect(c.closed).toBe('fin');
      expect(c.events.some((e) => e.startsWith('gap'))).toBe(false);
    });
  });

  it('reads the editcap pcapng conversion identically', async () => {
    const ng = path.join(tmp, 'lo.pcapng');
    execFileSync('editcap', ['-F', 'pcapng', loFile, ng]);
    const a = await readAllFrames(loFile);
    const b = await readAllFrames(ng);
    expect(b.format).toBe('pcapng');
    expect(b.frames.length).toBe(a.frames.length);
    expect(b.frames.length).toBeGreaterThan(20);
    b.frames.forEach((f, i) => {
      expect(f.ts).toBe(a.frames[i].ts);
      expect(f.linktype).toBe(a.frames[i].linktype);
      expect(f.origLen).toBe(a.frames[i].origLen);
      expect(Buffer.compare(f.data, a.frames[i].data)).toBe(0);
    });
    const events = (frames: Frame[]): string[][] =>
      reassemble(onPort(frames, port)).conns.map((c) => c.events);
    expect(events(b.frames)).toEqual(events(a.frames));
  });
});
