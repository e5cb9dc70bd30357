// NODE_EXTRA_CA_CERTS moved aside by a launcher: taken back for child processes, and the default
// trust of the beat's TLS clients rebuilt as Node's (bundled roots and the file's CAs). Separate
// node processes: the module keeps what it adopted for the process.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rootCertificates } from 'tls';

const BUILT = path.resolve(__dirname, '../dist/extra-ca-certs.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'extra-ca-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Adopts, then reports the environment and the deferred trust of a process started with `env`. */
function adopted(env: Record<string, string>): {
  env: Record<string, string | null>;
  ca: number | null;
  warnings: string[];
} {
  const script = `const m = require(${JSON.stringify(BUILT)});
    const warnings = []; process.on('warning', (w) => warnings.push(w.message));
    m.adoptMovedExtraCaCerts();
    const ca = m.deferredCaCertificates();
    setImmediate(() => console.log(JSON.stringify({
      env: { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? null, WIREBEAT_EXTRA_CA_CERTS: process.env.WIREBEAT_EXTRA_CA_CERTS ?? null },
      ca: ca === undefined ? null : ca.length, warnings })));`;
  const { NODE_EXTRA_CA_CERTS: _a, WIREBEAT_EXTRA_CA_CERTS: _b, ...base } = process.env;
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...base, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as never;
}

describe('extra CA certificates deferred by the launcher', () => {
  const pem = (n: number) => `-----BEGIN CERTIFICATE-----\nMIIB${n}\n-----END CERTIFICATE-----\n`;
  const bundle = path.join(tmp, 'bundle.pem');
  fs.writeFileSync(bundle, `# two CAs\n${pem(1)}text between\n${pem(2)}`);
  const roots = rootCertificates.length;

  beforeAll(() => {
    if (!fs.existsSync(BUILT)) throw new Error(`${BUILT} missing: build first (npx tsc -b)`);
  });

  it('takes the variable back and trusts the bundled roots and the file', () => {
    expect(adopted({ WIREBEAT_EXTRA_CA_CERTS: bundle })).toEqual({
      env: { NODE_EXTRA_CA_CERTS: bundle, WIREBEAT_EXTRA_CA_CERTS: null },
      ca: roots + 2,
      warnings: [],
    });
  });

  it('leaves the default trust to Node when nothing was moved, or when Node read the file itself', () => {
    expect(adopted({ WIREBEAT_EXTRA_CA_CERTS: '' })).toMatchObject({
      env: { NODE_EXTRA_CA_CERTS: null, WIREBEAT_EXTRA_CA_CERTS: null },
      ca: null,
    });
    expect(adopted({ NODE_EXTRA_CA_CERTS: bundle })).toMatchObject({ ca: null });
  });

  it('warns as Node does about a file it cannot load, and keeps the bundled roots', () => {
    const missing = path.join(tmp, 'missing.pem');
    expect(adopted({ WIREBEAT_EXTRA_CA_CERTS: missing })).toEqual({
      env: { NODE_EXTRA_CA_CERTS: missing, WIREBEAT_EXTRA_CA_CERTS: null },
      ca: roots,
      warnings: [`Ignoring extra certs from \`${missing}\`, load failed: ENOENT`],
    });
  });
});
