import net from 'net';
import { EchoClientError } from './errors';
import { LineSplitter } from './line-splitter';
import { echoReply } from './server';

/** Options of {@link runEchoClient}; every field has a default so `runEchoClient({ port })` is a useful run. */
export interface EchoClientOptions {
  /** Server port; default 3030. */
  port?: number;
  /** Server address; default '127.0.0.1'. */
  host?: string;
  /** Connections opened in parallel; default 3. */
  connections?: number;
  /** Single requests per connection, each awaited before the next; default 10. */
  count?: number;
  /** Every Nth single request is an error request (no '>' marker); 0 disables; default 4. */
  errorEvery?: number;
  /** Size of one large request sent on the first connection (larger than a segment); 0 disables; default 100_000. */
  bigMessageBytes?: number;
  /** Requests written at once (pipelined) at the end of each connection; 0 disables; default 5. */
  burst?: number;
  /** Milliseconds to wait between two writes on a connection; default 0. */
  pauseMs?: number;
}

/** One request line and the reply the server gave, both without the newline. */
export interface Exchange {
  request: string;
  response: string;
}

/** What one connection sent and received. */
export interface ConnectionResult {
  localPort: number;
  exchanges: Exchange[];
}

/** What the whole client run did; the live tests compare captured events with it. */
export interface EchoClientResult {
  connections: ConnectionResult[];
  /** Total requests sent (= replies received). */
  requests: number;
  /** Requests the server answered with '!'. */
  errors: number;
}

/** The lines one connection writes, grouped by write: a group of several lines is a pipelined burst. */
export function buildClientPlan(connIndex: number, opts: EchoClientOptions = {}): string[][] {
  const count = opts.count ?? 10;
  const errorEvery = opts.errorEvery ?? 4;
  const big = opts.bigMessageBytes ?? 100_000;
  const burst = opts.burst ?? 5;
  const writes: string[][] = [];
  for (let i = 0; i < count; i++) {
    const isError = errorEvery > 0 && (i + 1) % errorEvery === 0;
    writes.push([isError ? `bad request c${connIndex} #${i}` : `>hello c${connIndex} #${i}`]);
  }
  if (big > 0 && connIndex === 0) writes.push(['>' + bigPayload(big - 1)]);
  if (burst > 0) {
    const lines: string[] = [];
    for (let j = 0; j < burst; j++) {
      lines.push(j === 2 ? `burst error c${connIndex} #${j}` : `>burst c${connIndex} #${j}`);
    }
    writes.push(lines);
  }
  return writes;
}

/** A deterministic printable payload, so a capture of it is the same every time. */
function bigPayload(n: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  while (s.length < n) s += alphabet;
  return s.slice(0, n);
}

/** Runs one connection's plan, waiting for every reply of a write before the next write. */
function runConnection(connIndex: number, opts: EchoClientOptions): Promise<ConnectionResult> {
  const plan = buildClientPlan(connIndex, opts);
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 3030;
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    sock.setNoDelay(true);
    const splitter = new LineSplitter();
    const exchanges: Exchange[] = [];
    let step = 0;
    let awaiting: string[] = [];
    let finished = false;
    const fail = (msg: string) => {
      if (finished) return;
      finished = true;
      sock.destroy();
      reject(new EchoClientError(msg));
    };
    const next = () => {
      if (step >= plan.length) {
        finished = true;
        sock.end();
        return;
      }
      awaiting = plan[step++];
      const send = () => sock.write(awaiting.map((l) => l + '\n').join(''));
      if (opts.pauseMs && step > 1) setTimeout(send, opts.pauseMs);
      else send();
    };
    let localPort = 0;
    sock.once('connect', () => {
      localPort = sock.localPort ?? 0;
      next();
    });
    sock.on('data', (chunk: Buffer) => {
      for (const line of splitter.push(chunk)) {
        const request = awaiting.shift();
        if (request === undefined) return fail(`unexpected reply on ${host}:${port}: ${preview(line)}`);
        const expected = Buffer.concat(echoReply(Buffer.from(request + '\n')));
        if (!expected.equals(line))
          return fail(`wrong reply to ${preview(Buffer.from(request))}: ${preview(line)}`);
        exchanges.push({ request, response: line.toString('latin1', 0, line.length - 1) });
        if (awaiting.length === 0) next();
      }
    });
    sock.on('error', (err) => fail(`echo client on ${host}:${port}: ${err.message}`));
    sock.on('close', () => {
      if (!finished) fail(`server ${host}:${port} closed the connection before replying`);
      else resolve({ localPort, exchanges });
    });
  });
}

function preview(b: Buffer): string {
  const s = b.toString('latin1').replace(/\n$/, '');
  return JSON.stringify(s.length > 60 ? s.slice(0, 60) + '...' : s);
}

/** Opens the configured connections in parallel, plays each plan and checks every reply. */
export async function runEchoClient(opts: EchoClientOptions = {}): Promise<EchoClientResult> {
  const n = opts.connections ?? 3;
  const connections = await Promise.all(Array.from({ length: n }, (_, i) => runConnection(i, opts)));
  let requests = 0;
  let errors = 0;
  for (const c of connections) {
    for (const e of c.exchanges) {
      requests++;
      if (e.response.startsWith('!')) errors++;
    }
  }
  return { connections, requests, errors };
}
