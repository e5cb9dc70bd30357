import net from 'net';
import { LineSplitter } from './line-splitter';

/** Options of {@link startEchoServer}. */
export interface EchoServerOptions {
  /** TCP port; 0 picks a free port. Default 3030 (the tutorial's port). */
  port?: number;
  /** Address to bind; default '127.0.0.1'. Use '::1' for IPv6 loopback or '0.0.0.0' for every interface. */
  host?: string;
}

/** A running echo server. */
export interface EchoServer {
  /** The bound port (useful with port 0). */
  readonly port: number;
  readonly host: string;
  /** Connections accepted so far. */
  readonly connectionsAccepted: number;
  /** Stops accepting, closes open connections, resolves when the listener is closed. */
  close(): Promise<void>;
}

const GT = 0x3e; // '>'
const LT = 0x3c; // '<'
const BANG = Buffer.from('!');

/**
 * Answers one line the way the tutorial's Go server does: a request starting with '>' comes back
 * with '<' in its place; anything else (including an empty line) comes back prefixed with '!'.
 */
export function echoReply(line: Buffer): Buffer[] {
  if (line.length > 0 && line[0] === GT) {
    const copy = Buffer.from(line);
    copy[0] = LT;
    return [copy];
  }
  return [BANG, line];
}

/** Serves one connection; an incomplete last line is dropped at EOF, as the Go server does. */
function serveConnection(sock: net.Socket): void {
  const splitter = new LineSplitter();
  sock.on('data', (chunk: Buffer) => {
    for (const line of splitter.push(chunk)) {
      // The Go server writes '!' and the line with two writes; cork keeps them in one segment when possible.
      sock.cork();
      for (const part of echoReply(line)) sock.write(part);
      sock.uncork();
    }
  });
  sock.on('error', () => sock.destroy());
}

/** Starts the echo server and resolves once it listens. */
export function startEchoServer(opts: EchoServerOptions = {}): Promise<EchoServer> {
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer({ allowHalfOpen: false }, (sock) => {
    accepted++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    serveConnection(sock);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 3030, host, () => {
      server.off('error', reject);
      const addr = server.address() as net.AddressInfo;
      resolve({
        port: addr.port,
        host,
        get connectionsAccepted() {
          return accepted;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
