// Live: Debian's memcached started here on a free loopback port (TCP and UDP), driven by a client
// that keeps what the server answered, while tcpdump records; the capture replayed through the
// analyzer gives, request by request, the replies the client itself received.
import { spawn, type ChildProcess } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { freeTcpPort, replayCaptureDetailed } from '@wirebeat/testing';
import { memcacheProtocol } from '@wirebeat/protocol-memcache';
import { bin, datagram } from './helpers';

jest.setTimeout(60_000);

/* eslint-disable @typescript-eslint/no-require-imports */
const { startTcpdump } = require('../../../scripts/loopback-capture.js') as {
  startTcpdump(
    file: string,
    host: string,
    port: number,
    o: { transport: string },
  ): Promise<{ stop(): Promise<string> }>;
};
/* eslint-enable @typescript-eslint/no-require-imports */
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Starts memcached on `host`:`port`, TCP and UDP; resolves once it accepts connections. */
async function startMemcached(host: string, port: number): Promise<ChildProcess> {
  const args = ['-l', host, '-p', String(port), '-U', String(port), '-m', '8', '-t', '1'];
  if (process.getuid?.() === 0) args.push('-u', 'nobody');
  const child = spawn('memcached', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const failed = new Promise<never>((_, reject) =>
    child.once('error', (e) =>
      reject(
        new Error(`memcached could not be started (bash scripts/install-deps.sh installs it): ${e.message}`),
      ),
    ),
  );
  for (let i = 0; i < 200; i++) {
    const up = await Promise.race([
      failed,
      new Promise<boolean>((resolve) => {
        const s = net.connect(port, host, () => s.end(() => resolve(true)));
        s.once('error', () => resolve(false));
      }),
    ]);
    if (up) return child;
    if (child.exitCode !== null) throw new Error(`memcached exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('memcached did not accept connections');
}

/** Sends `bytes` and resolves with the reply once `done(reply)` holds. */
function exchange(
  sock: net.Socket,
  bytes: string | Buffer,
  done: (reply: Buffer) => boolean,
): Promise<Buffer> {
  return new Promise((resolve) => {
    let reply = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      reply = Buffer.concat([reply, d]);
      if (!done(reply)) return;
      sock.off('data', onData);
      resolve(reply);
    };
    sock.on('data', onData);
    sock.write(bytes);
  });
}

describe('memcached live on loopback', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-memcache-'));
  const file = path.join(dir, 'live.pcap');
  const host = '127.0.0.1';
  const seen = {
    multiKeys: [] as string[],
    metaReplies: [] as string[],
    binaryOpaques: [] as number[],
    udpIds: [] as number[],
  };
  let port = 0;
  let docs: Doc[] = [];

  beforeAll(async () => {
    port = await freeTcpPort(host);
    const server = await startMemcached(host, port);
    const capture = await startTcpdump(file, host, port, { transport: 'any' });
    try {
      const text = net.connect(port, host);
      await new Promise((r) => text.once('connect', r));
      const line = (r: Buffer) => r.toString('latin1').endsWith('\r\n');
      const end = (r: Buffer) => r.toString('latin1').endsWith('END\r\n');
      await exchange(text, 'set a 0 0 1\r\n1\r\n', line);
      await exchange(text, 'set c 0 0 3\r\n333\r\n', line);
      text.write('set quiet 0 0 1 noreply\r\nq\r\n');
      const multi = await exchange(text, 'get a b c quiet\r\n', end);
      seen.multiKeys = [...multi.toString('latin1').matchAll(/^VALUE (\S+)/gm)].map((m) => m[1]);
      // The meta protocol: ms with its data, mg hit (VA and its data) and miss, mn.
      const meta = await exchange(text, 'ms m 2 T0\r\nhi\r\nmg m v\r\nmg nokey v\r\nmn\r\n', (r) =>
        r.toString('latin1').endsWith('MN\r\n'),
      );
      seen.metaReplies = meta
        .toString('latin1')
        .split('\r\n')
        .filter((l) => /^[A-Z]{2}\b/.test(l))
        .map((l) => l.slice(0, 2));
      text.end();

      const binary = net.connect(port, host);
      await new Promise((r) => binary.once('connect', r));
      const quiet = Buffer.concat([
        bin(0x80, 0x09, { key: 'nothing', opaque: 0x71 }),
        bin(0x80, 0x09, { key: 'a', opaque: 0x72 }),
        bin(0x80, 0x0a, { opaque: 0x73 }),
      ]);
      const replies = await exchange(
        binary,
        quiet,
        (r) => r.length >= 24 && r.includes(Buffer.from([0x81, 0x0a])),
      );
      for (let at = 0; at + 24 <= replies.length; at += 24 + replies.readUInt32BE(at + 8))
        seen.binaryOpaques.push(replies.readUInt32BE(at + 12));
      binary.end();

      const udp = dgram.createSocket('udp4');
      await new Promise<void>((r) => udp.bind(0, host, () => r()));
      const answered = new Promise<void>((resolve) =>
        udp.on('message', (m) => {
          seen.udpIds.push(m.readUInt16BE(0));
          if (m.toString('latin1').endsWith('END\r\n')) resolve();
        }),
      );
      udp.send(datagram(0x4242, 0, 1, 'get c\r\n'), port, host);
      await answered;
      udp.close();
    } finally {
      await capture.stop();
      server.kill('SIGTERM');
    }
    const r = await replayCaptureDetailed(file, [{ module: memcacheProtocol, config: { ports: [port] } }]);
    docs = r.events.map((e) => e.fields as Doc);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('text: the multi-get reply holds the keys the client received; noreply stands alone', () => {
    const tcpText = docs.filter((d) => d.network.transport === 'tcp' && d.memcache.protocol_type === 'text');
    expect(tcpText.map((d) => [d.memcache.request.command, d.memcache.response?.command, d.status])).toEqual([
      ['set', 'STORED', 'OK'],
      ['set', 'STORED', 'OK'],
      ['set', undefined, 'OK'],
      ['get', 'VALUE', 'OK'],
      ['ms', 'HD', 'OK'],
      ['mg', 'VA', 'OK'],
      ['mg', 'EN', 'OK'],
      ['mn', 'MN', 'OK'],
    ]);
    expect(tcpText.slice(4).map((d) => d.memcache.response.command)).toEqual(seen.metaReplies);
    expect(tcpText[5].memcache.response.bytes).toBe(2);
    expect(tcpText[3].memcache.response.keys).toEqual(seen.multiKeys);
    expect(seen.multiKeys).toEqual(['a', 'c', 'quiet']);
  });

  it('binary: the quiet miss stands alone, the opaques the client received are the paired ones', () => {
    const b = docs.filter((d) => d.memcache.protocol_type === 'binary');
    expect(b.map((d) => [d.memcache.request.opcode, d.memcache.response?.opaque, d.status])).toEqual([
      ['GetQ', undefined, 'OK'],
      ['GetQ', 0x72, 'OK'],
      ['No-op', 0x73, 'OK'],
    ]);
    expect(seen.binaryOpaques).toEqual([0x72, 0x73]);
  });

  it('UDP: the reply the client received is paired by its request id', () => {
    const u = docs.filter((d) => d.network.transport === 'udp');
    expect(
      u.map((d) => [d.memcache.request.keys, d.memcache.response?.keys, d.memcache.response?.bytes]),
    ).toEqual([[['c'], ['c'], 3]]);
    expect(seen.udpIds).toEqual([0x4242]);
  });
});
