// The capture interface deleted under a running beat (a veth pair created here; root needed): the
// beat publishes what it had (the pending request as Error), says why, and exits non-zero, instead
// of the native binding aborting the process and losing the queued events.
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildConversation } from '@wirebeat/testing';

jest.setTimeout(60_000);

/** Sends the hex-encoded link-layer frames of stdin, one a line, on the interface argv[1]. */
const SEND_FRAMES = [
  'import socket, sys',
  's = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)',
  's.bind((sys.argv[1], 0))',
  'for line in sys.stdin:',
  '    if line.strip(): s.send(bytes.fromhex(line.strip()))',
].join('\n');

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'examples/netbeat/dist/main.js');
const SEND = `wbs${process.pid % 100000}`;
const CAPTURE = `wbc${process.pid % 100000}`;

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

/** Resolves when `text()` satisfies `ok` (checked on every output chunk of the child), or rejects on exit. */
function waitFor(
  child: ReturnType<typeof spawn>,
  text: () => string,
  ok: (s: string) => boolean,
  what: string,
) {
  return new Promise<void>((resolve, reject) => {
    const check = () => {
      if (ok(text())) {
        child.stdout!.off('data', check);
        child.stderr!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', () => reject(new Error(`netbeat exited while waiting for ${what}:\n${text()}`)));
    check();
  });
}

describe('netbeat: the capture interface goes away', () => {
  beforeAll(() => {
    if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx tsc -b\` first`);
    try {
      ip('link', 'add', SEND, 'type', 'veth', 'peer', 'name', CAPTURE);
      ip('link', 'set', SEND, 'up');
      ip('link', 'set', CAPTURE, 'up');
    } catch (e) {
      throw new Error(`this test creates a veth pair and needs root: ${(e as Error).message}`);
    }
  });

  afterAll(() => {
    try {
      ip('link', 'del', SEND);
    } catch {
      // already gone: the test deletes it
    }
  });

  it('drains, reports and exits non-zero', async () => {
    const child = spawn(
      process.execPath,
      [MAIN, '-e', '-i', CAPTURE, '-E', 'netbeat.protocols=[{type: http, ports: [80]}]'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(
        child,
        () => stderr,
        (s) => s.includes('"started"'),
        'the capture to start',
      );
      const frames = buildConversation({
        server: { port: 80 },
        close: 'none',
        messages: [
          { from: 'client', data: 'GET /answered HTTP/1.1\r\nHost: h\r\n\r\n' },
          { from: 'server', data: 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' },
          { from: 'client', data: 'GET /pending HTTP/1.1\r\nHost: h\r\n\r\n' },
        ],
      });
      // Sent from another process through a raw packet socket: a capture handle opened in this
      // (jest) process on an interface that is then deleted would take the process down later.
      execFileSync('python3', ['-c', SEND_FRAMES, SEND], {
        input: frames.map((f) => Buffer.from(f.data).toString('hex')).join('\n') + '\n',
      });
      await waitFor(
        child,
        () => stdout,
        (s) => s.includes('/answered'),
        'the first transaction',
      );
      ip('link', 'del', SEND); // takes its peer, the capture interface, with it
      const code = await exited;
      const events = stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { status: string; url: { path: string } });
      expect(events.map((e) => [e.url.path, e.status])).toEqual([
        ['/answered', 'OK'],
        ['/pending', 'Error'],
      ]);
      expect(stderr).toContain(`capture on ${CAPTURE} stopped: the interface went away`);
      expect(stderr).not.toContain('Assertion');
      expect(code).toBe(3);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
