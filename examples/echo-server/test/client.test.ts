import * as net from 'net';
import {
  buildClientPlan,
  EchoClientError,
  EchoServer,
  LineSplitter,
  runEchoClient,
  startEchoServer,
} from '../src';

describe('buildClientPlan', () => {
  it('mixes requests, error requests, one big message on the first connection and a pipelined burst', () => {
    const plan = buildClientPlan(0, { count: 4, errorEvery: 2, bigMessageBytes: 1000, burst: 3 });
    expect(plan.slice(0, 4)).toEqual([
      ['>hello c0 #0'],
      ['bad request c0 #1'],
      ['>hello c0 #2'],
      ['bad request c0 #3'],
    ]);
    expect(plan[4]).toHaveLength(1);
    expect(plan[4][0]).toHaveLength(1000);
    expect(plan[4][0][0]).toBe('>');
    expect(plan[5]).toEqual(['>burst c0 #0', '>burst c0 #1', 'burst error c0 #2']);
  });

  it('sends the big message only on the first connection', () => {
    const plan = buildClientPlan(1, { count: 1, bigMessageBytes: 1000, burst: 0 });
    expect(plan).toEqual([['>hello c1 #0']]);
  });
});

describe('LineSplitter', () => {
  it('keeps newlines and carries partial lines over chunks', () => {
    const s = new LineSplitter();
    expect(s.push(Buffer.from('ab')).map(String)).toEqual([]);
    expect(s.pendingBytes).toBe(2);
    expect(s.push(Buffer.from('c\nd\n\ne')).map(String)).toEqual(['abc\n', 'd\n', '\n']);
    expect(s.pendingBytes).toBe(1);
  });
});

describe('runEchoClient against the echo server', () => {
  let server: EchoServer;
  beforeAll(async () => {
    server = await startEchoServer({ port: 0 });
  });
  afterAll(() => server.close());

  it('gets the right reply to every request on every connection', async () => {
    const res = await runEchoClient({
      port: server.port,
      connections: 4,
      count: 8,
      errorEvery: 4,
      bigMessageBytes: 100_000,
      burst: 5,
    });
    expect(res.connections).toHaveLength(4);
    // 8 singles + 5 burst per connection, plus the big one on the first.
    expect(res.requests).toBe(4 * 13 + 1);
    expect(res.errors).toBe(4 * 3);
    const big = res.connections[0].exchanges.find((e) => e.request.length === 100_000);
    expect(big?.response).toBe('<' + big?.request.slice(1));
    for (const c of res.connections) expect(c.localPort).toBeGreaterThan(0);
    expect(new Set(res.connections.map((c) => c.localPort)).size).toBe(4);
  });

  it('fails with EchoClientError when nothing listens', async () => {
    const free = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    await expect(runEchoClient({ port: free, connections: 1 })).rejects.toThrow(EchoClientError);
  });

  it('fails when the server answers wrongly', async () => {
    const liar = net.createServer((sock) => sock.on('data', () => sock.write('<wrong\n')));
    await new Promise<void>((r) => liar.listen(0, '127.0.0.1', () => r()));
    const port = (liar.address() as net.AddressInfo).port;
    try {
      await expect(
        runEchoClient({ port, connections: 1, count: 1, burst: 0, bigMessageBytes: 0 }),
      ).rejects.toThrow(/wrong reply to ">hello c0 #0": "<wrong"/);
    } finally {
      liar.close();
    }
  });
});
