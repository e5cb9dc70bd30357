// Release rehearsal: what a release and its first users do, against a real npm registry (verdaccio,
// started here on a free loopback port, packages other than ours fetched through it from the machine's
// registry). Every public package is published with `lerna publish from-package`; a protocol author
// runs `npm init @wirebeat/protocol ping`, installs, tests and publishes the new package; a beat is
// assembled in an empty folder from the published beat-runner, protocol-echo and ping packages and
// replays captures into the right events. Nothing comes from the repository's node_modules or the
// developer's npm cache: npm runs with an empty cache folder and without npm's variables of this run.
// Slow (several installs over the network): it prints its progress on stderr.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BEAT_ADDED_FIELDS, normaliseEvent, readGolden } from '@wirebeat/testing';
import { copyRepository, events, requireBuiltRepository } from './helpers';
import { LocalRegistry, machineRegistry } from './local-registry';

jest.setTimeout(1_500_000);

const repoRoot = path.resolve(__dirname, '../../..');
const STEP_TIMEOUT_MS = 600_000;
const started = Date.now();

/** One progress line on stderr, with the time since the rehearsal began. */
/** Fields beat-runner adds to every event (machine, agent, run), left out of golden comparisons. */
const BEAT_FIELDS = [...BEAT_ADDED_FIELDS];

function progress(message: string): void {
  process.stderr.write(`[release rehearsal +${((Date.now() - started) / 1000).toFixed(0)}s] ${message}\n`);
}

/** The environment of a user's shell: no npm variables of this run, no repository tools on PATH. */
function userEnv(cache: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  env.PATH = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.includes(`node_modules${path.sep}.bin`))
    .join(path.delimiter);
  return {
    ...env,
    npm_config_cache: cache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    CI: '1',
    FORCE_COLOR: '0',
  };
}

/** The manifest fields the rehearsal looks at. */
interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  publishConfig?: { access?: string };
}

/** Public packages of the repository: what the release must publish. */
function publicPackages(): Manifest[] {
  return fs
    .readdirSync(path.join(repoRoot, 'packages'))
    .map(
      (dir) =>
        JSON.parse(fs.readFileSync(path.join(repoRoot, 'packages', dir, 'package.json'), 'utf8')) as Manifest,
    )
    .filter((pkg) => !pkg.private);
}

/** A beat in a few lines, as beat-runner's README shows: the runner and the protocols it knows. */
const BEAT_JS = `#!/usr/bin/env node
// rehearsal_beat: beat-runner with the echo protocol and the ping protocol published by its author.
const { runBeat } = require('@wirebeat/beat-runner');
const { echoProtocol } = require('@wirebeat/protocol-echo');
const { pingProtocol } = require('wirebeat-protocol-ping');

runBeat({ name: 'rehearsal_beat', version: '1.0.0', protocols: [echoProtocol, pingProtocol] }).then((code) =>
  process.exit(code),
);
`;

/** Its configuration: both protocols on their default ports, request and response texts kept. */
const BEAT_YML = `rehearsal_beat:
  protocols:
    - type: echo
      send_request: true
      send_response: true
    - type: ping
      send_request: true
      send_response: true
`;

