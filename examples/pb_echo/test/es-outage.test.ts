// Outage while replaying a large capture: Elasticsearch is stopped (for real, via scripts/es.js, on
// an instance of this test's own, on free ports) in the middle of `pb_echo -I synthetic.pcap -t` and started again;
// pb_echo waits with a full queue, then finishes, and the document count equals the transaction
// count exactly. With an external ELASTICSEARCH_URL (which we cannot stop) a TCP proxy is cut instead.
import * as fs from 'fs';
import type { ChildProcess } from 'child_process';
import * as path from 'path';
import { esScript, freePorts, stopAndRemove } from '../../../packages/publisher/test/helpers/es';
import { CuttableProxy } from '../../../packages/publisher/test/helpers/tcp-proxy';
import { finished, ROOT, startPbEcho } from './pb-echo-cli';

jest.setTimeout(900_000);

interface SyntheticCaptures {
  ensureSyntheticCapture(o: { connections: number; pairs: number }): Promise<string>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const synthetic: SyntheticCaptures = require(path.join(ROOT, 'packages/tcp-reassembly/bench/synthetic.js'));

const useProxy = process.env.WIREBEAT_ES_MANAGED !== '1' || process.env.WIREBEAT_OUTAGE_PROXY === '1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Documents in `index`; while polling, an index whose shard is still starting counts as empty. */
async function count(url: string, index: string, polling = false): Promise<number> {
  await fetch(`${url}/${index}/_refresh?allow_no_indices=true`, { method: 'POST' });
  const res = await fetch(`${url}/${index}/_count?allow_no_indices=true`);
  if (!res.ok) {
    if (polling) return 0;
    throw new Error(`_count: HTTP ${res.status}: ${await res.text()}`);
  }
  return ((await res.json()) as { count: number }).count;
}

describe(`pb_echo through an Elasticsearch outage (${useProxy ? 'proxy cut' : 'real stop and start'})`, () => {
  const prefix = `pbecho_outage_${process.pid}_${Date.now().toString(36)}`;
  let url: string;
  let startedHere = false;
  let proxy: CuttableProxy | undefined;
  let child: ChildProcess | undefined;
  let ports: { port: number; transportPort: number };

  beforeAll(async () => {
    if (process.env.WIREBEAT_ES_ERROR) throw new Error(process.env.WIREBEAT_ES_ERROR);
    const shared = process.env.ELASTICSEARCH_URL;
    if (!shared)
      throw new Error('ELASTICSEARCH_URL is not set: run through jest with scripts/jest-es-setup.js');
    if (useProxy) {
      url = shared.replace(/\/$/, '');
      const t = new URL(url);
      proxy = new CuttableProxy(t.hostname, Number(t.port || 9200));
      await proxy.listen();
    } else {
      ports = await freePorts();
      const r = await esScript.start(ports);
      startedHere = r.started;
      url = r.url;
    }
  });
  afterAll(async () => {
    // A failed test must not leave pb_echo retrying forever (and Jest waiting for it).
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await proxy?.cut();
    if (url) {
      const r = await fetch(`${url}/_resolve/index/${prefix}-*`).then(
        (x) => x.json() as Promise<{ indices?: Array<{ name: string }> }>,
      );
      const names = (r.indices ?? []).map((i) => i.name);
      if (names.length) await fetch(`${url}/${names.join(',')}`, { method: 'DELETE' });
      await fetch(`${url}/_index_template/${prefix}`, { method: 'DELETE' });
    }
    if (startedHere) await stopAndRemove(ports.port);
  });

  it('indexes exactly one document per transaction of a 200,000-transaction capture', async () => {
    const capture = await synthetic.ensureSyntheticCapture({ connections: 20_000, pairs: 10 });
    const target = proxy ? `http://127.0.0.1:${proxy.port}` : url;
    child = startPbEcho([
      '-I',
      capture,
      '-t',
      '-E',
      `output.elasticsearch.hosts=["${target}"]`,
      '-E',
      `output.elasticsearch.index=${prefix}-%{+yyyy.MM.dd}`,
      '-E',
      'output.elasticsearch.backoff.max=2s',
      '-E',
      `setup.template.name=${prefix}`,
      '-E',
      `setup.template.pattern=${prefix}-*`,
    ]);
    const done = finished(child);
    let exited = false;
    void done.then(() => (exited = true));

    // Cut in the middle: once some documents are in, well before the end.
    for (let n = 0; n < 20_000; n = await count(url, `${prefix}-*`, true)) {
      if (exited) throw new Error(`pb_echo ended before the outage:\n${(await done).stderr}`);
      await sleep(200);
    }
    if (proxy) await proxy.cut();
    else await esScript.stop({ port: ports.port });
    await sleep(5000);
    // Waiting on its full queue, not finished, not crashed.
    if (exited) throw new Error(`pb_echo ended during the outage:\n${(await done).stderr.slice(-3000)}`);
    if (proxy) await proxy.restore();
    else await esScript.start({ ...ports, keepData: true });

    const r = await done;
    if (r.code !== 0) throw new Error(`pb_echo exited ${r.code}:\n${r.stderr.slice(-3000)}`);
    const line = r.stderr.split('\n').find((l) => l.includes('"metrics at exit"'));
    if (!line) throw new Error(`no metrics line:\n${r.stderr}`);
    const m = (
      JSON.parse(line) as {
        metrics: { protocols: { echo: { transactions: number } }; publisher: Record<string, number> };
      }
    ).metrics;
    const transactions = m.protocols.echo.transactions;
    expect(transactions).toBe(200_000);
    expect(m.publisher).toMatchObject({
      published: transactions,
      acked: transactions,
      failed: 0,
      dropped: 0,
    });
    expect(m.publisher.retried).toBeGreaterThan(0);
    const docs = await count(url, `${prefix}-*`);
    if (docs !== transactions && !proxy) {
      // Keep what explains a loss: the node's own account of its restarts and index creations.
      const log = fs.readFileSync(
        path.join(esScript.stateDir(ports.port), 'logs', `wirebeat-${ports.port}.log`),
        'utf8',
      );
      const lines = log
        .split('\n')
        .filter((l) => /recovered|creating index|dangling|started \{|stopping|closed/.test(l));
      throw new Error(
        `${docs} documents for ${transactions} transactions; node log:\n${lines.join('\n').slice(-4000)}`,
      );
    }
    expect(docs).toBe(transactions);
  });
});
