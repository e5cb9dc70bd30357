// Access to the real Elasticsearch the Jest global setup provides (scripts/jest-es-setup.js).
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

/** scripts/es.js, the script that runs our local instances. */
export interface EsScript {
  start(opts?: {
    port?: number;
    queueSize?: number;
    processors?: number;
    keepData?: boolean;
    secure?: boolean;
  }): Promise<{
    url: string;
    pid: number;
    started: boolean;
  }>;
  stop(opts?: { port?: number }): Promise<{ stopped: boolean }>;
  secureAccess(port: number): { username: string; password: string; ca: string };
  stateDir(port: number): string;
  ES_VERSION: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const esScript: EsScript = require(path.join(__dirname, '../../../../scripts/es.js'));

/** Generous timeout for tests that talk to (or start) Elasticsearch. */
export const ES_TEST_TIMEOUT_MS = 600_000;

/** The cluster URL; throws (failing the test) when the global setup could not provide one. */
export function requireElasticsearch(): string {
  if (process.env.WIREBEAT_ES_ERROR) throw new Error(process.env.WIREBEAT_ES_ERROR);
  const url = process.env.ELASTICSEARCH_URL;
  if (!url) {
    throw new Error(
      'ELASTICSEARCH_URL is not set: run through jest with scripts/jest-es-setup.js as globalSetup',
    );
  }
  return url.replace(/\/$/, '');
}

/** True when our script started the cluster (so a test may stop and start it). */
export function esIsManaged(): boolean {
  return process.env.WIREBEAT_ES_MANAGED === '1';
}

/** The port a cluster URL points at (its scheme's default when the URL names none). */
export function urlPort(url: string): number {
  const u = new URL(url);
  return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
}

/** Port of our managed instance. */
export function managedPort(): number {
  return urlPort(requireElasticsearch());
}

/** One JSON request to the cluster; throws with the response body when the status is not 2xx. */
export async function esJson<T = Record<string, unknown>>(
  url: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** Document count of an index pattern after a refresh. */
export async function countDocs(url: string, index: string, query?: object): Promise<number> {
  await esJson(url, 'POST', `/${index}/_refresh?ignore_unavailable=true&allow_no_indices=true`);
  const r = await esJson<{ count: number }>(
    url,
    'POST',
    `/${index}/_count?ignore_unavailable=true&allow_no_indices=true`,
    query ? { query } : undefined,
  );
  return r.count;
}

/**
 * Index operations the primaries of an index pattern have done so far (0 while it cannot answer):
 * how far a replay has got, without the refresh a count needs (a refresh on every poll slows it).
 */
export async function indexOps(url: string, index: string): Promise<number> {
  type Stats = { _all: { primaries: { indexing?: { index_total: number } } } };
  try {
    const r = await esJson<Stats>(url, 'GET', `/${index}/_stats/indexing?allow_no_indices=true`);
    return r._all.primaries.indexing?.index_total ?? 0;
  } catch {
    return 0;
  }
}

/** Deletes indices and the template a test created (best effort). */
export async function cleanup(url: string, indexPattern: string, template?: string): Promise<void> {
  // Wildcard deletes are refused by default (action.destructive_requires_name): resolve names first.
  const resolved = await esJson<{ indices: Array<{ name: string }> }>(
    url,
    'GET',
    `/_resolve/index/${indexPattern}`,
  ).catch(() => ({ indices: [] }));
  const names = resolved.indices.map((i) => i.name);
  if (names.length) await fetch(`${url}/${names.join(',')}`, { method: 'DELETE' }).catch(() => undefined);
  if (template)
    await fetch(`${url}/_index_template/${template}`, { method: 'DELETE' }).catch(() => undefined);
}

let counter = 0;
/** A lowercase name unique to this run, usable as a beat name. */
export function uniqueBeat(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
}

/** True when nothing listens on the loopback port (we can bind it). */
function portIsFree(port: number): Promise<boolean> {
  const srv = net.createServer();
  return new Promise((resolve) => {
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Two free loopback ports (HTTP and transport) for an instance of a test's own. They are taken
 * below the ephemeral range: while the instance is down for an outage test, an outgoing connection
 * (even the client's own retry, connecting to itself) could otherwise take its port.
 */
export async function freePorts(): Promise<{ port: number; transportPort: number }> {
  const ephemeralLow = Number(
    fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0] || 32768,
  );
  const low = 10_000;
  const high = Math.max(low + 1000, ephemeralLow) - 1;
  // Our fixed instances and their transport ports (port + 100): the default one, $ES_PORT's, and
  // the ports es-script.test.ts names.
  const fixed = Number(process.env.ES_PORT || 9200);
  const reserved = (p: number) => (p >= 9200 && p < 9400) || (p >= fixed && p <= fixed + 100);
  const found: number[] = [];
  for (let tries = 0; found.length < 2 && tries < 200; tries++) {
    const p = low + Math.floor(Math.random() * (high - low));
    if (reserved(p)) continue;
    if (!found.includes(p) && (await portIsFree(p))) found.push(p);
  }
  if (found.length < 2) throw new Error('no free loopback port found for a test Elasticsearch');
  return { port: found[0], transportPort: found[1] };
}

/** Stops an instance a test started and deletes its state (data, logs) from the temp folder. */
export async function stopAndRemove(port: number): Promise<void> {
  await esScript.stop({ port });
  fs.rmSync(esScript.stateDir(port), { recursive: true, force: true });
}
