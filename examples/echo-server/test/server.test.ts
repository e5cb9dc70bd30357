import * as net from 'net';
import { EchoServer, startEchoServer } from '../src';

/** Sends the chunks (one write each, spaced so they travel as separate segments), half-closes, returns all it got. */
function converse(port: number, chunks: Array<string | Buffer>): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.setNoDelay(true);
    let got = '';
    sock.on('data', (d) => (got += d.toString('latin1')));
    sock.on('error', reject);
    sock.on('close', () => resolve(got));
    sock.once('connect', async () => {
      for (const c of chunks) {
        sock.write(c);
        await new Promise((r) => setTimeout(r, 5));
      }
      sock.end();
    });
  });
}

describe('echo server', () => {
  let server: EchoServer;
  beforeAll(async () => {
    server = await startEchoServer({ port: 0 });
  });
  afterAll(() => server.close());

  it('answers the tutorial session: > becomes <, anything else is prefixed with !', async () => {
    const got = await converse(server.port, ['>abc\n', 'asdfkjhasf\n', '> 123456\n', 'asdfasdf\n']);
    expect(got).toBe('<abc\n!asdfkjhasf\n< 123456\n!asdfasdf\n');
  });

  it('answers an empty line with an error and keeps going', async () => {
    expect(await converse(server.port, ['\n', '>x\n'])).toBe('!\n<x\n');
  });

  it('joins a line split over several segments and splits pipelined lines', async () => {
    expect(await converse(server.port, ['>hel', 'lo', '\n>a\nb\n>c', '\n'])).toBe('<hello\n<a\n!b\n<c\n');
  });

  it('drops an unterminated last line at EOF and closes the connection', async () => {
    expect(await converse(server.port, ['>done\n', '>no newline'])).toBe('<done\n');
  });

  it('keeps bytes that are not ASCII as they are', async () => {
    const got = await converse(server.port, [Buffer.from([0x3e, 0xc3, 0xa9, 0xff, 0x00, 0x0a])]);
    expect(Buffer.from(got, 'latin1')).toEqual(Buffer.from([0x3c, 0xc3, 0xa9, 0xff, 0x00, 0x0a]));
  });

  it('counts accepted connections', async () => {
    const before = server.connectionsAccepted;
    await converse(server.port, ['>1\n']);
    await converse(server.port, ['>2\n']);
    expect(server.connectionsAccepted).toBe(before + 2);
  });

  it('listens on IPv6 loopback when asked', async () => {
    const v6 = await startEchoServer({ port: 0, host: '::1' });
    try {
      const got = await new Promise<string>((resolve, reject) => {
        const sock = net.connect({ host: '::1', port: v6.port }, () => sock.end('>six\n'));
        let s = '';
        sock.on('data', (d) => (s += d));
        sock.on('close', () => resolve(s));
        sock.on('error', reject);
      });
      expect(got).toBe('<six\n');
    } finally {
      await v6.close();
    }
  });

  it('rejects when the port is taken', async () => {
    await expect(startEchoServer({ port: server.port })).rejects.toThrow(/EADDRINUSE/);
  });
});
