// Process attribution from the real /proc: a socket this test opens is found with this process's
// pid, name and command line.
import * as net from 'net';
import { decodeProcAddress, parseProcNetTcp, ProcessTable, procsSchema } from '../src/internal';

describe('/proc/net/tcp parsing', () => {
  it('decodes IPv4, IPv6 and IPv4-mapped addresses (little-endian words)', () => {
    expect(decodeProcAddress('0100007F')).toBe('127.0.0.1');
    expect(decodeProcAddress('0202A8C0')).toBe('192.168.2.2');
    expect(decodeProcAddress('00000000000000000000000001000000')).toBe('::1');
    expect(decodeProcAddress('0000000000000000FFFF00000100007F')).toBe('127.0.0.1');
    expect(decodeProcAddress('B80D0120000000000000000001000000')).toBe('2001:db8::1');
  });

  it('reads local endpoint and inode of each line', () => {
    const text =
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
      '   0: 0100007F:0BD6 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 123456 1 0000 100 0 0 10 0\n';
    expect(parseProcNetTcp(text)).toEqual([{ ip: '127.0.0.1', port: 3030, inode: 123456 }]);
  });
});

describe('ProcessTable on this machine', () => {
  let server: net.Server;
  let client: net.Socket;
  let port: number;
  beforeAll(async () => {
    server = net.createServer((s) => s.on('data', () => undefined));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as net.AddressInfo).port;
    client = net.connect(port, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', () => r()));
  });
  afterAll(async () => {
    client.destroy();
    await new Promise((r) => server.close(r));
  });

  it('finds the process of both ends of a loopback connection', () => {
    const table = new ProcessTable(procsSchema.parse({ enabled: true }));
    const srv = table.lookup('127.0.0.1', port);
    const cli = table.lookup('127.0.0.1', client.localPort!);
    for (const p of [srv, cli]) {
      // argv[0] is as the process was started (`node`); the script that follows is this jest.
      expect(p).toMatchObject({ pid: process.pid });
      expect(p!.args.slice(1)).toEqual(process.argv.slice(1).filter((a) => a !== ''));
      expect(p!.executable).toBe(process.execPath);
    }
    expect(table.counters()).toMatchObject({ hits: 2, misses: 0, refreshes: 1 });
  });

  it('names monitored processes by their entry and ignores the others', () => {
    const named = new ProcessTable(
      procsSchema.parse({ enabled: true, monitored: [{ process: 'the-tests', cmdline_grep: '/jest/' }] }),
    );
    expect(named.lookup('127.0.0.1', port)).toMatchObject({ pid: process.pid, name: 'the-tests' });
    const other = new ProcessTable(
      procsSchema.parse({ enabled: true, monitored: [{ process: 'redis-server' }] }),
    );
    expect(other.lookup('127.0.0.1', port)).toBeUndefined();
  });

  it('does not attribute endpoints of other machines', () => {
    const table = new ProcessTable(procsSchema.parse({ enabled: true }));
    expect(table.lookup('192.0.2.1', port)).toBeUndefined();
    expect(table.counters().refreshes).toBe(0);
  });
});
