// EventEnricher: the fast path (appending to the serialised event) and the object path give the
// same document; related.ip, error.message, tags and fields are added as Beats adds them.
import { TransactionEventBuilder, type Message, type TcpTuple, type Transaction } from '@wirebeat/applayer';
import { agentInfo, buildProcessors, EventEnricher, hostInfo, type EnricherOptions } from '../src/internal';
import { directionRule } from '../src/events/direction';

const tuple: TcpTuple = {
  srcIp: '10.0.0.1',
  srcPort: 40000,
  dstIp: '10.0.0.2',
  dstPort: 3030,
  ipVersion: 4,
  connectionId: 'c7',
};

function built(status: 'OK' | 'Error', notes?: string[]) {
  const conn = new TransactionEventBuilder('echo').forConnection(tuple);
  const req = { ts: 1_796_000_000_000, size: 6, notes } as unknown as Message;
  const resp = { ts: 1_796_000_000_010, size: 6 } as unknown as Message;
  return conn.build(
    { index: 0, request: req, response: resp, notes: undefined } as unknown as Transaction<Message, Message>,
    {
      status,
      fields: { echoed: true },
    },
  );
}

const base: EnricherOptions = {
  host: hostInfo('shipper-1'),
  agent: agentInfo('pb_echo', '1.2.3', 'shipper-1', '6c3a7c57-3b41-4b8e-9d1e-2a3f4b5c6d7e'),
  tags: [],
  fields: {},
  fieldsUnderRoot: false,
  processors: [],
};

