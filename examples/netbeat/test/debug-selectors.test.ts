// `-d <selector>` and `logging.level: debug` give debug lines from the parts named: pcapread (each
// packet read), tcp (each segment), a protocol (each transaction it publishes), and only those.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'examples/netbeat/dist/main.js');
const REDIS = path.join(ROOT, 'packages/protocol-redis/test/fixtures/redis.pcap');

type Line = Record<string, unknown>;

function netbeat(args: string[]): { events: Line[]; logs: Line[] } {
  if (!fs.existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npx tsc -b\` at the repository root first`);
  const r = spawnSync(process.execPath, [MAIN, '-I', REDIS, '-t', ...args], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status).toBe(0);
  const parse = (s: string) =>
    s
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Line);
  return { events: parse(r.stdout), logs: parse(r.stderr) };
}

const bySelector = (logs: Line[], s: string) => logs.filter((l) => l.selector === s && l.level === 20);

describe('debug selectors', () => {
  it('-d tcp,redis: one line per packet from tcp, one per transaction from redis, nothing else', () => {
    const { events, logs } = netbeat(['-d', 'tcp,redis']);
    const frames = (
      logs.find((l) => l.msg === 'metrics at exit') as { metrics: { source: { frames: number } } }
    ).metrics.source.frames;
    const tcp = bySelector(logs, 'tcp');
    expect(tcp).toHaveLength(frames);
    expect(tcp[0]).toMatchObject({ flags: ['SYN'], ack: 0, len: 0, dst: expect.stringMatching(/:6379$/) });
    expect(tcp.some((l) => (l.len as number) > 0 && (l.flags as string[]).includes('PSH'))).toBe(true);
    const redis = bySelector(logs, 'redis');
    expect(redis).toHaveLength(events.length);
    expect(redis.map((l) => l.query)).toEqual(events.map((e) => e.query));
    expect(logs.filter((l) => l.level === 20 && l.selector !== 'tcp' && l.selector !== 'redis')).toEqual([]);
  });

  it('-d pcapread: one line per packet read, with its lengths', () => {
    const { logs } = netbeat(['-d', 'pcapread']);
    const lines = bySelector(logs, 'pcapread');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((l) => l.packet)).toEqual(lines.map((_, i) => i + 1));
    expect(lines[0]).toMatchObject({
      caplen: expect.any(Number),
      len: expect.any(Number),
      linktype: expect.any(Number),
    });
    expect(bySelector(logs, 'tcp')).toEqual([]);
  });

  it('logging.level: debug (with -e) turns every selector on, as libbeat does', () => {
    const { logs } = netbeat(['-e', '-E', 'logging.level=debug']);
    const selectors = new Set(logs.filter((l) => l.level === 20).map((l) => l.selector));
    expect([...selectors].sort()).toEqual(['pcapread', 'publisher', 'redis', 'tcp']);
  });
});
