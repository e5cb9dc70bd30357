// The cluster an outage test takes down and brings back. When our script manages Elasticsearch the
// test gets an instance of its own (free ports, data kept across the restart) and really stops it,
// so other test files and concurrent runs keep theirs. With an external ELASTICSEARCH_URL, which we
// cannot stop, a TCP proxy in front of it is cut instead.
import * as fs from 'fs';
import * as path from 'path';
import { esIsManaged, esScript, freePorts, requireElasticsearch, stopAndRemove, urlPort } from './es';
import { CuttableProxy } from './tcp-proxy';

/** True when the outage is simulated by cutting a proxy rather than stopping a node. */
export const outageUsesProxy = !esIsManaged() || process.env.WIREBEAT_OUTAGE_PROXY === '1';

/** An Elasticsearch that a test can take down (`down`) and bring back (`up`). */
export class OutageCluster {
  /** Direct URL of the cluster, for the test's own checks. */
  url = '';
  private proxy: CuttableProxy | undefined;
  private ports: { port: number; transportPort: number } | undefined;
  private startedHere = false;

  /** URL the system under test must use (the proxy's when there is one). */
  get target(): string {
    return this.proxy ? `http://127.0.0.1:${this.proxy.port}` : this.url;
  }

  /** Starts the test's own instance, or the proxy to the shared cluster. */
  async open(): Promise<void> {
    const shared = requireElasticsearch();
    if (outageUsesProxy) {
      this.url = shared;
      const t = new URL(shared);
      this.proxy = new CuttableProxy(t.hostname, urlPort(shared));
      await this.proxy.listen();
    } else {
      this.ports = await freePorts();
      const r = await esScript.start(this.ports);
      this.startedHere = r.started;
      this.url = r.url;
    }
  }

  /** The outage: the node stops (or the proxy refuses connections). */
  async down(): Promise<void> {
    if (this.proxy) await this.proxy.cut();
    else await esScript.stop({ port: this.ports!.port });
  }

  /** The cluster is back, with the data it had. */
  async up(): Promise<void> {
    if (this.proxy) await this.proxy.restore();
    else await esScript.start({ ...this.ports!, keepData: true });
  }

  /** The node's log lines about restarts and index creation ('' behind a proxy): what explains a loss. */
  restartLog(): string {
    if (!this.ports) return '';
    const file = path.join(esScript.stateDir(this.ports.port), 'logs', `wirebeat-${this.ports.port}.log`);
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /recovered|creating index|dangling|started \{|stopping|closed/.test(l))
      .join('\n');
  }

  /** Releases the proxy, or stops and removes the test's own instance. */
  async close(): Promise<void> {
    await this.proxy?.cut();
    if (this.startedHere && this.ports) await stopAndRemove(this.ports.port);
  }
}
