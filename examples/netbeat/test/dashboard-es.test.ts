// The dashboard computed by Elasticsearch: netbeat ships the echo + HTTP + Redis capture to the
// real cluster of the tests, `netbeat dashboard` serves the page, and headless chromium shows the
// same totals, top resources and Error transactions as the capture holds; the protocol filter and
// the time range picker change what the aggregations cover. Also: `export dashboard` gives Kibana
// saved objects whose visualizations use only fields the index template maps.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { countColour, foreignRequests, launchChromium, screenshot } from './browser/chromium';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'examples/netbeat/dist/main.js');
// The echo + HTTP + Redis capture the dashboards were checked on (frame numbers from tshark).
const CAPTURE = path.join(__dirname, 'fixtures/echo-http-redis.pcap');
// Indices of this test only, so that other runs' documents cannot change the counts.
const PREFIX = 'netbeat-dashboard-test';

function esUrl(): string {
  if (process.env.WIREBEAT_ES_ERROR) throw new Error(process.env.WIREBEAT_ES_ERROR);
  const url = process.env.ELASTICSEARCH_URL;
  if (!url)
    throw new Error(
      'ELASTICSEARCH_URL is not set: run through jest with scripts/jest-es-setup.js as globalSetup',
    );
  return url.replace(/\/$/, '');
}

const esArgs = (url: string) => [
  '-E',
  `output.elasticsearch.hosts=["${url}"]`,
  '-E',
  `output.elasticsearch.index=${PREFIX}-%{+yyyy.MM.dd}`,
  '-E',
  `setup.template.name=${PREFIX}`,
  '-E',
  `setup.template.pattern=${PREFIX}-*`,
];

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
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

let browser: Browser;
let server: ChildProcess | undefined;
let origin: string;

beforeAll(async () => {
  if (!fs.existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npx tsc -b\` at the repository root first`);
  const url = esUrl();
  // Replays are idempotent (deterministic ids): a second run leaves the same 114 documents.
  // A cluster kept from an earlier run may hold this test's indices: start from none.
  // (Elasticsearch refuses wildcard deletes by default: each index is deleted by its name.)
  const kept = (await (await fetch(`${url}/_cat/indices/${PREFIX}-*?h=index&format=json`)).json()) as Array<{
    index: string;
  }>;
  for (const { index } of kept) await fetch(`${url}/${index}`, { method: 'DELETE' });
  const shipped = await run(['-I', CAPTURE, '-t', ...esArgs(url)]);
  expect(shipped).toMatchObject({ code: 0 });
  await fetch(`${url}/${PREFIX}-*/_refresh`, { method: 'POST' });
  const count = (await (await fetch(`${url}/${PREFIX}-*/_count`)).json()) as { count: number };
  expect(count.count).toBe(114);
  browser = await launchChromium();
  server = spawn(process.execPath, [MAIN, 'dashboard', '--port', '0', ...esArgs(url)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  origin = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    server!.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /dashboard: (http:\/\/\S+)\//.exec(out);
      if (m) resolve(m[1]);
    });
    server!.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    server!.once('exit', (code) => reject(new Error(`netbeat dashboard exited (${code}): ${err}`)));
  });
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
});

const totals = (page: Page) =>
  page.$$eval('section.protocol', (s) =>
    s.map((e) => [e.getAttribute('data-protocol'), e.querySelector('h2 small')?.textContent]),
  );

