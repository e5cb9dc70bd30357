// Network flows live: netbeat capturing on lo with `netbeat.flows` and only an echo protocol on a
// port nobody uses, while this test sends UDP datagrams both ways between 127.23.1.1 and
// 127.23.1.2 and a python raw socket sends ICMP echo requests (the kernel answers them). Neither is
// on a protocol port: they reach the beat because flows widen the capture filter to all IP. Their
// final flow reports must count exactly what was sent.
import { spawnSync, type ChildProcess } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { outputShows, startNetbeat } from './live-beat';

jest.setTimeout(60_000);

const A = '127.23.1.1';
const B = '127.23.1.2';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netbeat-live-flows-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Sends `count` datagrams from A to B, each answered by B; resolves with the bytes of each way. */
async function udpExchange(count: number): Promise<{ aPort: number; bPort: number; sizes: number[] }> {
  const a = dgram.createSocket('udp4');
  const b = dgram.createSocket('udp4');
  await Promise.all([new Promise<void>((r) => a.bind(0, A, r)), new Promise<void>((r) => b.bind(0, B, r))]);
  b.on('message', (msg, rinfo) => b.send(Buffer.concat([msg, Buffer.from('!')]), rinfo.port, rinfo.address));
  const sizes: number[] = [];
  for (let i = 0; i < count; i++) {
    const payload = Buffer.from(`flow datagram ${i} `.repeat(i + 1));
    const answered = new Promise<void>((r) => a.once('message', () => r()));
    a.send(payload, b.address().port, B);
    await answered;
    sizes.push(payload.length);
  }
  const ports = { aPort: a.address().port, bPort: b.address().port, sizes };
  a.close();
  b.close();
  return ports;
}

/** ICMP echo requests from A to B from a python raw socket (root); the kernel sends the replies. */
function icmpEchoes(count: number): void {
  const script = [
    'import socket, struct, sys',
    'def csum(d):',
    '    s = sum(struct.unpack("!%dH" % (len(d) // 2), d)); s = (s >> 16) + (s & 0xffff); s += s >> 16',
    '    return ~s & 0xffff',
    's = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)',
    `s.bind(("${A}", 0))`,
    'for seq in range(int(sys.argv[1])):',
    '    m = struct.pack("!BBHHH", 8, 0, 0, 0x4242, seq) + b"live flows!!"',
    '    m = m[:2] + struct.pack("!H", csum(m)) + m[4:]',
    `    s.sendto(m, ("${B}", 0))`,
    '    s.recv(256)',
  ].join('\n');
  const r = spawnSync('python3', ['-c', script, String(count)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 raw ICMP socket failed (needs root): ${r.stderr ?? r.error}`);
}

it('counts UDP and ICMP off the protocols ports, both ways, as sent', async () => {
  const { beat, stdout, exited } = await startNetbeat(
    tmp,
    [
      'netbeat:',
      '  interfaces: {device: lo, buffer_size_mb: 64}',
      '  protocols: [{type: echo, ports: [1]}]',
      '  flows: {timeout: 30s, period: 1s}',
      'logging: {metrics: {period: 100ms}}',
    ],
    children,
  );

  const udp = await udpExchange(5);
  icmpEchoes(3);
  // A periodic report (packet time follows the wall clock on a live interface) with every echo
  // reply counted says the beat saw all of it.
  await outputShows(
    beat,
    new RegExp(`"ip":"${B}","packets":3,`),
    'netbeat (an ICMP report with the 3 replies)',
  );
  beat.kill('SIGINT');
  expect(await exited).toBe(0);

  const finals = stdout()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Doc)
    .filter((d) => d.type === 'flow' && d.flow.final && d.source.ip === A && d.destination.ip === B);
  const udpFlow = finals.find((d) => d.network.transport === 'udp');
  // Ethernet + IPv4 + UDP headers on loopback: 42 bytes before each payload.
  expect(udpFlow).toMatchObject({
    source: { port: udp.aPort, packets: 5, bytes: udp.sizes.reduce((n, s) => n + 42 + s, 0) },
    destination: { port: udp.bPort, packets: 5, bytes: udp.sizes.reduce((n, s) => n + 43 + s, 0) },
    event: { type: ['connection', 'end'] },
  });
  // Ethernet + IPv4 + ICMP echo (8 + 12 bytes): 54 bytes each way.
  expect(finals.find((d) => d.network.transport === 'icmp')).toMatchObject({
    source: { packets: 3, bytes: 3 * 54 },
    destination: { packets: 3, bytes: 3 * 54 },
  });
});
