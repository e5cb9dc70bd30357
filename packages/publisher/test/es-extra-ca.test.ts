// The Elasticsearch client's default trust when a launcher deferred NODE_EXTRA_CA_CERTS (see
// @wirebeat/core's extra-ca-certs): `test output` against an HTTPS endpoint whose certificate is
// signed by a CA found only in that file. The endpoint is a node:https server answering `GET /` as
// Elasticsearch does (the secured real cluster is es-secure.test.ts's); the TLS is real. Each case
// runs in its own node process: the deferral is per process.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');
const PUBLISHER = path.join(ROOT, 'packages/publisher/dist/index.js');
const CORE = path.join(ROOT, 'packages/core/dist/index.js');
// The CA and a certificate for 127.0.0.1, made by openssl (the Kafka test brokers' maker).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeCertificates } = require(path.join(ROOT, 'scripts/kafka-security.js')) as {
  makeCertificates(dir: string, openssl: (args: string[]) => void): { ca: string; dir: string };
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'es-extra-ca-'));
let server: https.Server;
let url: string;
let ca: string;

beforeAll(async () => {
  if (!fs.existsSync(PUBLISHER)) throw new Error(`${PUBLISHER} missing: build first (npx tsc -b)`);
  ({ ca } = makeCertificates(tmp, (args) => {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed (is openssl installed?): ${r.stderr}`);
  }));
  server = https.createServer(
    {
      key: fs.readFileSync(path.join(tmp, 'server.key')),
      cert: fs.readFileSync(path.join(tmp, 'server.crt')),
    },
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify({ version: { number: '8.99.1' }, tagline: 'You Know, for Search' }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** `test output` of an Elasticsearch output at `url`, in a node process with `env`; its report or error. */
async function testOutputWith(env: Record<string, string>, ssl?: object): Promise<string> {
  const script = `require(${JSON.stringify(CORE)}).adoptMovedExtraCaCerts();
    const p = require(${JSON.stringify(PUBLISHER)});
    const outputs = p.outputsConfigSchema.parse({ elasticsearch: { hosts: [${JSON.stringify(url)}], ${ssl ? `ssl: ${JSON.stringify(ssl)}` : ''} } });
    p.testOutput(outputs, { beatName: 'b', beatVersion: '1', fields: [], logger: { info() {}, warn() {}, error() {}, debug() {} } })
      .then((r) => console.log(r), (e) => console.log(e.constructor.name + ': ' + e.message));`;
  const { NODE_EXTRA_CA_CERTS: _a, WIREBEAT_EXTRA_CA_CERTS: _b, ...base } = process.env;
  // Asynchronous: the server answers from this process.
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...base, ...env },
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  await new Promise((resolve) => child.once('close', resolve));
  return out.trim();
}

describe('Elasticsearch output: CAs of a deferred NODE_EXTRA_CA_CERTS', () => {
  it('are trusted without ssl settings, and beside ssl.verification_mode', async () => {
    const [plain, full] = await Promise.all([
      testOutputWith({ WIREBEAT_EXTRA_CA_CERTS: ca }),
      testOutputWith({ WIREBEAT_EXTRA_CA_CERTS: ca }, { verification_mode: 'full' }),
    ]);
    expect(plain).toBe(`elasticsearch: ${url} (TLS, verification full) OK, version 8.99.1`);
    expect(full).toBe(plain);
  });

  it('are not trusted when nothing was deferred, nor when ssl.certificate_authorities names other CAs', async () => {
    const other = path.join(tmp, 'other-ca.crt');
    fs.writeFileSync(other, fs.readFileSync(path.join(tmp, 'client.crt')));
    const [none, named] = await Promise.all([
      testOutputWith({}),
      testOutputWith({ WIREBEAT_EXTRA_CA_CERTS: ca }, { certificate_authorities: [other] }),
    ]);
    expect(none).toMatch(/: unable to verify the first certificate$/);
    expect(named).toMatch(
      /: (unable to verify the first certificate|self-signed certificate in certificate chain|unable to get local issuer certificate)$/,
    );
  });
});
