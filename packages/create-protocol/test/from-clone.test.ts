// The route for an author outside the repository before the packages are on the registry:
// `create-protocol <name> --from-clone <clone>` in an empty folder gives a standalone package whose
// @wirebeat dependencies (and zod) are `file:` links into the clone; npm installs them without the
// network, the package compiles with its declarations and replays its sample capture into the
// template's golden events. (The toolchain devDependencies come from the public registry and are
// left out here: CI has no network.)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireBuiltRepository } from './helpers';

jest.setTimeout(120_000);

const repoRoot = path.resolve(__dirname, '../../..');
const CLI = path.join(repoRoot, 'packages/create-protocol/bin/create-protocol.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'from-clone-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('create-protocol --from-clone', () => {
  it('generates a package that installs offline from the clone, builds and replays its sample', () => {
    requireBuiltRepository();
    const gen = run(
      process.execPath,
      [CLI, 'ping', '--port', '4040', '--yes', '--from-clone', repoRoot],
      tmp,
    );
    expect(gen).toMatchObject({ code: 0, stderr: '' });
    const dir = path.join(tmp, 'wirebeat-protocol-ping');
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.dependencies).toEqual({
      '@wirebeat/applayer': `file:${path.join(repoRoot, 'packages/applayer')}`,
      '@wirebeat/streambuf': `file:${path.join(repoRoot, 'packages/streambuf')}`,
      zod: `file:${path.join(repoRoot, 'node_modules/zod')}`,
    });
    expect(pkg.devDependencies['@wirebeat/testing']).toBe(`file:${path.join(repoRoot, 'packages/testing')}`);
    // The public toolchain would come from the registry; without a network it is left out.
    for (const k of Object.keys(pkg.devDependencies))
      if (!k.startsWith('@wirebeat/')) delete pkg.devDependencies[k];
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund'], dir);
    expect(install.stderr).not.toMatch(/ERR!/);
    expect(install.code).toBe(0);
    const tsc = run(
      process.execPath,
      [
        path.join(repoRoot, 'node_modules/typescript/bin/tsc'),
        '-p',
        'tsconfig.build.json',
        '--typeRoots',
        path.join(repoRoot, 'node_modules/@types'),
      ],
      dir,
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(fs.existsSync(path.join(dir, 'dist', 'index.d.ts'))).toBe(true);
    const replay = run(process.execPath, ['scripts/replay.js', 'test/captures/sample.pcap', '7357'], dir);
    expect(replay.code).toBe(0);
    const got = replay.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const golden = fs
      .readFileSync(path.join(dir, 'test/captures/sample.expected.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const key = (e: Record<string, unknown>) => [
      e['@timestamp'],
      e.type,
      e.status,
      e.responsetime,
      e.bytes_in,
    ];
    expect(got.map(key)).toEqual(golden.map(key));
    expect(got.length).toBeGreaterThan(0);
  });

  it('refuses a folder that is not a built wirebeat clone, in one line', () => {
    const r = run(process.execPath, [CLI, 'ping', '--yes', '--from-clone', tmp], tmp);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(
      /^.*--from-clone .*: not a wirebeat clone \(no packages\/applayer\/package\.json\)$/,
    );
  });
});
