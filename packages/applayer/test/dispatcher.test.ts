import {
  PortConflictError,
  ProtocolDispatcher,
  createCounters,
  protocolConfigSchema,
  type DispatchConnection,
  type Logger,
  type ProtocolModule,
  type TcpPlugin,
  type TransactionEvent,
} from '@wirebeat/applayer';

/** A recording protocol: logs every call the dispatcher makes, with its state. */
function recorder(
  name: string,
  ports: number[],
  opts: { dropOnGap?: boolean; throwOn?: string; timeout?: number } = {},
) {
  const calls: string[] = [];
  const ticks: number[] = [];
  const counters = createCounters();
  const module: ProtocolModule = {
    name,
    defaultPorts: ports,
    description: 'test protocol',
    configSchema: protocolConfigSchema(ports, {}),
    fields: [],
    create(config, ctx): TcpPlugin<number> {
      return {
        parse(pkt, tuple, dir, state) {
          if (opts.throwOn === Buffer.from(pkt.payload).toString()) throw new Error('boom');
          calls.push(
            `parse ${dir} ${Buffer.from(pkt.payload).toString()} ${tuple.srcPort}->${tuple.dstPort} s=${state}`,
          );
          counters.messages++;
          ctx.publish({
            id: `${tuple.connectionId}-${state ?? 0}`,
            timestamp: pkt.ts,
            fields: { send: config.send_request },
          });
          return (state ?? 0) + 1;
        },
        receivedFin(_t, dir, state) {
          calls.push(`fin ${dir} s=${state}`);
          return state;
        },
        gapInStream(_t, dir, nbytes, state) {
          calls.push(`gap ${dir} ${nbytes} s=${state}`);
          return { state, drop: opts.dropOnGap ?? false };
        },
        connectionClosed(_t, reason, state, ts) {
          calls.push(`closed ${reason} s=${state} @${ts}`);
        },
        connectionTimeout: opts.timeout === undefined ? undefined : () => opts.timeout!,
        tick: (now) => void ticks.push(now),
        counters: () => counters,
      };
    },
  };
  return { module, calls, ticks, config: module.configSchema.parse({}) };
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const connection = (serverPort: number, clientPort = 50000): DispatchConnection & { id: number } => ({
  id: 1,
  ipVersion: 4,
  clientIp: '10.0.0.2',
  clientPort,
  serverIp: '10.0.0.1',
  serverPort,
  openedAt: 1000,
  idleTimeoutMs: 60_000,
  userData: undefined,
});

const data = (s: string): Uint8Array => Buffer.from(s);

describe('ProtocolDispatcher', () => {
  it('routes each connection to the protocol of its server port, keeping per-connection state', () => {
    const a = recorder('a', [3030]);
    const b = recorder('b', [80, 8080]);
    const published: TransactionEvent[] = [];
    const d = new ProtocolDispatcher(
      [
        { module: a.module, config: a.config },
        { module: b.module, config: b.config },
      ],
      { publish: (e) => published.push(e), logger: silent },
    );
    expect(d.isServerPort(3030)).toBe(true);
    expect(d.isServerPort(8080)).toBe(true);
    expect(d.isServerPort(22)).toBe(false);
    expect(d.ports()).toEqual([80, 3030, 8080]);

    const c1 = connection(3030);
    const c2 = connection(8080, 50001);
    const c3 = connection(22);
    for (const c of [c1, c2, c3]) d.onConnectionOpen(c, 1000);
    d.onData(c1, 0, data('x'), 1001);
    d.onData(c1, 1, data('y'), 1002);
    d.onData(c2, 0, data('z'), 1003);
    d.onData(c3, 0, data('ignored'), 1004);
    d.onFin(c1, 0, 1005);
    d.onGap(c2, 1, 10, 1006);
    d.onConnectionClose(c1, 'fin', 1007);
    d.onData(c1, 0, data('after close'), 1008);

    expect(a.calls).toEqual([
      'parse 0 x 50000->3030 s=undefined',
      'parse 1 y 50000->3030 s=1',
      'fin 0 s=2',
      'closed fin s=2 @1007',
    ]);
    expect(b.calls).toEqual(['parse 0 z 50001->8080 s=undefined', 'gap 1 10 s=1']);
    expect(published).toHaveLength(3);
    expect(d.counters()).toEqual({
      a: expect.objectContaining({ messages: 2 }),
      b: expect.objectContaining({ messages: 1 }),
    });
  });

  it('refuses two enabled protocols on one port, naming both', () => {
    const a = recorder('a', [3030]);
    const b = recorder('b', [3030]);
    expect(
      () =>
        new ProtocolDispatcher(
          [
            { module: a.module, config: a.config },
            { module: b.module, config: b.config },
          ],
          { publish() {}, logger: silent },
        ),
    ).toThrow(new PortConflictError(3030, ['a', 'b']));
  });

  it('ignores disabled protocols (their ports may overlap)', () => {
    const a = recorder('a', [3030]);
    const b = recorder('b', [3030]);
    const d = new ProtocolDispatcher(
      [
        { module: a.module, config: a.config },
        { module: b.module, config: { ...b.config, enabled: false } },
      ],
      { publish() {}, logger: silent },
    );
    expect(Object.keys(d.counters())).toEqual(['a']);
  });

  it("applies the plugin's connection timeout and forwards packet time", () => {
    const a = recorder('a', [3030], { timeout: 5000 });
    const d = new ProtocolDispatcher([{ module: a.module, config: a.config }], {
      publish() {},
      logger: silent,
    });
    const c = connection(3030);
    d.onConnectionOpen(c, 1000);
    expect(c.idleTimeoutMs).toBe(5000);
    d.tick(1234);
    expect(a.ticks).toEqual([1234]);
  });

  it('a plugin asking to drop on a gap is closed once and gets no more data', () => {
    const a = recorder('a', [3030], { dropOnGap: true });
    const d = new ProtocolDispatcher([{ module: a.module, config: a.config }], {
      publish() {},
      logger: silent,
    });
    const c = connection(3030);
    d.onConnectionOpen(c, 1000);
    d.onData(c, 0, data('x'), 1001);
    d.onGap(c, 0, 5, 1002);
    d.onData(c, 0, data('y'), 1003);
    d.onConnectionClose(c, 'eof', 1004);
    expect(a.calls).toEqual(['parse 0 x 50000->3030 s=undefined', 'gap 0 5 s=1', 'closed gap s=1 @1002']);
  });

  it('a throwing plugin loses that connection only, logged and counted', () => {
    const a = recorder('a', [3030], { throwOn: 'bad' });
    const warnings: unknown[] = [];
    const logger: Logger = { ...silent, warn: (...args: unknown[]) => void warnings.push(args) };
    const d = new ProtocolDispatcher([{ module: a.module, config: a.config }], { publish() {}, logger });
    const c1 = connection(3030);
    const c2 = connection(3030, 50001);
    d.onConnectionOpen(c1, 1000);
    d.onConnectionOpen(c2, 1000);
    d.onData(c1, 0, data('bad'), 1001);
    d.onData(c1, 0, data('more'), 1002);
    d.onData(c2, 0, data('fine'), 1003);
    expect(a.calls).toEqual([
      'closed plugin error s=undefined @1001',
      'parse 0 fine 50001->3030 s=undefined',
    ]);
    expect(warnings).toHaveLength(1);
    expect(d.counters().a.plugin_failures).toBe(1);
  });

  it('marks what a plugin publishes while closing at end of input as provisional, and nothing else', () => {
    // A protocol that publishes one event per segment and one per pending request at close.
    const module: ProtocolModule = {
      name: 'p',
      defaultPorts: [3030],
      description: 'test protocol',
      configSchema: protocolConfigSchema([3030], {}),
      fields: [],
      create: (_config, ctx): TcpPlugin<number> => ({
        parse(pkt, tuple, _dir, state) {
          ctx.publish({ id: `${tuple.srcPort}-data`, timestamp: pkt.ts, fields: {} });
          return (state ?? 0) + 1;
        },
        receivedFin: (_t, _dir, state) => state,
        gapInStream: (_t, _dir, _n, state) => ({ state, drop: false }),
        connectionClosed(tuple, reason, _state, ts) {
          ctx.publish({ id: `${tuple.srcPort}-${reason}`, timestamp: ts, fields: {} });
        },
        counters: () => createCounters(),
      }),
    };
    const published: TransactionEvent[] = [];
    const d = new ProtocolDispatcher([{ module, config: module.configSchema.parse({}) }], {
      publish: (e) => void published.push(e),
      logger: silent,
    });
    const reasons = ['fin', 'rst', 'timeout', 'evicted', 'eof'];
    reasons.forEach((reason, i) => {
      const c = connection(3030, 50000 + i);
      d.onConnectionOpen(c, 1000);
      d.onData(c, 0, data('x'), 1001);
      d.onConnectionClose(c, reason, 1002);
    });
    expect(published.map((e) => `${e.id}${e.provisional ? ' provisional' : ''}`)).toEqual([
      '50000-data',
      '50000-fin',
      '50001-data',
      '50001-rst',
      '50002-data',
      '50002-timeout',
      '50003-data',
      '50003-evicted',
      '50004-data',
      '50004-eof provisional',
    ]);
  });
});
