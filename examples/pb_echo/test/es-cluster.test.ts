// pb_echo into a three-node Elasticsearch cluster (scripts/es.js startCluster, ports
// $ES_CLUSTER_PORTS, default 9206-9208, own transport ports): bulk requests spread over `hosts`
// (or stay on the first with loadbalance off); the whole cluster down for 30 s and a node killed
// mid-replay both end with exactly the capture's events, compared with the console output.
// Three JVMs start twice (at first, after the outage); the killed node is not started again.
import * as path from 'path';
import { withoutBeatFields } from '@wirebeat/testing';
import { cleanup, indexOps } from '../../../packages/publisher/test/helpers/es';
import { finished, ROOT, runPbEcho, startPbEcho } from './pb-echo-cli';
import { consoleEvents, exitPublisherMetrics, faultCapture } from './kafka-helpers';

jest.setTimeout(900_000);

interface EsClusterScript {
  startCluster(o: {
    ports: number[];
    transportPorts: number[];
    keepData?: boolean;
  }): Promise<{ urls: string[] }>;
  killNode(o: { port: number }): Promise<unknown>;
  stop(o: { port: number }): Promise<unknown>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const es: EsClusterScript = require(path.join(ROOT, 'scripts/es.js'));

interface SyntheticCaptures {
  ensureSyntheticCapture(o: { connections: number; pairs: number }): Promise<string>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const synthetic: SyntheticCaptures = require(path.join(ROOT, 'packages/tcp-reassembly/bench/synthetic.js'));

const PORTS = (process.env.ES_CLUSTER_PORTS || '9206,9207,9208').split(',').map(Number);
const TRANSPORT = PORTS.map((p) => p + 100);
const URL0 = `http://127.0.0.1:${PORTS[0]}`;
const HOSTS = JSON.stringify(PORTS.map((p) => `http://127.0.0.1:${p}`));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { headers: { 'content-type': 'application/json' }, ...init });
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** A capture of 4,000 echo transactions (400 connections of 10 exchanges), for the spread test. */
function smallCapture(): Promise<string> {
  return synthetic.ensureSyntheticCapture({ connections: 400, pairs: 10 });
}

/** Documents in `index`, once refreshed. */
async function count(index: string, base = URL0): Promise<number> {
  await json(`${base}/${index}/_refresh`, { method: 'POST' });
  return (await json<{ count: number }>(`${base}/${index}/_count`)).count;
}

/** Resolves once the replay into `prefix-*` has indexed `n` events; fails when pb_echo ended first. */
async function untilIndexed(prefix: string, n: number, exited: () => boolean): Promise<void> {
  while ((await indexOps(URL0, `${prefix}-*`)) < n) {
    if (exited()) throw new Error(`pb_echo ended before ${n} events were in ${prefix}-*`);
    await sleep(200);
  }
}

/** Every document of `index` (refreshed) without the beat's added fields, as sorted JSON lines (scroll API). */
async function documents(index: string, base = URL0): Promise<string[]> {
  // Only the sources and the scroll id in each page (filter_path drops `hits` from the last one).
  type Page = { _scroll_id: string; hits?: { hits: Array<{ _source: Record<string, unknown> }> } };
  const filter = 'filter_path=_scroll_id,hits.hits._source';
  const out: string[] = [];
  await json(`${base}/${index}/_refresh`, { method: 'POST' });
  let page = await json<Page>(`${base}/${index}/_search?scroll=1m&${filter}`, {
    method: 'POST',
    body: JSON.stringify({ size: 10_000, sort: ['_doc'] }),
  });
  while ((page.hits?.hits.length ?? 0) > 0) {
    for (const h of page.hits!.hits) out.push(JSON.stringify(withoutBeatFields(h._source)));
    page = await json<Page>(`${base}/_search/scroll?${filter}`, {
      method: 'POST',
      body: JSON.stringify({ scroll: '1m', scroll_id: page._scroll_id }),
    });
  }
  await fetch(`${base}/_search/scroll`, {
    method: 'DELETE',
    body: JSON.stringify({ scroll_id: page._scroll_id }),
    headers: { 'content-type': 'application/json' },
  });
  return out.sort();
}

/** HTTP connections each node has opened so far, by port. */
async function openedConnections(): Promise<number[]> {
  const r = await json<{ nodes: Record<string, { name: string; http: { total_opened: number } }> }>(
    `${URL0}/_nodes/stats/http?filter_path=nodes.*.name,nodes.*.http.total_opened`,
  );
  const byName = new Map(Object.values(r.nodes).map((n) => [n.name, n.http.total_opened]));
  return PORTS.map((p) => byName.get(`wirebeat-${p}`) ?? -1);
}

function esArgs(capture: string, prefix: string, extra: string[] = []): string[] {
  return [
    '-I',
    capture,
    '-t',
    '-E',
    `output.elasticsearch.hosts=${HOSTS}`,
    '-E',
    `output.elasticsearch.index=${prefix}-%{+yyyy.MM.dd}`,
    '-E',
    'output.elasticsearch.bulk_max_size=500',
    '-E',
    'output.elasticsearch.backoff.init=200ms',
    '-E',
    'output.elasticsearch.backoff.max=2s',
    '-E',
    `setup.template.name=${prefix}`,
    '-E',
    `setup.template.pattern=${prefix}-*`,
    ...extra,
  ];
}

describe(`pb_echo into a three-node Elasticsearch cluster (${PORTS.join(', ')})`, () => {
  let capture: string;
  let expected: string[];
  let small: string;
  let smallExpected: string[];

  beforeAll(async () => {
    [capture, small] = await Promise.all([faultCapture(), smallCapture()]);
    [, expected, smallExpected] = await Promise.all([
      es.startCluster({ ports: PORTS, transportPorts: TRANSPORT }),
      consoleEvents(capture),
      consoleEvents(small),
    ]);
  });
  afterAll(async () => {
    await Promise.all(PORTS.map((port) => es.stop({ port })));
  });

  it('`test output` answers for every host', async () => {
    const r = await runPbEcho(['test', 'output', '-E', `output.elasticsearch.hosts=${HOSTS}`]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('spreads bulk requests over the hosts, or keeps to the first with loadbalance off', async () => {
    // 4,000 events in bulks of 500: each run sends 8 bulk requests, enough to reach every host.
    const before = await openedConnections();
    let r = await runPbEcho(esArgs(small, 'spread', ['-E', 'output.elasticsearch.worker=2']));
    expect(r.code).toBe(0);
    const spread = await openedConnections();
    spread.forEach((n, i) => expect(n).toBeGreaterThan(before[i]));
    r = await runPbEcho(esArgs(small, 'first', ['-E', 'output.elasticsearch.loadbalance=false']));
    expect(r.code).toBe(0);
    const first = await openedConnections();
    expect(first[0]).toBeGreaterThan(spread[0]);
    expect(first.slice(1)).toEqual(spread.slice(1));
    expect(await documents('spread-*')).toEqual(smallExpected);
    expect(await documents('first-*')).toEqual(smallExpected);
    // Deleted once checked: the restarts below then recover only the next test's shards.
    await Promise.all([cleanup(URL0, 'spread-*', 'spread'), cleanup(URL0, 'first-*', 'first')]);
  });

  it('stores every event exactly once when the whole cluster is down for 30 s', async () => {
    const prefix = 'alldown';
    const child = startPbEcho(esArgs(capture, prefix));
    const done = finished(child);
    let exited = false;
    void done.then(() => (exited = true));
    await untilIndexed(prefix, 5000, () => exited);
    const downAt = Date.now();
    // Every node crashes (SIGKILL): what it acknowledged is in its translog. A graceful stop of
    // nodes under bulk load sometimes waited on its peers for a minute before ending.
    await Promise.all(PORTS.map((port) => es.killNode({ port })));
    // The outage itself: the cluster stays down 30 s while pb_echo holds its queue.
    await sleep(Math.max(0, 30_000 - (Date.now() - downAt)));
    expect(exited).toBe(false);
    await es.startCluster({ ports: PORTS, transportPorts: TRANSPORT, keepData: true });
    const r = await done;
    if (r.code !== 0) throw new Error(`pb_echo exited ${r.code}:\n${r.stderr.slice(-3000)}`);
    expect(exitPublisherMetrics(r.stderr)).toMatchObject({
      published: expected.length,
      acked: expected.length,
      failed: 0,
    });
    expect(await count(`${prefix}-*`)).toBe(expected.length);
    expect(await documents(`${prefix}-*`)).toEqual(expected);
    await cleanup(URL0, `${prefix}-*`, prefix);
  });

  // Last: the killed node stays down (the suite ends), the other two take the rest of the replay.
  it('stores every event exactly once when a node is killed mid-replay', async () => {
    const prefix = 'nodekill';
    const child = startPbEcho(esArgs(capture, prefix));
    const done = finished(child);
    let exited = false;
    void done.then(() => (exited = true));
    // Every copy in sync first (checked while the index is small, so that the kill still comes
    // early in the replay): the node killed may hold the primary, its replica then takes over.
    await untilIndexed(prefix, 1, () => exited);
    await json(`${URL0}/_cluster/health/${prefix}-*?wait_for_status=green&timeout=60s`);
    await untilIndexed(prefix, 5000, () => exited);
    await es.killNode({ port: PORTS[1] });
    expect(exited).toBe(false);
    const r = await done;
    if (r.code !== 0) throw new Error(`pb_echo exited ${r.code}:\n${r.stderr.slice(-3000)}`);
    expect(exitPublisherMetrics(r.stderr)).toMatchObject({
      published: expected.length,
      acked: expected.length,
      failed: 0,
    });
    expect(await count(`${prefix}-*`)).toBe(expected.length);
    expect(await documents(`${prefix}-*`)).toEqual(expected);
  });
});
