// The launcher (bin/pb_echo.js, run as a program): its #! line starts node with the young
// generation's sizes and moves NODE_EXTRA_CA_CERTS aside (Node 20 would parse that file at every
// start; the beat takes it back, see kafka-secure.test.ts for the trust it gives). A stand-in
// `node` first in PATH prints what the launcher handed it.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BIN } from './pb-echo-cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-echo-launcher-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
fs.writeFileSync(
  path.join(tmp, 'node'),
  `#!/bin/sh\nprintf '%s\\n' "$@" > "${tmp}/args"\nenv > "${tmp}/env"\n`,
  { mode: 0o755 },
);

/** Runs the launcher with the stand-in node and `env`; returns the arguments and environment node got. */
function launch(env: NodeJS.ProcessEnv): { args: string[]; env: Map<string, string> } {
  const r = spawnSync(BIN, ['-I', 'x.pcap'], { env: { ...env, PATH: `${tmp}:${process.env.PATH}` } });
  if (r.status !== 0) throw new Error(`launcher exited ${r.status}: ${r.stderr}`);
  const lines = fs.readFileSync(path.join(tmp, 'env'), 'utf8').split('\n');
  return {
    args: fs.readFileSync(path.join(tmp, 'args'), 'utf8').trim().split('\n'),
    env: new Map(
      lines
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    ),
  };
}

describe('bin/pb_echo.js', () => {
  const { NODE_EXTRA_CA_CERTS: _ignored, ...base } = process.env;

  it('starts node with the young generation sizes, the main script and the arguments', () => {
    expect(launch(base).args).toEqual([
      '--max-semi-space-size=32',
      '--min-semi-space-size=16',
      BIN,
      '-I',
      'x.pcap',
    ]);
  });

  it('moves NODE_EXTRA_CA_CERTS to WIREBEAT_EXTRA_CA_CERTS (empty when it was not set)', () => {
    const moved = launch({ ...base, NODE_EXTRA_CA_CERTS: '/etc/some-ca.pem' }).env;
    expect([moved.get('NODE_EXTRA_CA_CERTS'), moved.get('WIREBEAT_EXTRA_CA_CERTS')]).toEqual([
      undefined,
      '/etc/some-ca.pem',
    ]);
    const none = launch(base).env;
    expect([none.get('NODE_EXTRA_CA_CERTS'), none.get('WIREBEAT_EXTRA_CA_CERTS')]).toEqual([undefined, '']);
  });

  it("is the same #! line as netbeat's launcher", () => {
    const first = (f: string) => fs.readFileSync(f, 'utf8').split('\n')[0];
    expect(first(path.join(path.dirname(BIN), '../../netbeat/bin/netbeat.js'))).toBe(first(BIN));
  });
});
