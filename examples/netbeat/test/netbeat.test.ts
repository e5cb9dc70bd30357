// The built netbeat on a capture merged from the echo, HTTP, Redis, DNS, memcache, MySQL and pgsql reference
// captures
// (scripts/merge-capture.sh): each protocol's events are exactly those of its own capture replayed
// alone, and the config file selects and configures the protocols.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dnsProtocol } from '@wirebeat/protocol-dns';
import { echoProtocol } from '@wirebeat/protocol-echo';
import { httpProtocol } from '@wirebeat/protocol-http';
import { redisProtocol } from '@wirebeat/protocol-redis';
import { memcacheProtocol } from '@wirebeat/protocol-memcache';
import { mysqlProtocol } from '@wirebeat/protocol-mysql';
import { pgsqlProtocol } from '@wirebeat/protocol-pgsql';
import { tlsProtocol } from '@wirebeat/protocol-tls';
import { normaliseEvent, replayCapture, withoutBeatFields, type ReplayProtocol } from '@wirebeat/testing';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'examples/netbeat/dist/main.js');
const MERGED = path.join(__dirname, 'fixtures/netbeat.pcap');
const SOURCES: Array<[string, ReplayProtocol['module'], string]> = [
  ['echo', echoProtocol, path.join(ROOT, 'pcaps/echo.pcap')],
  ['http', httpProtocol, path.join(ROOT, 'packages/protocol-http/test/fixtures/http.pcap')],
  ['redis', redisProtocol, path.join(ROOT, 'packages/protocol-redis/test/fixtures/redis.pcap')],
  ['dns', dnsProtocol, path.join(ROOT, 'packages/protocol-dns/test/fixtures/dns.pcap')],
  ['memcache', memcacheProtocol, path.join(ROOT, 'packages/protocol-memcache/test/fixtures/memcache.pcap')],
  ['mysql', mysqlProtocol, path.join(ROOT, 'packages/protocol-mysql/test/fixtures/mysql.pcap')],
  ['pgsql', pgsqlProtocol, path.join(ROOT, 'packages/protocol-pgsql/test/fixtures/pgsql.pcap')],
];
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Runs the built netbeat; resolves with its exit code, events and stderr. */
function netbeat(args: string[]): Promise<{ code: number | null; docs: Doc[]; stderr: string }> {
  if (!fs.existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npx tsc -b\` at the repository root first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => {
      const docs = stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Doc);
      resolve({ code, docs, stderr });
    });
  });
}

/** Fields beat-runner adds to every event (machine, agent, run): not the protocols' output. */
const protocolFields = (d: Doc): Doc => withoutBeatFields(JSON.parse(JSON.stringify(d)) as Doc);
const sorted = (docs: Doc[]) => docs.map((d) => JSON.stringify(normaliseEvent(protocolFields(d)))).sort();

describe('netbeat (echo + http + redis + dns + memcache + mysql + pgsql)', () => {
  it('publishes, for each protocol, exactly the events of its own capture', async () => {
    const { code, docs } = await netbeat(['-I', MERGED, '-t']);
    expect(code).toBe(0);
    for (const [type, module, capture] of SOURCES) {
      const alone = (await replayCapture(capture, [{ module }])).map((e) => e.fields as Doc);
      const merged = docs.filter((d) => d.type === type);
      expect(merged.length).toBeGreaterThan(0);
      expect([type, sorted(merged)]).toEqual([type, sorted(alone)]);
    }
    expect(docs.map((d) => d.type).sort()).toEqual(expect.arrayContaining(SOURCES.map(([t]) => t)));
    expect(new Set(docs.map((d) => d.type))).toEqual(new Set(SOURCES.map(([t]) => t)));
    // Without internal_networks every event still has network.direction, as in Packetbeat 8: the
    // captures' servers are on loopback addresses, so ingress.
    expect(new Set(docs.map((d) => d.network.direction))).toEqual(new Set(['ingress']));
    // DNS over both transports, in the same run as the TCP-only protocols.
    expect(new Set(docs.filter((d) => d.type === 'dns').map((d) => d.network.transport))).toEqual(
      new Set(['udp', 'tcp']),
    );
  });

  it('takes its protocols and their options from netbeat.yml', async () => {
    const { code, docs, stderr } = await netbeat(['-c', 'examples/netbeat/netbeat.yml', '-I', MERGED, '-t']);
    expect([code, stderr.split('\n').filter((l) => !l.startsWith('{'))]).toEqual([0, ['']]);
    const hello = docs.find((d) => d.type === 'http' && d.url?.query === 'name=wirebeat&lang=en')!;
    // Packetbeat's defaults (content-length, a number; content-type) beside the listed ones.
    expect(hello.http.request.headers).toEqual({ 'user-agent': 'wirebeat-fixture/1.0', 'content-length': 0 });
    expect(hello.http.response.headers).toEqual({
      'content-type': 'text/plain; charset=utf-8',
      'content-length': 15,
    });
    expect(docs.filter((d) => d.type === 'redis' && d.status === 'Error').map((d) => d.method)).toEqual(
      expect.arrayContaining(['INCR', 'NOSUCHCMD', 'AUTH']),
    );
    expect(docs.filter((d) => d.type === 'echo').length).toBeGreaterThan(0);
    expect(
      docs.filter((d) => d.type === 'dns' && d.status === 'Error').map((d) => d.dns.response_code),
    ).toEqual(expect.arrayContaining(['NXDOMAIN', 'REFUSED', 'SERVFAIL']));
    expect(
      docs.filter((d) => d.type === 'mysql' && d.status === 'Error').map((d) => d.mysql.error_code),
    ).toEqual(expect.arrayContaining([1146, 1064, 1051, 1054]));
  });

  it('gives the same set of events with two engine workers (-E netbeat.workers=2)', async () => {
    const one = await netbeat(['-c', 'examples/netbeat/netbeat.yml', '-I', MERGED, '-t']);
    const two = await netbeat([
      '-c',
      'examples/netbeat/netbeat.yml',
      '-I',
      MERGED,
      '-t',
      '-E',
      'netbeat.workers=2',
    ]);
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(new Set(two.docs.map((d) => d.type))).toEqual(new Set(one.docs.map((d) => d.type)));
    expect(two.docs.length).toBeGreaterThan(0);
    expect(sorted(two.docs)).toEqual(sorted(one.docs));
  });

  it('TLS (its own capture, on the ports netbeat.yml lists): the events of the capture replayed alone', async () => {
    const capture = path.join(ROOT, 'packages/protocol-tls/test/fixtures/tls.pcap');
    const { code, docs } = await netbeat(['-c', 'examples/netbeat/netbeat.yml', '-I', capture, '-t']);
    expect(code).toBe(0);
    const alone = (await replayCapture(capture, [{ module: tlsProtocol }])).map((e) => e.fields as Doc);
    expect(alone).toHaveLength(10);
    expect(sorted(docs)).toEqual(sorted(alone));
  });

  it('leaves out a protocol the config does not list', async () => {
    const { code, docs } = await netbeat(['-I', MERGED, '-t', '-E', 'netbeat.protocols=[{type: redis}]']);
    expect(code).toBe(0);
    expect(new Set(docs.map((d) => d.type))).toEqual(new Set(['redis']));
  });
});

describe('netbeat with network flows (netbeat.flows)', () => {
  const FLOWS = ['-E', 'netbeat.flows.timeout=30s', '-E', 'netbeat.flows.period=1s'];

  it('adds flow events of all IP traffic and leaves the transactions as they were, on 1 and 2 workers', async () => {
    const [plain, one, two] = await Promise.all([
      netbeat(['-I', MERGED, '-t']),
      netbeat(['-I', MERGED, '-t', ...FLOWS]),
      netbeat(['-I', MERGED, '-t', ...FLOWS, '-E', 'netbeat.workers=2']),
    ]);
    expect([plain.code, one.code, two.code]).toEqual([0, 0, 0]);
    // Flows off (no netbeat.flows section): no flow event.
    expect(plain.docs.filter((d) => d.type === 'flow')).toEqual([]);
    const flows = one.docs.filter((d) => d.type === 'flow');
    expect(flows.length).toBeGreaterThan(0);
    expect(flows.some((d) => d.flow.final === false)).toBe(true);
    expect(sorted(one.docs.filter((d) => d.type !== 'flow'))).toEqual(sorted(plain.docs));
    expect(sorted(two.docs)).toEqual(sorted(one.docs));
    // Every IP frame of the capture (tshark's count) is in exactly one flow's final report.
    const finals = flows.filter((d) => d.flow.final === true);
    const ipFrames = execFileSync(
      'tshark',
      ['-r', MERGED, '-Y', 'ip or ipv6', '-T', 'fields', '-e', 'frame.number'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    )
      .trim()
      .split('\n').length;
    expect(finals.reduce((n, d) => n + (d.network.packets as number), 0)).toBe(ipFrames);
  });

  it('counts evictions of a full flow table in the metrics at exit', async () => {
    const r = await netbeat(['-I', MERGED, '-t', '-e', ...FLOWS, '-E', 'netbeat.flows.max_flows=4']);
    expect(r.code).toBe(0);
    const line = r.stderr.split('\n').find((l) => l.includes('"metrics at exit"'));
    expect(line).toBeDefined();
    const flows = (JSON.parse(line!) as Doc).metrics.flows as Doc;
    expect(flows.max_active).toBe(4);
    expect(flows.evicted).toBeGreaterThan(0);
    expect(flows.reports).toBe(r.docs.filter((d) => d.type === 'flow').length);
  });
});
