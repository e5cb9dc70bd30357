// The Beats conventions a Packetbeat user relies on, through the built pb_echo: the default config
// file, name/tags/fields, processors, host/agent fields, --strict.perms, export, -l 0, -dump, -d, -v.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  events,
  finished,
  goldenFileOf,
  PCAPS,
  plainStderrLines,
  rawEvents,
  runPbEcho,
  startPbEcho,
} from './pb-echo-cli';

jest.setTimeout(120_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-echo-beats-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const ECHO = path.join(PCAPS, 'echo.pcap');
const ORPHAN = path.join(PCAPS, 'echo-orphan.pcap');

/** A fresh directory under the test's tmp. */
function dir(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

/** Writes a config file with owner-only write permission (what --strict.perms wants). */
function writeConfig(file: string, text: string, mode = 0o644): string {
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  return file;
}

describe('the config file', () => {
  it('is pb_echo.yml from --path.config, else from the working directory, when -c is not given', async () => {
    const cwd = dir('cwd');
    const conf = dir('conf');
    writeConfig(path.join(cwd, 'pb_echo.yml'), 'tags: [from-cwd]\n');
    writeConfig(path.join(conf, 'pb_echo.yml'), 'tags: [from-path-config]\n');
    const fromCwd = await runPbEcho(['-I', ECHO, '-t'], { cwd });
    expect(fromCwd.code).toBe(0);
    expect(rawEvents(fromCwd.stdout).every((e) => JSON.stringify(e.tags) === '["from-cwd"]')).toBe(true);
    const fromConf = await runPbEcho(['-I', ECHO, '-t', '--path.config', conf], { cwd });
    expect(fromConf.code).toBe(0);
    expect(rawEvents(fromConf.stdout)[0].tags).toEqual(['from-path-config']);
    // -c is relative to path.config, as in Beats.
    writeConfig(path.join(conf, 'other.yml'), 'tags: [other]\n');
    const named = await runPbEcho(['-I', ECHO, '-t', '--path.config', conf, '-c', 'other.yml'], { cwd });
    expect(rawEvents(named.stdout)[0].tags).toEqual(['other']);
  });

  it('--strict.perms refuses a config file others may write, --strict.perms=false accepts it', async () => {
    const cwd = dir('perms');
    const file = writeConfig(path.join(cwd, 'pb_echo.yml'), 'tags: [open]\n', 0o666);
    const refused = await runPbEcho(['-I', ECHO, '-t'], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(plainStderrLines(refused.stderr)).toEqual([
      `pb_echo: config file ${file} may only be writable by its owner, but its permissions are -rw-rw-rw- (fix it with chmod go-w ${file}, or run with --strict.perms=false)`,
    ]);
    const accepted = await runPbEcho(['-I', ECHO, '-t', '--strict.perms=false'], { cwd });
    expect(accepted.code).toBe(0);
    expect(rawEvents(accepted.stdout)[0].tags).toEqual(['open']);
  });
});

describe('event fields', () => {
  it('name, tags and fields (under fields or at the root) are on every event', async () => {
    const r = await runPbEcho([
      '-I',
      ECHO,
      '-t',
      '-E',
      'name=edge-7',
      '-E',
      'tags=[lab, echo]',
      '-E',
      'fields={env: staging, rack: 4}',
    ]);
    expect(r.code).toBe(0);
    const evs = rawEvents(r.stdout);
    expect(evs.length).toBeGreaterThan(10);
    for (const e of evs) {
      expect(e).toMatchObject({
        tags: ['lab', 'echo'],
        fields: { env: 'staging', rack: 4 },
        host: { name: 'edge-7' },
        agent: { name: 'edge-7', type: 'pb_echo', version: '0.1.0' },
      });
    }
    const root = await runPbEcho([
      '-I',
      ECHO,
      '-t',
      '-E',
      'fields={env: staging}',
      '-E',
      'fields_under_root=true',
    ]);
    expect(events(root.stdout).every((e) => e.env === 'staging' && e.fields === undefined)).toBe(true);
  });

  it('host.*, agent.* with an id kept in path.data/meta.json and a new ephemeral_id per run', async () => {
    const data = dir('data');
    const first = rawEvents((await runPbEcho(['-I', ECHO, '-t', '--path.data', data])).stdout);
    const second = rawEvents((await runPbEcho(['-I', ECHO, '-t', '--path.data', data])).stdout);
    const meta = JSON.parse(fs.readFileSync(path.join(data, 'meta.json'), 'utf8')) as { uuid: string };
    const a1 = first[0].agent as Record<string, string>;
    const a2 = second[0].agent as Record<string, string>;
    expect(a1.id).toBe(meta.uuid);
    expect(a2.id).toBe(meta.uuid);
    expect(a1.ephemeral_id).not.toBe(a2.ephemeral_id);
    // As libbeat: every event names its host; add_host_metadata adds the rest of host.*.
    expect(first[0].host).toEqual({ name: os.hostname() });
    const withMeta = rawEvents(
      (
        await runPbEcho([
          '-I',
          ECHO,
          '-t',
          '--path.data',
          data,
          '-E',
          'processors=[{add_host_metadata: null}]',
        ])
      ).stdout,
    );
    expect(withMeta[0].host).toMatchObject({
      name: os.hostname(),
      hostname: os.hostname(),
      architecture: expect.any(String),
      os: { type: 'linux', kernel: os.release() },
    });
    expect(first[0].ecs).toEqual({ version: '8.0.0' });
    // --path.home moves data/ with it.
    const home = dir('home');
    await runPbEcho(['-I', ECHO, '-t', '--path.home', home]);
    expect(fs.existsSync(path.join(home, 'data', 'meta.json'))).toBe(true);
  });

  it('related.ip lists client and server, error.message repeats the notes of failed transactions', async () => {
    const evs = rawEvents((await runPbEcho(['-I', ORPHAN, '-t'])).stdout);
    // Apart from the added fields, the events are the protocol's (the golden file).
    expect(events((await runPbEcho(['-I', ORPHAN, '-t'])).stdout)).toHaveLength(evs.length);
    expect(evs.every((e) => (e.ecs as { version: string }).version === '8.0.0')).toBe(true);
    const failed = evs.filter((e) => e.status === 'Error' && Array.isArray(e.notes));
    expect(failed.length).toBeGreaterThan(0);
    for (const e of evs) {
      const c = e.client as { ip: string };
      const s = e.server as { ip: string };
      expect((e.related as { ip: string[] }).ip).toEqual([...new Set([c.ip, s.ip])]);
    }
    for (const e of failed) expect(e.error).toEqual({ message: (e.notes as string[]).join('; ') });
  });
});

describe('processors', () => {
  const golden = () => events(fs.readFileSync(goldenFileOf('echo-orphan.pcap'), 'utf8'));

  it('drop_event with an or of conditions drops exactly the matching events', async () => {
    const r = await runPbEcho([
      '-I',
      ORPHAN,
      '-t',
      '-E',
      'processors=[{drop_event: {when: {or: [{equals: {status: Error}}, {range: {responsetime.gte: 30}}]}}}]',
    ]);
    expect(r.code).toBe(0);
    const want = golden().filter((e) => e.status !== 'Error' && !((e.responsetime as number) >= 30));
    expect(want.length).toBeGreaterThan(0);
    expect(events(r.stdout).map((e) => e['@timestamp'])).toEqual(want.map((e) => e['@timestamp']));
  });

  it('add_fields, rename, drop_fields and include_fields with network and has_fields conditions', async () => {
    const cfg = writeConfig(
      path.join(dir('proc'), 'p.yml'),
      [
        'processors:',
        '  - add_fields: {target: lab, fields: {site: paris}, when: {network: {client.ip: loopback}}}',
        '  - add_fields: {target: lab, fields: {remote: true}, when: {not: {network: {client.ip: 127.0.0.0/8}}}}',
        '  - rename: {fields: [{from: echo, to: protocol_fields}]}',
        '  - drop_fields: {fields: [event, network], when: {has_fields: [notes]}}',
        '  - include_fields: {fields: [lab, protocol_fields, status, event.outcome, notes], when: {regexp: {status: "^Err"}}}',
        '',
      ].join('\n'),
    );
    const r = await runPbEcho(['-I', ORPHAN, '-t', '-c', cfg]);
    expect(r.code).toBe(0);
    const evs = rawEvents(r.stdout);
    expect(evs).toHaveLength(golden().length);
    for (const e of evs) {
      expect(e.lab).toEqual({ site: 'paris' });
      expect(e.echo).toBeUndefined();
      if (e.status === 'Error') {
        // include_fields kept only what it lists (and @timestamp, type).
        const allowed = ['@timestamp', 'type', 'lab', 'protocol_fields', 'status', 'event', 'notes'];
        expect(Object.keys(e).filter((k) => !allowed.includes(k))).toEqual([]);
        if (e.event !== undefined) expect(Object.keys(e.event as object)).toEqual(['outcome']);
      } else if (e.notes !== undefined) expect(e.network).toBeUndefined();
      else expect(e.network).toBeDefined();
    }
    expect(evs.some((e) => e.status === 'Error')).toBe(true);
    expect(evs.some((e) => e.status === 'OK' && e.protocol_fields !== undefined)).toBe(true);
  });

  it('a malformed processor is one line naming it, before anything is read', async () => {
    const r = await runPbEcho([
      '-I',
      ECHO,
      '-t',
      '-E',
      'processors=[{drop_event: {when: {equal: {status: Error}}}}]',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(plainStderrLines(r.stderr)).toEqual([
      'pb_echo: processors.0.drop_event.when.equal: unknown condition equal (equals, contains, regexp, range, network, has_fields, or, and, not)',
    ]);
  });
});

describe('export', () => {
  it('export config prints the effective config as YAML with secrets masked', async () => {
    const cfg = writeConfig(
      path.join(dir('export'), 'pb_echo.yml'),
      'output:\n  elasticsearch:\n    hosts: ["http://127.0.0.1:9200"]\n    username: elastic\n    password: hunter2\n',
    );
    const r = await runPbEcho(['export', 'config', '-c', cfg, '-E', 'tags=[a]']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('password: "[redacted]"');
    expect(r.stdout).not.toContain('hunter2');
    expect(r.stdout).toMatch(/username: elastic/);
    expect(r.stdout).toMatch(/tags:\n {2}- a/);
  });

  it('export template prints the index template with the host, agent and related mappings', async () => {
    const r = await runPbEcho(['export', 'template']);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as {
      index_patterns: string[];
      template: {
        mappings: { properties: Record<string, { properties: Record<string, { type?: string }> }> };
      };
    };
    expect(t.index_patterns).toEqual(['pb_echo-0.1.0-*']);
    const p = t.template.mappings.properties;
    expect(p.related.properties.ip.type).toBe('ip');
    expect(p.agent.properties.id.type).toBe('keyword');
    expect(p.host.properties.hostname.type).toBe('keyword');
    expect(p.ecs.properties.version.type).toBe('keyword');
    expect(p.error.properties.message.type).toBe('text');
    expect(p.echo).toBeDefined();
  });
});

describe('command line', () => {
  it('-l 0 replays the file until a signal', async () => {
    const once = events((await runPbEcho(['-I', ECHO, '-t'])).stdout).length;
    const child = startPbEcho(['-I', ECHO, '-t', '-l', '0']);
    const done = finished(child);
    let lines = 0;
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        lines += d.toString().split('\n').length - 1;
        if (lines > once * 3) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`pb_echo -l 0 ended by itself (exit ${code}) after ${lines} events`)),
      );
    });
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(0);
    expect(events(r.stdout).length).toBeGreaterThan(once * 3);
  });

  it('--path.logs takes the logs (at logging.level) off stderr, into <path.logs>/pb_echo.ndjson', async () => {
    const logs = path.join(dir('logs'), 'nested');
    const r = await runPbEcho(['-I', ECHO, '-t', '--path.logs', logs]);
    expect(r.code).toBe(0);
    const lines = fs.readFileSync(path.join(logs, 'pb_echo.ndjson'), 'utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(
      expect.arrayContaining(['started', 'stopped', 'metrics at exit']),
    );
    // Metrics go where the logs go (as libbeat's): stderr stays empty.
    expect(r.stderr).toBe('');
  });

  it('-i with a number that `devices` does not list is one clear line', async () => {
    const r = await runPbEcho(['-i', '999']);
    expect(r.code).toBe(1);
    expect(plainStderrLines(r.stderr)).toEqual([
      expect.stringMatching(/^pb_echo: no capture device number 999 \(`devices` lists 0 to \d+\)$/),
    ]);
  });

  it('-dump FILE is --dump FILE', async () => {
    const dump = path.join(dir('dump'), 'd.pcap');
    const r = await runPbEcho(['-I', ECHO, '-t', '-dump', dump]);
    expect(r.code).toBe(0);
    expect(fs.statSync(dump).size).toBe(fs.statSync(ECHO).size);
  });

  it('-v logs at info level on stderr, -d publisher logs each published event', async () => {
    const quiet = await runPbEcho(['-I', ECHO, '-t']);
    expect(quiet.stderr).not.toMatch(/"msg":"started"/);
    const v = await runPbEcho(['-I', ECHO, '-t', '-v']);
    expect(v.stderr).toMatch(/"level":30,.*"msg":"started"/);
    expect(v.stderr).not.toMatch(/"level":20/);
    const d = await runPbEcho(['-I', ECHO, '-t', '-d', 'publisher']);
    const published = d.stderr.split('\n').filter((l) => l.includes('"msg":"publish event"'));
    expect(published).toHaveLength(events(d.stdout).length);
    expect(JSON.parse(published[0])).toMatchObject({
      level: 20,
      selector: 'publisher',
      event: { type: 'echo' },
    });
    const other = await runPbEcho(['-I', ECHO, '-t', '-d', 'procs']);
    expect(other.stderr).not.toMatch(/"msg":"publish event"/);
    const all = await runPbEcho(['-I', ECHO, '-t', '-d', '*']);
    expect(all.stderr).toMatch(/"msg":"publish event"/);
  });
});
