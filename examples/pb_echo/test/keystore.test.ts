// `keystore create|add|list|remove` and ${KEY} resolution: the keystore wins over the environment,
// the file is 0600 without plain values, and a password from it shows in no log and no export.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MAIN, PCAPS, rawEvents, requireBuild, runPbEcho } from './pb-echo-cli';

jest.setTimeout(60_000);

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-echo-keystore-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
const SECRET = 'pw-5f1c9e-not-in-logs';

/** Runs pb_echo in `home` with `input` on stdin. */
function ks(args: string[], input = '') {
  requireBuild();
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: home, input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('keystore', () => {
  it('creates, adds from stdin, lists keys only and removes', () => {
    expect(ks(['keystore', 'create'])).toMatchObject({ code: 0, stdout: 'Created pb_echo keystore\n' });
    expect(ks(['keystore', 'create'])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/already exists \(use --force/),
    });
    expect(ks(['keystore', 'add', 'ES_PWD', '--stdin'], `${SECRET}\n`).code).toBe(0);
    expect(ks(['keystore', 'add', 'AGENT'], 'from-keystore').code).toBe(0);
    expect(ks(['keystore', 'add', 'TMP'], 'x').code).toBe(0);
    expect(ks(['keystore', 'add', 'TMP'], 'y')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/already in the keystore/),
    });
    expect(ks(['keystore', 'remove', 'TMP']).code).toBe(0);
    expect(ks(['keystore', 'remove', 'NOPE'])).toMatchObject({
      code: 1,
      stderr: 'pb_echo: not in the keystore: NOPE\n',
    });
    expect(ks(['keystore', 'list'])).toMatchObject({ code: 0, stdout: 'AGENT\nES_PWD\n' });
    const file = path.join(home, 'data', 'pb_echo.keystore');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('from-keystore');
  });

  it('${KEY} takes the keystore value before the environment', async () => {
    const r = await runPbEcho(['-I', path.join(PCAPS, 'echo.pcap'), '-t', '-E', 'name=${AGENT}'], {
      cwd: home,
      env: { ...process.env, AGENT: 'from-env' },
    });
    expect(r.code).toBe(0);
    const docs = rawEvents(r.stdout);
    expect(docs.length).toBeGreaterThan(0);
    expect(new Set(docs.map((d) => (d.agent as { name: string }).name))).toEqual(new Set(['from-keystore']));
  });

  it('the password it holds is in no log line and not in export config', () => {
    fs.writeFileSync(
      path.join(home, 'pb_echo.yml'),
      'output.elasticsearch:\n  hosts: ["http://127.0.0.1:1"]\n  username: elastic\n  password: ${ES_PWD}\n',
      { mode: 0o600 },
    );
    const t = ks(['test', 'config', '-e', '-d', '*']);
    expect(t.code).toBe(0);
    const exp = ks(['export', 'config']);
    expect(exp.code).toBe(0);
    expect(exp.stdout).toMatch(/password:/);
    for (const out of [t.stdout, t.stderr, exp.stdout, exp.stderr]) expect(out).not.toContain(SECRET);
  });
});
