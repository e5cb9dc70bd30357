// The Redis analyzer live: Debian's redis-server on a free loopback port, netbeat capturing on lo
// with cap, a small RESP client sending real commands. Every command the client sent must arrive
// as one event whose query, return value or error, byte counts and endpoints are what the client
// sent and the server answered, one command at a time and pipelined.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { outputShows, startNetbeat } from './live-beat';
import { freeTcpPort } from '@wirebeat/testing';

jest.setTimeout(60_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netbeat-live-redis-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Starts redis-server without persistence on `port`; resolves once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', [...args, '--dir', tmp], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) =>
      reject(new Error(`redis-server is needed (bash scripts/install-deps.sh): ${err.message}`)),
    );
  });
  await outputShows(child, /Ready to accept connections/, 'redis-server');
  return child;
}

/** A RESP reply as the client decoded it. */
type Reply = string | number | null | { error: string } | Reply[];

/** Reads one RESP2 reply from `buf` at `pos`; undefined when incomplete. */
function readReply(buf: Buffer, pos: number): { value: Reply; end: number } | undefined {
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return undefined;
  const line = buf.toString('utf8', pos + 1, eol);
  const next = eol + 2;
  switch (String.fromCharCode(buf[pos])) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: { error: line }, end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      if (buf.length < next + n + 2) return undefined;
      return { value: buf.toString('utf8', next, next + n), end: next + n + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      const items: Reply[] = [];
      let at = next;
      for (let i = 0; i < n; i++) {
        const item = readReply(buf, at);
        if (item === undefined) return undefined;
        items.push(item.value);
        at = item.end;
      }
      return { value: items, end: at };
    }
    default:
      throw new Error(`not RESP: ${JSON.stringify(buf.toString('utf8', pos, eol))}`);
  }
}

/** One command and its answer as the client saw them on its socket. */
interface Exchange {
  args: string[];
  sentBytes: number;
  reply: Reply;
  replyBytes: number;
  localPort: number;
}

/** Sends each command (RESP arrays of bulk strings) and waits for its reply before the next; or,
 * `pipelined`, writes them all at once and then reads the replies. */
async function runCommands(port: number, commands: string[][], pipelined = false): Promise<Exchange[]> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let pending = Buffer.alloc(0);
  let waiter: (() => void) | undefined;
  socket.on('data', (d: Buffer) => {
    pending = Buffer.concat([pending, d]);
    waiter?.();
  });
  const out: Exchange[] = [];
  const wireOf = (args: string[]) =>
    `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
  if (pipelined) socket.write(commands.map(wireOf).join(''));
  for (const args of commands) {
    const wire = wireOf(args);
    if (!pipelined) socket.write(wire);
    let got = readReply(pending, 0);
    while (got === undefined) {
      await new Promise<void>((resolve) => (waiter = resolve));
      got = readReply(pending, 0);
    }
    out.push({
      args,
      sentBytes: Buffer.byteLength(wire),
      reply: got.value,
      replyBytes: got.end,
      localPort: socket.localPort!,
    });
    pending = pending.subarray(got.end);
  }
  await new Promise<void>((resolve) => socket.end(resolve));
  return out;
}

/** How the analyzer shows a reply: `OK`, `42`, `nil`, `[a, b]` (see protocol-redis's README). */
function shown(reply: Reply): string {
  if (reply === null) return 'nil';
  if (Array.isArray(reply)) return `[${reply.map(shown).join(', ')}]`;
  if (typeof reply === 'object') return reply.error;
  return String(reply);
}

const COMMANDS = [
  ['PING'],
  ['SET', 'greeting', 'hello live'],
  ['GET', 'greeting'],
  ['GET', 'missing'],
  ['INCR', 'counter'],
  ['INCR', 'greeting'],
  ['RPUSH', 'list', 'a', 'b', 'c'],
  ['LRANGE', 'list', '0', '-1'],
  ['MGET', 'greeting', 'missing', 'counter'],
  ['NOSUCHCMD', 'x'],
  ['SET', 'big', 'v'.repeat(3000)],
  ['GET', 'big'],
  ['DEL', 'greeting', 'counter', 'list', 'big'],
];

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

it('publishes every command sent to a real redis-server, as the client saw it', async () => {
  const port = await freeTcpPort();
  await startRedis(port);
  const { beat, stdout, stderr, exited } = await startNetbeat(
    tmp,
    [
      'netbeat:',
      '  interfaces: {device: lo, buffer_size_mb: 64}',
      `  protocols: [{type: redis, ports: [${port}], send_request: true, send_response: true, max_bulk_bytes: 4096}]`,
      'logging: {metrics: {period: 100ms}}',
    ],
    children,
  );

  const exchanges = [...(await runCommands(port, COMMANDS)), ...(await runCommands(port, COMMANDS, true))];
  // Stop only once every packet was processed: a signal stops the capture at once.
  await outputShows(
    beat,
    new RegExp(`"redis":\\{[^}]*"transactions":${exchanges.length}[,}]`),
    'netbeat (every transaction)',
  );
  beat.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(stderr()).toContain('"signal":"SIGINT"');

  const docs = stdout()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Doc)
    .filter((d) => d.type === 'redis');
  expect(docs).toHaveLength(exchanges.length);
  // One connection after the other; within each, in order.
  expect(new Set(exchanges.map((x) => x.localPort)).size).toBe(2);
  docs.forEach((d, i) => {
    const x = exchanges[i];
    const isError = typeof x.reply === 'object' && x.reply !== null && !Array.isArray(x.reply);
    expect(d).toMatchObject({
      method: x.args[0],
      query: x.args.join(' '),
      status: isError ? 'Error' : 'OK',
      client: { ip: '127.0.0.1', port: x.localPort, bytes: x.sentBytes },
      server: { ip: '127.0.0.1', port, bytes: x.replyBytes },
      network: { transport: 'tcp', protocol: 'redis', type: 'ipv4' },
      redis: isError ? { error: shown(x.reply) } : { return_value: shown(x.reply) },
    });
    if (x.args.length > 1 && x.args[0] !== 'PING') expect(d.resource).toBe(x.args[1]);
    expect(d.notes).toBeUndefined();
  });
});
