// A beat loads what its config uses and nothing else: a replay loads no Elasticsearch, Kafka or
// file output (nor their clients, schemas and Node's TLS), no capture binding, no dashboard, no
// zod message locale but English and only the protocol packages the config runs; each of them
// loads when the config or the command asks for it. Checked on the built netbeat with a --require
// hook that writes the loaded files (require.cache) and Node's loaded built-in modules at exit.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freeTcpPort } from '@wirebeat/testing';

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'examples/netbeat/dist/main.js');
const ECHO = path.join(ROOT, 'pcaps/echo.pcap');
const PROTOCOLS = ['echo', 'http', 'redis', 'dns', 'memcache', 'mysql', 'pgsql', 'tls'];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netbeat-lazy-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const HOOK = path.join(tmp, 'loaded-hook.js');
fs.writeFileSync(
  HOOK,
  "process.on('exit', () => require('fs').writeFileSync(process.env.LOADED_FILES, JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)) })));\n",
);

/** Result of one run: exit code, stderr lines that are not JSON logs, the files it loaded. */
interface Run {
  code: number | null;
  stdout: string;
  plain: string[];
  loaded: string[];
  builtins: string[];
}

let runs = 0;
/** Runs the built netbeat with `args` in `cwd` (default: an empty directory, so no netbeat.yml). */
function netbeat(args: string[], cwd = tmp): Run {
  if (!fs.existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npx tsc -b\` at the repository root first`);
  const out = path.join(tmp, `loaded-${++runs}.json`);
  const r = spawnSync(process.execPath, ['--require', HOOK, MAIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, LOADED_FILES: out },
    timeout: 30_000,
  });
  const plain = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('{'));
  const { files, builtins } = JSON.parse(fs.readFileSync(out, 'utf8')) as {
    files: string[];
    builtins: string[];
  };
  return { code: r.status, stdout: r.stdout, plain, loaded: files, builtins };
}

/** Writes a config file running the given protocols on their default ports. */
function configWith(protocols: string[]): string {
  const file = path.join(tmp, `${protocols.join('-')}.yml`);
  fs.writeFileSync(file, `netbeat:\n  protocols:\n${protocols.map((p) => `    - type: ${p}\n`).join('')}`);
  return file;
}

const has = (r: Run, re: RegExp) => r.loaded.some((f) => re.test(f));
const protocolsLoaded = (r: Run) =>
  PROTOCOLS.filter((p) => has(r, new RegExp(`[/\\\\]protocol-${p}[/\\\\]`)));
const ES_CLIENT = /node_modules[/\\]@elastic[/\\]elasticsearch[/\\]/;
const KAFKA_CLIENT = /node_modules[/\\]@platformatic[/\\]kafka[/\\]/;
const CAP = /node_modules[/\\]cap[/\\]/;
const DASHBOARD = /beat-runner[/\\]dist[/\\]dashboard[/\\]/;
const PROCESSOR_MODULES = ['dissect', 'field-processors', 'value-processors', 'metadata-processors'];
const processorsLoaded = (r: Run) =>
  PROCESSOR_MODULES.filter((m) => has(r, new RegExp(`[/\\\\]processors[/\\\\]${m}\\.js$`)));
const outputsLoaded = (r: Run) =>
  ['elasticsearch', 'file', 'kafka'].filter((o) =>
    has(r, new RegExp(`publisher[/\\\\]dist[/\\\\]outputs[/\\\\]${o}[/\\\\]`)),
  );
/** zod's message locales (one file each) other than English. */
const ZOD_LOCALES = /zod[/\\]v4[/\\]locales[/\\](?!en\.cjs$|index\.cjs\?lazy$)[^/\\]+$/;
const LIVE_ONLY = /beat-runner[/\\]dist[/\\](sources[/\\](bpf|capture-loss|devices)|procs[/\\])/;

