// The dashboards in a real browser (headless chromium): the report of the merged echo + HTTP +
// Redis capture, and the live page of a beat replaying it. Assertions are on what is drawn (SVG
// elements, their sizes, pixels of the series' colours, the text shown); screenshots are kept in
// test-output/dashboard/.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { countColour, foreignRequests, launchChromium, screenshot } from './browser/chromium';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'examples/netbeat/dist/main.js');
// The echo + HTTP + Redis capture the dashboards were checked on (frame numbers from tshark).
const CAPTURE = path.join(__dirname, 'fixtures/echo-http-redis.pcap');
const TX_BLUE: [number, number, number] = [43, 108, 176];
const BAR_BLUE: [number, number, number] = [107, 143, 214];

let browser: Browser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netbeat-dashboard-'));
beforeAll(async () => {
  if (!fs.existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npx tsc -b\` at the repository root first`);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Runs the built netbeat to its end; resolves with its exit code and output. */
function netbeat(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Text of every cell of a table, row by row. */
async function rows(page: Page, selector: string): Promise<string[][]> {
  return page.$$eval(`${selector} tbody tr`, (trs) =>
    trs.map((tr) =>
      Array.from(tr.children, (td: { textContent: string | null }) => (td.textContent ?? '').trim()),
    ),
  );
}

describe('report -I capture -o report.html', () => {
  const out = path.join(tmp, 'report.html');
  let page: Page;
  let foreign: string[];

  beforeAll(async () => {
    const r = await netbeat(['report', '-I', CAPTURE, '-o', out]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${out}: 114 transactions, 16 errors, 370 frames\n`);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    foreign = foreignRequests(page, 'file://');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('file://' + out);
    expect(errors).toEqual([]);
  });
  afterAll(() => page?.close());

  it('draws a card per protocol with its rate chart, latency histogram and percentiles', async () => {
    const cards = await page.$$eval('section.protocol', (s) => s.map((e) => e.getAttribute('data-protocol')));
    // A card for every protocol the beat runs; the capture has traffic for the first three.
    expect(cards).toEqual(['echo', 'http', 'redis', 'dns', 'memcache', 'mysql', 'pgsql', 'tls']);
    for (const name of ['echo', 'http', 'redis']) {
      const card = `section.protocol[data-protocol="${name}"]`;
      expect(await page.locator(`${card} svg.rate path.series`).count()).toBe(2);
      const bars = await page.$$eval(`${card} svg.histogram rect.bar`, (rs) =>
        rs.map((r) => ({
          h: Number(r.getAttribute('height')),
          label: r.querySelector('title')?.textContent ?? '',
        })),
      );
      expect(bars.length).toBeGreaterThan(1);
      // The tallest bar is the bucket with the most transactions.
      const counts = bars.map((b) => Number(b.label.split(': ')[1]));
      expect(bars.map((b) => b.h).indexOf(Math.max(...bars.map((b) => b.h)))).toBe(
        counts.indexOf(Math.max(...counts)),
      );
      const tiles = await page.$$eval(`${card} .tile span`, (s) => s.map((e) => e.textContent));
      expect(tiles).toEqual(['transactions', 'errors', 'p50', 'p90', 'p99']);
    }
    const http = await page.$$eval('section.protocol[data-protocol="http"] .tile b', (b) =>
      b.map((e) => e.textContent),
    );
    expect(http.slice(0, 2)).toEqual(['15', '4']); // 4xx and 5xx are Errors, as in Packetbeat
  });

  it("lists each protocol's top resources from its declared field", async () => {
    expect(await page.locator('section[data-protocol="http"] h3', { hasText: 'Top url.path' }).count()).toBe(
      1,
    );
    const httpTop = await rows(page, 'section[data-protocol="http"] table.top');
    expect(httpTop[0]).toEqual(['/hello', '4', '0']);
    const redisTop = await rows(page, 'section[data-protocol="redis"] table.top');
    expect(redisTop.slice(0, 2)).toEqual([
      ['DEBUG', '8', '0'],
      ['GET', '7', '0'],
    ]);
  });

  it('lists every Error transaction with its notes and the frames that carry it', async () => {
    const errs = await rows(page, 'table.errors');
    expect(errs).toHaveLength(16);
    const byResource = (r: string) => errs.find((e) => e[2] === r)!;
    // Frame numbers as tshark counts them in the merged capture (see the note in docs/dashboards.md).
    expect(byResource('/error').slice(1, 6)).toEqual(['http', '/error', '500', '', '133–134']);
    expect(byResource('/hang').slice(4, 6)).toEqual(['response missing: connection closed (FIN)', '212']);
    expect(byResource('INCR')[3]).toBe('ERR value is not an integer or out of range');
    expect(errs.filter((e) => e[1] === 'echo').map((e) => e[5])).toContain('34–37');
  });

  it('draws pixels, fits a phone, and loads nothing from the network', async () => {
    const png = await screenshot(page, 'report-desktop');
    expect(await countColour(page, png, TX_BLUE)).toBeGreaterThan(200);
    expect(await countColour(page, png, BAR_BLUE)).toBeGreaterThan(2000);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'report-phone');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(foreign).toEqual([]);
  });
});

describe('report and dashboard on bad input', () => {
  it('give one line on stderr and a non-zero exit', async () => {
    const cases: Array<[string[], number, string]> = [
      [['report', '-I', CAPTURE], 2, 'netbeat: report needs an output file: -o FILE\n'],
      [
        ['report', '-I', '/nonexistent.pcap', '-o', path.join(tmp, 'x.html')],
        1,
        'netbeat: /nonexistent.pcap: cannot read capture',
      ],
      [
        ['report', '-I', CAPTURE, '-o', path.join(tmp, 'missing-dir', 'r.html')],
        1,
        'netbeat: cannot write the report',
      ],
      [['dashboard'], 2, 'netbeat: dashboard reads Elasticsearch: set output.elasticsearch.hosts'],
      [['dashboard', '--port', 'abc'], 2, 'netbeat: --port expects a port number, got "abc"'],
    ];
    for (const [args, code, line] of cases) {
      const r = await netbeat(args);
      expect({
        code: r.code,
        stderr: r.stderr.startsWith(line),
        lines: r.stderr.trim().split('\n').length,
      }).toEqual({
        code,
        stderr: true,
        lines: 1,
      });
    }
  });
});

describe('the live dashboard of a running beat (http.enabled)', () => {
  let child: ChildProcess;
  let address: string;

  beforeAll(async () => {
    // The capture replayed in a loop at full speed: traffic that keeps coming, on packet time.
    child = spawn(
      process.execPath,
      [MAIN, '-I', CAPTURE, '-t', '-l', '0', '-v', '-E', 'http.enabled=true', '-E', 'http.port=0'],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    address = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => {
        err += d;
        const m = /"address":"([^"]+)"[^\n]*http endpoint started/.exec(err);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) =>
        reject(new Error(`netbeat exited (${code}) before its endpoint started: ${err}`)),
      );
    });
  });
  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('serves the page at / and updates it without reloading', async () => {
    // The page forbids eval by its CSP; the test's own string probes need it.
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const origin = `http://${address}`;
    const foreign = foreignRequests(page, origin);
    await page.goto(origin + '/');
    await page.waitForFunction('window.__dashboard && window.__dashboard.fetches >= 2');
    const first = await page.evaluate<number>('window.__dashboard.snapshot.protocols[2].transactions');
    await page.waitForFunction(`window.__dashboard.snapshot.protocols[2].transactions > ${first}`);
    const cards = await page.$$eval('section.protocol', (s) => s.map((e) => e.getAttribute('data-protocol')));
    expect(cards).toEqual(['echo', 'http', 'redis', 'dns', 'memcache', 'mysql', 'pgsql', 'tls']);
    const health = await page.$$eval('section.health .tile span', (s) => s.map((e) => e.textContent));
    expect(health).toEqual([
      'packets/s',
      'packets',
      'capture loss',
      'gaps',
      'connections open',
      'queue fill',
      'output errors',
    ]);
    const packets = await page.$$eval('section.health .tile b', (b) => b.map((e) => e.textContent));
    expect(Number(packets[1]!.replace('k', '')) > 0).toBe(true);
    expect(await page.locator('section.health svg.packets path.series').count()).toBe(1);
    // Redis, last in the capture, has the latest minutes of packet time: its latency is drawn.
    expect(
      await page.locator('section[data-protocol="redis"] svg.histogram rect.bar').count(),
    ).toBeGreaterThan(1);
    expect(await page.locator('section[data-protocol="redis"] table.top tbody tr').count()).toBe(10);
    const png = await screenshot(page, 'live-desktop');
    expect(await countColour(page, png, TX_BLUE)).toBeGreaterThan(100);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'live-phone');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(foreign).toEqual([]);
    await page.close();
  });
});
