// Live: Debian's openssl s_server started here on a free loopback port, node:tls clients doing
// TLS 1.2 and 1.3 handshakes (full, then resumed) while tcpdump records; the capture replayed
// through the analyzer gives, handshake by handshake, what the client itself negotiated: version,
// cipher, ALPN, resumption, and the server certificate's fingerprint.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { freeTcpPort, replayCaptureDetailed } from '@wirebeat/testing';
import { tlsProtocol } from '@wirebeat/protocol-tls';

jest.setTimeout(60_000);

/* eslint-disable @typescript-eslint/no-require-imports */
const { makeCerts } = require('../scripts/make-certs.js') as {
  makeCerts(dir: string): { ca: string; serverCert: string; serverKey: string };
};
const { startTcpdump } = require('../../../scripts/loopback-capture.js') as {
  startTcpdump(file: string, host: string, port: number): Promise<{ stop(): Promise<string> }>;
};
/* eslint-enable @typescript-eslint/no-require-imports */
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What the client saw of one handshake. */
interface Seen {
  port: number;
  version: string;
  cipher: string;
  alpn: string | false;
  reused: boolean;
  fingerprint: string;
}

/** openssl s_server answering HTTP with its status page; resolves once it accepts. */
function startServer(dir: string, host: string, port: number): Promise<ChildProcess> {
  const certs = makeCerts(dir);
  const args = ['s_server', '-accept', `${host}:${port}`, '-cert', certs.serverCert, '-key', certs.serverKey];
  args.push('-cert_chain', certs.ca, '-alpn', 'h2,http/1.1', '-www', '-naccept', '4');
  const child = spawn('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', (e) =>
      reject(new Error(`openssl s_server could not be started (apt-get install openssl): ${e.message}`)),
    );
    child.once('exit', (code) => reject(new Error(`openssl s_server exited with ${code}: ${out}`)));
    child.stderr.on('data', (d) => (out += d));
    child.stdout.on('data', (d) => {
      out += d;
      if (/ACCEPT/.test(out)) resolve(child);
    });
  });
}

/** A GET over TLS; resolves with what the client negotiated and the session to resume. */
function handshake(
  host: string,
  port: number,
  ca: Buffer,
  o: tls.ConnectionOptions,
): Promise<[Seen, Buffer | undefined]> {
  return new Promise((resolve, reject) => {
    let session: Buffer | undefined;
    let seen: Seen | undefined;
    const sock = tls.connect({
      host,
      port,
      ca: [ca],
      servername: 'www.example.test',
      ALPNProtocols: ['h2', 'http/1.1'],
      ...o,
    });
    sock.on('session', (s) => (session = s));
    sock.once('secureConnect', () => {
      seen = {
        port: sock.localPort!,
        version: sock.getProtocol()!,
        cipher: sock.getCipher().standardName,
        alpn: sock.alpnProtocol ?? false,
        reused: sock.isSessionReused(),
        // A resumed session shows no certificate.
        fingerprint: (sock.getPeerCertificate().fingerprint ?? '').replace(/:/g, ''),
      };
      sock.write('GET / HTTP/1.0\r\n\r\n');
    });
    sock.on('data', () => undefined);
    sock.once('error', reject);
    sock.once('close', () =>
      seen === undefined ? reject(new Error('no handshake')) : resolve([seen, session]),
    );
  });
}

describe('openssl s_server live on loopback', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-tls-live-'));
  const file = path.join(dir, 'live.pcap');
  const host = '127.0.0.1';
  const seen: Seen[] = [];
  let docs: Doc[] = [];
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    const port = await freeTcpPort(host);
    server = await startServer(dir, host, port);
    const capture = await startTcpdump(file, host, port);
    const ca = fs.readFileSync(path.join(dir, 'ca.pem'));
    try {
      for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
        const [full, session] = await handshake(host, port, ca, { minVersion: version, maxVersion: version });
        const [resumed] = await handshake(host, port, ca, {
          minVersion: version,
          maxVersion: version,
          session,
        });
        seen.push(full, resumed);
      }
    } finally {
      await capture.stop();
    }
    const r = await replayCaptureDetailed(file, [{ module: tlsProtocol, config: { ports: [port] } }]);
    docs = r.events.map((e) => e.fields as Doc);
  });

  afterAll(() => {
    // Also when a handshake failed: the server must not outlive the suite.
    server?.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('one established event per handshake, with the version, cipher and resumption the client negotiated', () => {
    expect(docs.map((d) => d.source.port)).toEqual(seen.map((s) => s.port));
    expect(docs.map((d) => [d.status, d.tls.established, d.tls.client.server_name])).toEqual(
      seen.map(() => ['OK', true, 'www.example.test']),
    );
    expect(docs.map((d) => [`TLSv${d.tls.version}`, d.tls.cipher, d.tls.resumed])).toEqual(
      seen.map((s) => [s.version, s.cipher, s.reused]),
    );
    expect(seen.map((s) => s.reused)).toEqual([false, true, false, true]);
  });

  it('what TLS 1.2 shows in clear: ALPN and the server certificate; TLS 1.3 hides both', () => {
    const rows = docs.map((d) => [d.tls.next_protocol ?? false, d.tls.server?.hash?.sha1 ?? false]);
    expect(rows).toEqual(
      seen.map((s, i) => (i === 0 ? [s.alpn, s.fingerprint] : i === 1 ? [s.alpn, false] : [false, false])),
    );
    expect(seen.map((s) => s.alpn)).toEqual(['h2', 'h2', 'h2', 'h2']);
  });
});