describe('release rehearsal against a local npm registry', () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  let registry: LocalRegistry;
  let pingDir: string;
  let beatDir: string;

  /** Runs a command as the user would; a non-zero exit fails with its output. */
  function sh(cmd: string, args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}) {
    progress(`${path.relative(tmp, cwd) || '.'}$ ${cmd} ${args.join(' ')}`);
    const r = spawnSync(cmd, args, {
      cwd,
      env: { ...env, ...extra },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: STEP_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) {
      throw new Error(
        `\`${cmd} ${args.join(' ')}\` in ${cwd} failed (${r.error?.message ?? `exit ${r.status}`})\n` +
          `${r.stdout}\n${r.stderr}\nverdaccio log:\n${registry.logTail()}`,
      );
    }
    return r;
  }

  beforeAll(async () => {
    requireBuiltRepository();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-release-'));
    env = userEnv(path.join(tmp, 'npm-cache'));
    registry = new LocalRegistry(path.join(tmp, 'registry'));
    const uplink = machineRegistry();
    await registry.start(uplink);
    await registry.addUser('rehearsal', 'rehearsal-password');
    progress(`verdaccio on ${registry.url} (uplink ${uplink}), work folder ${tmp}`);
  });

  afterAll(async () => {
    if (registry) await registry.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lerna publish from-package publishes every public package, and nothing private', async () => {
    // In a copy: lerna writes a temporary gitHead into the manifests it publishes.
    const release = path.join(tmp, 'release');
    fs.mkdirSync(release);
    copyRepository(repoRoot, release);
    registry.writeNpmrc(release);
    const lerna = path.join(release, 'node_modules', '.bin', 'lerna');
    sh(lerna, ['publish', 'from-package', '--yes', '--no-git-reset', '--registry', registry.url], release);
    const expected = publicPackages();
    expect(expected.map((pkg) => pkg.name)).toEqual(
      expect.arrayContaining(['@wirebeat/beat-runner', '@wirebeat/create-protocol', '@wirebeat/testing']),
    );
    for (const pkg of expected)
      expect({ ...pkg, published: await registry.versions(pkg.name) }).toEqual({
        ...pkg,
        published: [pkg.version],
      });
    expect(await registry.versions('@wirebeat/protocol-template')).toEqual([]);
    expect(await registry.versions('pb_echo')).toEqual([]);
  });

  it('a protocol author generates, installs, tests and publishes a package with npm init', async () => {
    const author = path.join(tmp, 'author');
    fs.mkdirSync(author);
    registry.writeNpmrc(author);
    // npm asks before installing the initializer; the user answers yes (npm_config_yes).
    const init = sh('npm', ['init', '@wirebeat/protocol', 'ping', '--', '--yes'], author, {
      npm_config_yes: 'true',
    });
    expect(init.stdout).toContain(
      'Created wirebeat-protocol-ping in wirebeat-protocol-ping (standalone mode)',
    );
    pingDir = path.join(author, 'wirebeat-protocol-ping');
    registry.writeNpmrc(pingDir);
    sh('npm', ['install'], pingDir);
    // Its @wirebeat packages are the ones just published, not links into the repository.
    const installed = path.join(pingDir, 'node_modules', '@wirebeat', 'testing');
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(fs.existsSync(path.join(installed, 'dist', 'index.js'))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'src'))).toBe(false);
    const tested = sh('npm', ['test', '--', '--ci'], pingDir);
    expect(tested.stderr).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    sh('npm', ['run', 'lint'], pingDir);
    sh('npm', ['publish'], pingDir);
    expect(await registry.versions('wirebeat-protocol-ping')).toEqual(['0.1.0']);
  });

  it('a beat assembled from the published packages replays captures into the right events', () => {
    beatDir = path.join(tmp, 'beat');
    fs.mkdirSync(beatDir);
    registry.writeNpmrc(beatDir);
    fs.writeFileSync(
      path.join(beatDir, 'package.json'),
      JSON.stringify({ name: 'rehearsal-beat', version: '1.0.0', private: true }, null, 2) + '\n',
    );
    sh(
      'npm',
      ['install', '@wirebeat/beat-runner', '@wirebeat/protocol-echo', 'wirebeat-protocol-ping'],
      beatDir,
    );
    fs.writeFileSync(path.join(beatDir, 'beat.js'), BEAT_JS);
    fs.writeFileSync(path.join(beatDir, 'rehearsal.yml'), BEAT_YML);

    const echoCapture = path.join(repoRoot, 'pcaps', 'echo.pcap');
    const echo = sh('node', ['beat.js', '-c', 'rehearsal.yml', '-I', echoCapture, '-t'], beatDir);
    const echoGolden = readGolden(path.join(repoRoot, 'pcaps', 'echo.expected.ndjson'));
    expect(echoGolden).toHaveLength(46);
    const echoEvents = events(echo.stdout);
    // beat-runner adds the machine and agent fields; the protocol's part must equal the golden file.
    expect(echoEvents[0]).toMatchObject({
      agent: { type: 'rehearsal_beat' },
      ecs: { version: expect.any(String) },
    });
    expect(echoEvents.map((e) => normaliseEvent(e, { omit: BEAT_FIELDS }))).toEqual(
      echoGolden.map((e) => normaliseEvent(e)),
    );

    const pingCapture = path.join(pingDir, 'test', 'captures', 'sample.pcap');
    const ping = sh('node', ['beat.js', '-c', 'rehearsal.yml', '-I', pingCapture, '-t'], beatDir);
    const pingGolden = readGolden(path.join(pingDir, 'test', 'captures', 'sample.expected.ndjson'));
    expect(pingGolden.length).toBeGreaterThan(0);
    // The golden file also records each event's id, which the console output does not print.
    expect(events(ping.stdout).map((e) => normaliseEvent(e, { omit: BEAT_FIELDS }))).toEqual(
      pingGolden.map((e) => normaliseEvent(e, { omit: ['_id'] })),
    );
    progress('done');
  });
});
