// Outage while replaying a large capture: Elasticsearch is stopped (for real, via scripts/es.js, on
// an instance of this test's own, on free ports) in the middle of `pb_echo -I synthetic.pcap -t` and started again;
// pb_echo waits with a full queue, then finishes, and the document count equals the transaction
// count exactly. With an external ELASTICSEARCH_URL (which we cannot stop) a TCP proxy is cut instead.
import type { ChildProcess } from 'child_process';
import * as path from 'path';
import { cleanup, indexOps } from '../../../packages/publisher/test/helpers/es';
import { OutageCluster, outageUsesProxy } from '../../../packages/publisher/test/helpers/outage';
import { finished, ROOT, startPbEcho } from './pb-echo-cli';

jest.setTimeout(900_000);

interface SyntheticCaptures {
  ensureSyntheticCapture(o: { connections: number; pairs: number }): Promise<string>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const synthetic: SyntheticCaptures = require(path.join(ROOT, 'packages/tcp-reassembly/bench/synthetic.js'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Documents in `index`, once refreshed. */
async function count(url: string, index: string): Promise<number> {
  await fetch(`${url}/${index}/_refresh?allow_no_indices=true`, { method: 'POST' });
  const res = await fetch(`${url}/${index}/_count?allow_no_indices=true`);
  if (!res.ok) throw new Error(`_count: HTTP ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { count: number }).count;
}

describe(`pb_echo through an Elasticsearch outage (${outageUsesProxy ? 'proxy cut' : 'real stop and start'})`, () => {
  const prefix = `pbecho_outage_${process.pid}_${Date.now().toString(36)}`;
  const cluster = new OutageCluster();
  let child: ChildProcess | undefined;

  beforeAll(() => cluster.open());
  afterAll(async () => {
    // A failed test must not leave pb_echo retrying forever (and Jest waiting for it).
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (cluster.url) await cleanup(cluster.url, `${prefix}-*`, prefix);
    await cluster.close();
  });

  it('indexes exactly one document per transaction of a 200,000-transaction capture', async () => {
    const capture = await synthetic.ensureSyntheticCapture({ connections: 20_000, pairs: 10 });
    child = startPbEcho([
      '-I',
      capture,
      '-t',
      '-E',
      `output.elasticsearch.hosts=["${cluster.target}"]`,
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
    for (let n = 0; n < 20_000; n = await indexOps(cluster.url, `${prefix}-*`)) {
      if (exited) throw new Error(`pb_echo ended before the outage:\n${(await done).stderr}`);
      await sleep(200);
    }
    await cluster.down();
    await sleep(5000);
    // Waiting on its full queue, not finished, not crashed.
    if (exited) throw new Error(`pb_echo ended during the outage:\n${(await done).stderr.slice(-3000)}`);
    await cluster.up();

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
    const docs = await count(cluster.url, `${prefix}-*`);
    if (docs !== transactions) {
      // Keep what explains a loss: the node's own account of its restarts and index creations.
      throw new Error(
        `${docs} documents for ${transactions} transactions; node log:\n${cluster.restartLog().slice(-4000)}`,
      );
    }
    expect(docs).toBe(transactions);
  });
});
