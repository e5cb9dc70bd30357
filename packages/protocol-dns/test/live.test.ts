// Live: Debian's unbound started here on a loopback address, queried by dig over UDP and TCP while
// tcpdump records; the capture replayed through the analyzer gives, for every query, the records
// dig itself printed (the real server and client are the judges, not our golden files).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { replayCaptureDetailed } from '@wirebeat/testing';
import { dnsProtocol } from '@wirebeat/protocol-dns';

jest.setTimeout(60_000);

/* eslint-disable @typescript-eslint/no-require-imports */
const { unboundConfig } = require('../scripts/unbound-zone.js') as {
  unboundConfig(host: string, port: number, dir: string): string;
};
const { freeLoopbackAddress, startTcpdump } = require('../../../scripts/loopback-capture.js') as {
  freeLoopbackAddress(port: number): Promise<string>;
  startTcpdump(
    file: string,
    host: string,
    port: number,
    o: { transport: string },
  ): Promise<{ stop(): Promise<string> }>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const QUERIES: Array<[string, string]> = [
  ['www.wirebeat.test', 'A'],
  ['www.wirebeat.test', 'AAAA'],
  ['alias.wirebeat.test', 'CNAME'],
  ['wirebeat.test', 'NS'],
  ['wirebeat.test', 'MX'],
  ['wirebeat.test', 'SOA'],
  ['wirebeat.test', 'TXT'],
  ['wirebeat.test', 'CAA'],
  ['wirebeat.test', 'HTTPS'],
  ['wirebeat.test', 'NSEC'],
  ['wirebeat.test', 'DNSKEY'],
  ['_sip._udp.wirebeat.test', 'SRV'],
  ['svc.wirebeat.test', 'SVCB'],
  ['10.2.0.192.in-addr.arpa', 'PTR'],
];

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, (err, stdout) =>
      err
        ? reject(new Error(`${cmd} failed (bash scripts/install-deps.sh installs it): ${err.message}`))
        : resolve(stdout),
    ),
  );
}

function startUnbound(host: string, dir: string): Promise<ChildProcess> {
  const conf = path.join(dir, 'unbound.conf');
  fs.writeFileSync(conf, unboundConfig(host, 53, dir));
  return new Promise((resolve, reject) => {
    const child = spawn('unbound', ['-d', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`unbound did not start: ${out}`)), 10_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/start of service/.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(
        new Error(`unbound could not be started (bash scripts/install-deps.sh installs it): ${e.message}`),
      );
    });
  });
}

/** A record as `dig +short` prints it, from the fields of our event. */
function short(a: Doc): string {
  switch (a.type) {
    case 'MX':
      return `${a.preference} ${a.data}`;
    case 'SRV':
      return `${a.priority} ${a.weight} ${a.port} ${a.data}`;
    case 'SOA':
      return [a.data, a.rname, a.serial, a.refresh, a.retry, a.expire, a.minimum].join(' ');
    case 'CAA':
      return `${a.flags} ${a.tag} "${a.data}"`;
    case 'NSEC':
      return `${a.data} ${a.type_bits}`;
    case 'SVCB':
    case 'HTTPS':
      return [a.priority, a.data, a.params].filter((x) => x !== undefined).join(' ');
    case 'DNSKEY':
      // dig prints the algorithm's number: the zone's key is ECDSAP256SHA256 (13).
      return `${a.flags} ${a.protocol} ${a.algorithm === 'ECDSAP256SHA256' ? 13 : a.algorithm} ${a.data}`;
    default:
      return a.data;
  }
}

/**
 * dig's line, spaces inside base64 and quotes around SvcParam values and TXT strings taken out,
 * names without their final dot (events publish them as Packetbeat: `www.example.com`).
 */
function digForm(type: string, line: string): string {
  if (type === 'TXT') return [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join(' ');
  if (type === 'DNSKEY') {
    const [flags, protocol, algorithm, ...key] = line.split(' ');
    return `${flags} ${protocol} ${algorithm} ${key.join('')}`;
  }
  const bare = line
    .split(' ')
    .map((t) => (t.length > 1 && t.endsWith('.') ? t.slice(0, -1) : t))
    .join(' ');
  if (type === 'SVCB' || type === 'HTTPS') return bare.replace(/"/g, '');
  return bare;
}

describe('live: unbound queried by dig on loopback, UDP and TCP', () => {
  let docs: Doc[] = [];
  const dig: Record<string, string[]> = {};

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-dns-live-'));
    const host = await freeLoopbackAddress(53);
    const server = await startUnbound(host, dir);
    const file = path.join(dir, 'live.pcap');
    try {
      const capture = await startTcpdump(file, host, 53, { transport: 'any' });
      try {
        for (const [name, type] of QUERIES) {
          for (const transport of ['udp', 'tcp']) {
            const args = [`@${host}`, '+short', '+time=3', '+tries=1', name, type];
            const out = await run('dig', transport === 'tcp' ? ['+tcp', ...args] : args);
            dig[`${transport} ${name} ${type}`] = out.trim().split('\n').filter(Boolean);
          }
        }
      } finally {
        await capture.stop();
      }
    } finally {
      server.kill('SIGTERM');
    }
    const r = await replayCaptureDetailed(file, [{ module: dnsProtocol, config: {} }]);
    expect(r.logged).toEqual([]);
    docs = r.events.map((e) => e.fields as Doc);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('one event per query, each answered, over the transport dig used', () => {
    expect(
      docs.map((d) => `${d.network.transport} ${d.dns.question.name} ${d.dns.question.type}`).sort(),
    ).toEqual(Object.keys(dig).sort());
    expect(docs.every((d) => d.status === 'OK' && d.dns.type === 'answer')).toBe(true);
  });

  it('every answer reads as dig printed it', () => {
    for (const d of docs) {
      const key = `${d.network.transport} ${d.dns.question.name} ${d.dns.question.type}`;
      const ours = (d.dns.answers ?? []).map(short).sort();
      const theirs = dig[key].map((line) => digForm(d.dns.question.type, line)).sort();
      expect([key, ours]).toEqual([key, theirs]);
    }
  });
});
