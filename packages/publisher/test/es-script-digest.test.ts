// scripts/es.js checks the Elasticsearch zip against the `.sha512` file published next to it: a file
// whose digest differs is refused (deleted, with both digests in the message), never unpacked.
// The "Maven Central" here is a local HTTP server serving a small file and its digest.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

interface DigestScript {
  parseSha512File(text: string): string;
  verifySha512(file: string, expectedHex: string): Promise<void>;
  downloadVerified(url: string, dest: string): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const es: DigestScript = require(path.join(__dirname, '../../../scripts/es.js'));

const CONTENT = Buffer.from('not really elasticsearch, but bytes with a known digest\n');
const DIGEST = crypto.createHash('sha512').update(CONTENT).digest('hex');
const WRONG = crypto.createHash('sha512').update('something else').digest('hex');

describe('scripts/es.js SHA-512 verification', () => {
  let dir: string;
  let server: http.Server;
  let base: string;
  /** What the server answers for the digest file, and how many times the zip was fetched. */
  let digestFile = '';
  let zipDownloads = 0;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-es-digest-'));
    server = http.createServer((req, res) => {
      if (req.url === '/es.zip') {
        zipDownloads++;
        res.end(CONTENT);
      } else if (req.url === '/es.zip.sha512') res.end(digestFile);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    zipDownloads = 0;
  });

  it('reads the digest of a .sha512 file, with or without a file name after it', () => {
    expect(es.parseSha512File(`${DIGEST}\n`)).toBe(DIGEST);
    expect(es.parseSha512File(`${DIGEST.toUpperCase()}  elasticsearch.zip\n`)).toBe(DIGEST);
    expect(() => es.parseSha512File('<html>not found</html>')).toThrow(/not a SHA-512 digest file/);
  });

  it('accepts a file with the right digest and refuses one with a wrong digest', async () => {
    const file = path.join(dir, 'local.zip');
    fs.writeFileSync(file, CONTENT);
    await expect(es.verifySha512(file, DIGEST)).resolves.toBeUndefined();
    await expect(es.verifySha512(file, WRONG)).rejects.toThrow(
      `SHA-512 mismatch for local.zip: expected ${WRONG}, got ${DIGEST}`,
    );
  });

  it('downloads and keeps a zip that matches the published digest', async () => {
    digestFile = `${DIGEST}\n`;
    const dest = path.join(dir, 'good.zip');
    await es.downloadVerified(`${base}/es.zip`, dest);
    expect(fs.readFileSync(dest)).toEqual(CONTENT);
    expect(zipDownloads).toBe(1);
  });

  it('refuses a download whose digest differs, after downloading it again once, and keeps nothing', async () => {
    digestFile = `${WRONG}\n`;
    const dest = path.join(dir, 'bad.zip');
    await expect(es.downloadVerified(`${base}/es.zip`, dest)).rejects.toThrow(
      new RegExp(
        `^refusing ${base}/es\\.zip: SHA-512 mismatch for bad\\.zip: expected ${WRONG}, got ${DIGEST}`,
      ),
    );
    expect(zipDownloads).toBe(2);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('bad.zip'))).toEqual([]);
  });

  it('checks a zip already in the cache and replaces it when it does not match', async () => {
    digestFile = `${DIGEST}\n`;
    const dest = path.join(dir, 'cached.zip');
    fs.writeFileSync(dest, 'a truncated download');
    await es.downloadVerified(`${base}/es.zip`, dest);
    expect(fs.readFileSync(dest)).toEqual(CONTENT);
    expect(zipDownloads).toBe(1);
    // Now it matches: kept as is, not downloaded again.
    await es.downloadVerified(`${base}/es.zip`, dest);
    expect(zipDownloads).toBe(1);
  });
});
