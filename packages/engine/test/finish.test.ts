// The end of input with backpressure: thousands of connections with a pending request are closed
// in batches, waiting whenever the output is full, so the queue never holds them all at once.
import { type Logger } from '@wirebeat/applayer';
import { Engine } from '@wirebeat/engine';
import { echoProtocol } from '@wirebeat/protocol-echo';
import { echoConnectionFrames } from './echo-connections';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const T0 = Date.UTC(2026, 0, 1);

/** Opens `n` echo connections, each with one request and no response. */
function openConnections(engine: Engine, n: number): void {
  for (let c = 0; c < n; c++) for (const f of echoConnectionFrames(c, T0 + c)) engine.processFrame(f);
}

describe('Engine.finishGradually', () => {
  it('closes connections in batches, waiting while the output is full', async () => {
    let queued = 0;
    let maxQueued = 0;
    let published = 0;
    const engine = new Engine({
      protocols: [{ module: echoProtocol, config: echoProtocol.configSchema.parse({}) }],
      publish: () => {
        queued++;
        published++;
        maxQueued = Math.max(maxQueued, queued);
      },
      logger: silent,
    });
    openConnections(engine, 3000);
    expect(engine.activeConnections).toBe(3000);
    await engine.finishGradually('eof', {
      batch: 50,
      mustWait: () => queued >= 200,
      // The output takes everything queued, some time later.
      waitForSpace: () => new Promise<void>((resolve) => setImmediate(() => ((queued = 0), resolve()))),
    });
    expect(published).toBe(3000); // every pending request, published once (as Error)
    expect(engine.activeConnections).toBe(0);
    expect(maxQueued).toBeLessThanOrEqual(200 + 50);
    expect(engine.finishWaits).toBeGreaterThanOrEqual(3000 / 250 - 1);
  });

  it('past its deadline it stops waiting and closes the rest at once', async () => {
    let published = 0;
    const engine = new Engine({
      protocols: [{ module: echoProtocol, config: echoProtocol.configSchema.parse({}) }],
      publish: () => void published++,
      logger: silent,
    });
    openConnections(engine, 500);
    let waits = 0;
    await engine.finishGradually('eof', {
      batch: 10,
      mustWait: () => true, // an output that never has room
      waitForSpace: () => new Promise<void>((resolve) => setImmediate(() => (waits++, resolve()))),
      deadline: Date.now() - 1,
    });
    expect(published).toBe(500);
    expect(waits).toBe(0);
  });

  it('stops waiting at its deadline even when the output never makes room (an output that is down)', async () => {
    let published = 0;
    const engine = new Engine({
      protocols: [{ module: echoProtocol, config: echoProtocol.configSchema.parse({}) }],
      publish: () => void published++,
      logger: silent,
    });
    openConnections(engine, 50);
    await engine.finishGradually('eof', {
      batch: 10,
      mustWait: () => true,
      waitForSpace: () => new Promise<void>(() => {}), // never resolves
      deadline: Date.now() + 20,
    });
    expect(published).toBe(50);
    expect(engine.activeConnections).toBe(0);
  });
});