describe('EventEnricher', () => {
  it('appends ecs, host, agent and related.ip to the serialised event without parsing it', () => {
    const e = built('OK');
    expect(e.json).toBeDefined();
    const out = new EventEnricher(base).apply(e)!;
    expect(out.json).toBeDefined();
    const doc = JSON.parse(out.json!);
    expect(doc).toMatchObject({
      type: 'echo',
      related: { ip: ['10.0.0.1', '10.0.0.2'] },
      ecs: { version: '8.0.0' },
      host: { name: 'shipper-1' },
      agent: {
        type: 'pb_echo',
        version: '1.2.3',
        name: 'shipper-1',
        id: '6c3a7c57-3b41-4b8e-9d1e-2a3f4b5c6d7e',
      },
    });
    // As libbeat: host.name only; the rest of host.* comes with add_host_metadata.
    expect(doc.host).toEqual({ name: 'shipper-1' });
    expect(doc.agent.ephemeral_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives the same document on the object path (processors configured)', () => {
    const opts = { ...base, tags: ['lab'], fields: { env: 'x' } };
    const fast = JSON.parse(new EventEnricher(opts).apply(built('OK'))!.json!);
    const withNoop = new EventEnricher({
      ...opts,
      processors: buildProcessors([{ drop_fields: { fields: ['nothing'] } }]),
    });
    const ev = withNoop.apply(built('OK'))!;
    expect(ev.json).toBeUndefined();
    expect({ ...ev.fields, agent: { ...(ev.fields.agent as object), ephemeral_id: 'x' } }).toEqual({
      ...fast,
      agent: { ...fast.agent, ephemeral_id: 'x' },
    });
    expect(fast.tags).toEqual(['lab']);
    expect(fast.fields).toEqual({ env: 'x' });
  });

  it('puts fields at the root with fields_under_root', () => {
    const ev = new EventEnricher({
      ...base,
      fields: { env: 'prod', echo: { lab: 1 } },
      fieldsUnderRoot: true,
    }).apply(built('OK'))!;
    expect(ev.fields.env).toBe('prod');
    expect(ev.fields.echo).toEqual({ echoed: true, lab: 1 });
    expect(ev.fields.fields).toBeUndefined();
  });

  it("keeps the builder's error.message (Packetbeat's words); events made otherwise get their notes", () => {
    const failed = new EventEnricher(base).apply(built('Error', ['response missing', 'gap in stream']))!;
    expect(failed.json).toBeDefined();
    expect(failed.fields.error).toEqual({ message: 'Unmatched request; gap in stream' });
    const plain = new EventEnricher(base).apply({
      id: 'x',
      timestamp: 0,
      fields: { status: 'Error', notes: ['response missing', 'gap in stream'] } as Record<string, unknown>,
    })!;
    expect(plain.fields.error).toEqual({ message: 'response missing; gap in stream' });
    const plainError = new EventEnricher(base).apply(built('Error'))!;
    expect(JSON.parse(plainError.json!).error).toBeUndefined();
  });

  it('counts the events processors drop', () => {
    const enr = new EventEnricher({
      ...base,
      processors: buildProcessors([{ drop_event: { when: { equals: { status: 'Error' } } } }]),
    });
    expect(enr.apply(built('Error'))).toBeUndefined();
    expect(enr.apply(built('OK'))).toBeDefined();
    expect(enr.counters()).toEqual({ dropped: 1, failed: 0 });
  });

  it('counts processor failures and keeps those events (as libbeat)', () => {
    const enr = new EventEnricher({
      ...base,
      processors: buildProcessors([{ drop_fields: { fields: ['no.such.field'] } }]),
    });
    expect(enr.apply(built('OK'))).toBeDefined();
    expect(enr.apply(built('Error'))).toBeDefined();
    expect(enr.counters()).toEqual({ dropped: 0, failed: 2 });
  });

  it('adds client/server.process (and source/destination) where the lookup knows the endpoint', () => {
    const proc = { pid: 42, name: 'echo-server', args: ['node', 'echo-server'] };
    const enr = new EventEnricher({
      ...base,
      processes: (ip, port) => (ip === '10.0.0.2' && port === 3030 ? proc : undefined),
    });
    const ev = enr.apply(built('OK'))!;
    expect(ev.fields.server).toMatchObject({ process: proc });
    expect(ev.fields.destination).toMatchObject({ process: proc });
    expect((ev.fields.client as Record<string, unknown>).process).toBeUndefined();
  });
});

describe('EventEnricher.decoration', () => {
  const tx = (notes?: string[]) =>
    ({
      index: 3,
      request: { ts: 1_796_000_000_000, size: 6, notes } as unknown as Message,
      response: { ts: 1_796_000_000_010, size: 7 } as unknown as Message,
      notes: undefined,
    }) as unknown as Transaction<Message, Message>;
  const opts: EnricherOptions = {
    ...base,
    tags: ['t1'],
    fields: { env: 'x' },
    direction: directionRule([], ['10.0.0.2']),
  };

  it('events built with it are the documents the enricher makes of undecorated ones, byte for byte', () => {
    const enricher = new EventEnricher(opts);
    const decoration = enricher.decoration()!;
    expect(decoration).toBeDefined();
    for (const [status, notes] of [
      ['OK', undefined],
      ['Error', ['response missing']],
    ] as const) {
      const details = { status, fields: { echoed: true }, domain: 'h.example', action: 'echo.say' };
      const plain = new TransactionEventBuilder('echo')
        .forConnection(tuple)
        .build(tx(notes && [...notes]), details);
      const decorated = new TransactionEventBuilder('echo', { decoration })
        .forConnection(tuple)
        .build(tx(notes && [...notes]), details);
      expect(decorated.decorated).toBe(true);
      const expected = enricher.apply(plain)!.json!;
      expect(expected).toContain('"direction":"ingress"');
      // The enricher leaves a decorated event as it is, on both of its paths.
      expect(enricher.apply(decorated)!.json).toBe(expected);
      expect(enricher.appendable(decorated)).toBe('}');
      expect(decorated.json).toBe(expected);
    }
  });

  it('is withheld when the enricher has more to do per event (processors, fields under root, processes)', () => {
    expect(
      new EventEnricher({
        ...opts,
        processors: buildProcessors([{ drop_fields: { fields: ['x'] } }]),
      }).decoration(),
    ).toBeUndefined();
    expect(new EventEnricher({ ...opts, fieldsUnderRoot: true }).decoration()).toBeUndefined();
    expect(new EventEnricher({ ...opts, processes: () => undefined }).decoration()).toBeUndefined();
    // Without a direction rule, no network member.
    expect(new EventEnricher(base).decoration()!.networkMember).toBeUndefined();
  });
});