describe('netbeat loads what its config uses', () => {
  it('a replay with echo only: no other protocol, output client, processor, live-capture module or dashboard', () => {
    const r = netbeat(['-c', configWith(['echo']), '-I', ECHO, '-t']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(46);
    expect(protocolsLoaded(r)).toEqual(['echo']);
    expect([ES_CLIENT, KAFKA_CLIENT, CAP, DASHBOARD, LIVE_ONLY].filter((re) => has(r, re))).toEqual([]);
    expect(processorsLoaded(r)).toEqual([]);
    expect(outputsLoaded(r)).toEqual([]);
    expect(has(r, ZOD_LOCALES)).toBe(false);
    expect(has(r, /zod[/\\]v4[/\\]locales[/\\]en\.cjs$/)).toBe(true);
    expect(r.builtins.filter((m) => /tls/.test(m))).toEqual([]);
  });

  it('the output the config names, and only its modules', () => {
    const file = netbeat(['-I', ECHO, '-E', `output.file.path=${path.join(tmp, 'out')}`]);
    expect(file.code).toBe(0);
    expect(
      fs
        .readFileSync(path.join(tmp, 'out', 'netbeat'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(46);
    expect(outputsLoaded(file)).toEqual(['file']);
    // A mistake in a section is reported under its path, as when every schema loaded with the beat.
    const bad = netbeat(['test', 'config', '-E', 'output.elasticsearch.hosts=["ftp://h"]']);
    expect(bad.code).not.toBe(0);
    expect(bad.plain.join('\n')).toMatch(/output\.elasticsearch\.hosts.*scheme must be http or https/);
    expect(outputsLoaded(bad)).toEqual(['elasticsearch']);
  });

  it('the processors the config uses', () => {
    const file = path.join(tmp, 'processors.yml');
    fs.writeFileSync(file, 'processors:\n  - add_fields:\n      fields: {team: net}\n');
    const r = netbeat(['-c', file, 'test', 'config']);
    expect(r.code).toBe(0);
    expect(processorsLoaded(r)).toEqual(['field-processors']);
  });

  it('the protocols of the config, and all of them without a protocols list', () => {
    expect(protocolsLoaded(netbeat(['-c', configWith(['redis', 'http']), 'test', 'config']))).toEqual([
      'http',
      'redis',
    ]);
    const all = netbeat(['test', 'config']);
    expect(all.code).toBe(0);
    expect(protocolsLoaded(all)).toEqual(PROTOCOLS);
  });

  it('the Elasticsearch and Kafka clients when their output is configured', async () => {
    const port = await freeTcpPort(); // nothing listens there: `test output` fails after loading the client
    const es = netbeat(['test', 'output', '-E', `output.elasticsearch.hosts=["http://127.0.0.1:${port}"]`]);
    expect(es.code).not.toBe(0);
    expect(es.plain).toHaveLength(1);
    expect([has(es, ES_CLIENT), has(es, KAFKA_CLIENT)]).toEqual([true, false]);
    expect(outputsLoaded(es)).toEqual(['elasticsearch']);
    const kafka = netbeat([
      'test',
      'output',
      '-E',
      `output.kafka.hosts=["127.0.0.1:${port}"]`,
      '-E',
      'output.kafka.topic=t',
    ]);
    expect(kafka.code).not.toBe(0);
    expect(kafka.plain).toHaveLength(1);
    expect([has(kafka, ES_CLIENT), has(kafka, KAFKA_CLIENT)]).toEqual([false, true]);
    expect(outputsLoaded(kafka)).toEqual(['kafka']);
    expect(kafka.builtins).toContain('tls');
  });

  it('the capture binding for the devices command', () => {
    const r = netbeat(['devices']);
    // Without the optional binding installed, the command fails with one line instead.
    if (r.code === 0) expect(has(r, CAP)).toBe(true);
    else expect(r.plain).toEqual([expect.stringMatching(/cap/i)]);
  });
});