describe('netbeat dashboard (Elasticsearch aggregations)', () => {
  it("shows every protocol's totals, latency, top resources and Error transactions", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const foreign = foreignRequests(page, origin);
    await page.goto(`${origin}/?since=all`);
    expect(await totals(page)).toEqual([
      ['echo', '46 transactions, 9 errors'],
      ['http', '15 transactions, 4 errors'],
      ['redis', '53 transactions, 3 errors'],
      ['dns', '0 transactions, 0 errors'],
      ['memcache', '0 transactions, 0 errors'],
      ['mysql', '0 transactions, 0 errors'],
      ['pgsql', '0 transactions, 0 errors'],
      ['tls', '0 transactions, 0 errors'],
    ]);
    const httpTop = await page.$$eval('section[data-protocol="http"] table.top tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.children, (td: { textContent: string | null }) => td.textContent)),
    );
    expect(httpTop[0]).toEqual(['/hello', '4', '0']);
    const echoTop = await page.$$eval('section[data-protocol="echo"] table.top tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.children, (td: { textContent: string | null }) => td.textContent)),
    );
    expect(echoTop).toEqual([['true', '46', '9']]);
    expect(
      await page.locator('section[data-protocol="redis"] svg.histogram rect.bar').count(),
    ).toBeGreaterThan(1);
    expect(await page.locator('section[data-protocol="http"] table.slowest tbody tr').count()).toBe(10);
    const errors = await page.$$eval('table.errors tbody tr', (trs) =>
      trs.map((tr) => tr.children[2].textContent),
    );
    expect(errors).toHaveLength(16);
    expect(errors).toEqual(expect.arrayContaining(['/error', '/hang', 'INCR', 'NOSUCHCMD', 'AUTH']));
    const png = await screenshot(page, 'elasticsearch-desktop');
    expect(await countColour(page, png, [107, 143, 214])).toBeGreaterThan(1000);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('narrows to one protocol and to a time range from the page controls', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    await page.goto(`${origin}/?since=all`);
    await page.selectOption('#protocol', 'http');
    await page.waitForFunction("document.querySelectorAll('section.protocol').length === 1");
    expect(await totals(page)).toEqual([['http', '15 transactions, 4 errors']]);
    await screenshot(page, 'elasticsearch-phone-http');
    // The capture is older than 15 minutes: nothing in that range.
    await page.selectOption('#since', '15m');
    await page.waitForFunction(
      "document.querySelector('section.protocol h2 small').textContent.startsWith('0 ')",
    );
    expect(await totals(page)).toEqual([['http', '0 transactions, 0 errors']]);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.close();
  });

  it('answers a bad range with an error the page shows, not a crash', async () => {
    const res = await fetch(`${origin}/dashboard.json?since=forever`);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: expect.stringContaining('unknown range forever') });
  });
});

describe('netbeat export dashboard (Kibana saved objects)', () => {
  it('writes a data view and a dashboard per protocol whose panels use mapped fields', async () => {
    const r = await run(['export', 'dashboard']);
    expect(r.code).toBe(0);
    const objects = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const template = JSON.parse((await run(['export', 'template'])).stdout);
    const mapped = new Set<string>();
    const walk = (props: Record<string, { properties?: object; type?: string }>, prefix: string) => {
      for (const [k, v] of Object.entries(props)) {
        if (v.properties) walk(v.properties as never, `${prefix}${k}.`);
        else mapped.add(prefix + k);
      }
    };
    walk(template.template.mappings.properties, '');
    const ids = new Set(objects.map((o) => `${o.type}:${o.id}`));
    expect(objects.filter((o) => o.type === 'dashboard').map((o) => o.attributes.title)).toEqual([
      '[netbeat] echo',
      '[netbeat] http',
      '[netbeat] redis',
      '[netbeat] dns',
      '[netbeat] memcache',
      '[netbeat] mysql',
      '[netbeat] pgsql',
      '[netbeat] tls',
    ]);
    for (const o of objects) {
      expect(o.coreMigrationVersion).toBe('8.8.0');
      for (const ref of o.references) expect(ids.has(`${ref.type}:${ref.id}`)).toBe(true);
      if (o.type === 'visualization') {
        const vis = JSON.parse(o.attributes.visState);
        for (const agg of vis.aggs) if (agg.params.field) expect(mapped).toContain(agg.params.field);
      }
      if (o.type === 'dashboard') {
        const panels = JSON.parse(o.attributes.panelsJSON);
        expect(panels.map((p: { panelRefName: string }) => p.panelRefName)).toEqual(
          o.references.map((ref: { name: string }) => ref.name.split(':')[1]),
        );
      }
    }
    const http = objects.find((o) => o.id === 'netbeat-http-top-resource');
    expect(JSON.parse(http.attributes.visState).aggs[1].params.field).toBe('url.path');
  });
});
