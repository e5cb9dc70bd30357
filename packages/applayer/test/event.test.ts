import fc from 'fast-check';
import {
  TransactionEventBuilder,
  commonFields,
  communityId,
  connectionIdOf,
  formatTimestamp,
  makeTcpTuple,
  packetbeatPhrase,
  type Message,
  type Transaction,
} from '@wirebeat/applayer';

const T0 = Date.UTC(2026, 10, 29, 12, 0, 0, 0);
const tuple = makeTcpTuple({
  ipVersion: 4,
  clientIp: '192.168.1.10',
  clientPort: 51000,
  serverIp: '192.168.1.1',
  serverPort: 3030,
  openedAt: T0,
});

const message = (isRequest: boolean, ts: number, size: number, notes?: string[]): Message => ({
  ts,
  tuple,
  transport: 'tcp',
  direction: isRequest ? 0 : 1,
  isRequest,
  size,
  notes,
});

const tx = (index: number, request?: Message, response?: Message, notes?: string[]): Transaction => ({
  index,
  request,
  response,
  notes,
});

describe('common event fields', () => {
  const builder = new TransactionEventBuilder('echo', { sendRequest: true, sendResponse: true });
  const events = builder.forConnection(tuple);

  it('fills every field of a complete transaction (ECS names, duration in ns, responsetime in ms)', () => {
    const e = events.build(tx(3, message(true, T0 + 1.25, 7), message(false, T0 + 4.75, 9)), {
      status: 'OK',
      request: 'hello',
      response: 'hello!',
      fields: { echoed: false },
    });
    expect(e.id).toBe(`echo-${tuple.connectionId}-3`);
    expect(e.timestamp).toBe(T0 + 1.25);
    const client = { ip: '192.168.1.10', port: 51000, bytes: 7 };
    const server = { ip: '192.168.1.1', port: 3030, bytes: 9 };
    expect(JSON.parse(e.json!)).toEqual({
      '@timestamp': '2026-11-29T12:00:00.001Z',
      type: 'echo',
      status: 'OK',
      responsetime: 3,
      source: client,
      destination: server,
      client,
      server,
      network: {
        transport: 'tcp',
        protocol: 'echo',
        type: 'ipv4',
        bytes: 16,
        community_id: communityId('192.168.1.10', 51000, '192.168.1.1', 3030),
      },
      event: {
        kind: 'event',
        category: ['network_traffic', 'network'],
        type: ['connection', 'protocol'],
        dataset: 'echo',
        start: '2026-11-29T12:00:00.001Z',
        end: '2026-11-29T12:00:00.004Z',
        duration: 3_500_000,
        outcome: 'success',
      },
      request: 'hello',
      response: 'hello!',
      related: { ip: ['192.168.1.10', '192.168.1.1'] },
      echo: { echoed: false },
    });
  });

  it("writes the fields of core's commonFields list, in its order (the list is the event's schema)", () => {
    const e = events.build(tx(4, message(true, T0, 7, ['a note']), message(false, T0 + 2, 9), ['late']), {
      status: 'Error',
      request: 'req',
      response: 'resp',
    });
    const paths: string[] = [];
    const walk = (obj: Record<string, unknown>, prefix: string): void => {
      for (const [k, v] of Object.entries(obj)) {
        if (v !== null && typeof v === 'object' && !Array.isArray(v))
          walk(v as Record<string, unknown>, prefix + k + '.');
        else paths.push(prefix + k);
      }
    };
    walk(JSON.parse(e.json!) as Record<string, unknown>, '');
    const listed = commonFields.map((f) => f.name);
    expect(paths.filter((p) => !listed.includes(p))).toEqual([]);
    const order = paths.map((p) => listed.indexOf(p));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('a request without response: status Error, outcome failure, no end/duration, notes merged', () => {
    const e = events.build(
      tx(0, message(true, T0, 5, ['message incomplete at end of stream']), undefined, [
        'response missing: end of input',
      ]),
      {
        status: 'Error',
        request: 'abc',
      },
    );
    const f = JSON.parse(e.json!);
    expect(f).toMatchObject({
      status: 'Error',
      source: { bytes: 5 },
      destination: { bytes: 0 },
      event: { outcome: 'failure' },
    });
    expect(f).not.toHaveProperty('bytes_in');
    expect(f.notes).toEqual(['message incomplete at end of stream', 'response missing: end of input']);
    // Packetbeat's words for alerts, wirebeat's detail in notes.
    expect(f.error).toEqual({ message: 'message incomplete at end of stream; Unmatched request' });
    expect(f).not.toHaveProperty('responsetime');
    expect(f.event).not.toHaveProperty('end');
    expect(f.event).not.toHaveProperty('duration');
    expect(f).not.toHaveProperty('response');
    expect(f).not.toHaveProperty('echo');
  });

  it('a response without request is timed by the response', () => {
    const e = events.build(tx(1, undefined, message(false, T0 + 60_000, 4), ['response without a request']), {
      status: 'Error',
      response: 'xyz',
    });
    expect(e.timestamp).toBe(T0 + 60_000);
    expect(e.fields['@timestamp']).toBe('2026-11-29T12:01:00.000Z');
    expect(e.fields).toMatchObject({
      source: { bytes: 0 },
      destination: { bytes: 4 },
      response: 'xyz',
      notes: ['response without a request'],
      error: { message: 'Unmatched response' },
    });
  });

  it('omits request/response unless send_request/send_response are on', () => {
    const quiet = new TransactionEventBuilder('echo').forConnection(tuple);
    const e = quiet.build(tx(0, message(true, T0, 2), message(false, T0, 2)), {
      status: 'OK',
      request: 'a',
      response: 'a',
    });
    expect(JSON.parse(e.json!)).not.toHaveProperty('request');
    expect(JSON.parse(e.json!)).not.toHaveProperty('response');
  });

  it('IPv6 connections are network.type ipv6', () => {
    const t6 = makeTcpTuple({
      ipVersion: 6,
      clientIp: '::1',
      clientPort: 5,
      serverIp: '::1',
      serverPort: 3030,
      openedAt: T0,
    });
    const e = new TransactionEventBuilder('echo')
      .forConnection(t6)
      .build(tx(0, message(true, T0, 1), message(false, T0, 1)), {
        status: 'OK',
      });
    expect(e.fields.network).toMatchObject({
      type: 'ipv6',
      community_id: communityId('::1', 5, '::1', 3030),
    });
  });

  it('ids are deterministic: same connection identity and index, same id; another start time, another id', () => {
    expect(connectionIdOf('192.168.1.10', 51000, '192.168.1.1', 3030, T0)).toBe(tuple.connectionId);
    expect(connectionIdOf('192.168.1.10', 51000, '192.168.1.1', 3030, T0 + 1)).not.toBe(tuple.connectionId);
  });

  it('ids name the protocol: two protocols on one connection never share an id; same input, same ids', () => {
    const txs = [0, 1, 2].map((i) => tx(i, message(true, T0 + i, 3), message(false, T0 + i + 0.5, 3)));
    const ids = (protocol: string): string[] => {
      const conn = new TransactionEventBuilder(protocol).forConnection(tuple);
      return txs.map((t) => conn.build(t, { status: 'OK' }).id);
    };
    const echo = ids('echo');
    const echo2 = ids('echo2');
    expect(new Set([...echo, ...echo2]).size).toBe(6);
    expect(ids('echo')).toEqual(echo);
    expect(ids('echo2')).toEqual(echo2);
    expect(echo[1]).toBe(`echo-${tuple.connectionId}-1`);
    expect(echo2[1]).toBe(`echo2-${tuple.connectionId}-1`);
  });

  it('events are the same however many connections are open at once (their serialised parts are cached)', () => {
    // More connections than the builder caches pieces for, taking turns: every event rebuilds them.
    const builder = new TransactionEventBuilder('echo');
    const tuples = Array.from({ length: 5000 }, (_, i) =>
      makeTcpTuple({
        ipVersion: 4,
        clientIp: `10.0.${i >> 8}.${i & 255}`,
        clientPort: 1024 + i,
        serverIp: '10.0.0.1',
        serverPort: 3030,
        openedAt: T0 + i,
      }),
    );
    const conns = tuples.map((t) => builder.forConnection(t));
    const t = tx(0, message(true, T0, 3), message(false, T0 + 1, 3));
    for (const round of [0, 1]) {
      conns.forEach((conn, i) => {
        if (i % 997 !== round) conn.build(t, { status: 'OK' });
      });
    }
    for (const i of [0, 1, 1023, 1024, 4999]) {
      const alone = new TransactionEventBuilder('echo').forConnection(tuples[i]).build(t, { status: 'OK' });
      const shared = conns[i].build(t, { status: 'OK' });
      expect(shared.id).toBe(alone.id);
      expect(shared.json).toBe(alone.json);
      expect(conns[i].communityId).toBe(communityId(tuples[i].srcIp, tuples[i].srcPort, '10.0.0.1', 3030));
    }
  });

  it('duration is whole microseconds: the floating-point noise of ms timestamps is rounded away', () => {
    // Real capture times: 0.739 ms apart, but as ms-since-epoch doubles the difference is off by ~0.2 µs.
    const t1 = 1764410400123.456;
    const t2 = 1764410400124.195;
    expect(Math.round((t2 - t1) * 1e6)).not.toBe(739_000);
    const e = events.build(tx(0, message(true, t1, 2), message(false, t2, 2)), { status: 'OK' });
    expect((e.fields.event as Record<string, unknown>).duration).toBe(739_000);
    fc.assert(
      fc.property(fc.nat({ max: 2e12 }), fc.nat({ max: 1e9 }), (startUs, elapsedUs) => {
        const r = events.build(
          tx(0, message(true, startUs / 1000, 1), message(false, (startUs + elapsedUs) / 1000, 1)),
          {
            status: 'OK',
          },
        );
        expect(JSON.parse(r.json!).event.duration).toBe(elapsedUs * 1000);
      }),
    );
  });

  it('the serialised document equals an independently built one, key order included, for any transaction', () => {
    const text = fc.option(fc.string({ unit: 'binary' }), { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({
          hasReq: fc.boolean(),
          hasResp: fc.boolean(),
          t1: fc.double({ min: 0, max: 1e11, noNaN: true }),
          dt: fc.double({ min: 0, max: 1e6, noNaN: true }),
          inSize: fc.nat(),
          outSize: fc.nat(),
          request: text,
          response: text,
          reqNotes: fc.option(fc.uniqueArray(fc.string(), { minLength: 1 }), { nil: undefined }),
          notes: fc.option(fc.uniqueArray(fc.string(), { minLength: 1 }), { nil: undefined }),
          ok: fc.boolean(),
          index: fc.nat(),
          fields: fc.option(fc.record({ echoed: fc.boolean() }), { nil: undefined }),
          domain: fc.option(fc.string(), { nil: undefined }),
          action: fc.option(fc.string(), { nil: undefined }),
          forwardedIp: fc.option(fc.ipV4(), { nil: undefined }),
          // Named addresses may repeat each other, the endpoints or the forwarded address.
          relatedIps: fc.option(
            fc.array(fc.oneof(fc.ipV4(), fc.constant(tuple.srcIp), fc.constant(tuple.dstIp)), {
              maxLength: 4,
            }),
            { nil: undefined },
          ),
          relatedUser: fc.option(fc.string(), { nil: undefined }),
        }),
        (r) => {
          const req = r.hasReq || !r.hasResp ? message(true, T0 + r.t1, r.inSize, r.reqNotes) : undefined;
          const resp = r.hasResp ? message(false, T0 + r.t1 + r.dt, r.outSize) : undefined;
          const e = events.build(tx(r.index, req, resp, r.notes), {
            status: r.ok ? 'OK' : 'Error',
            request: r.request,
            response: r.response,
            fields: r.fields,
            domain: r.domain,
            action: r.action,
            forwardedIp: r.forwardedIp,
            relatedIps: r.relatedIps,
            relatedUser: r.relatedUser,
          });
          // Reference: the documented fields in the documented order, undefined ones left out.
          const inB = req?.size ?? 0;
          const outB = resp?.size ?? 0;
          const iso = (ms: number): string => new Date(Math.floor(ms)).toISOString();
          const complete = req !== undefined && resp !== undefined;
          const notes = [...new Set([...(req?.notes ?? []), ...(r.notes ?? [])])];
          const phrases = [...new Set(notes.map((n) => packetbeatPhrase(n, true)))];
          const client = { ip: tuple.srcIp, port: tuple.srcPort, bytes: inB };
          const server = { ip: tuple.dstIp, port: tuple.dstPort, bytes: outB };
          const expected = {
            '@timestamp': iso((req ?? resp)!.ts),
            type: 'echo',
            status: r.ok ? 'OK' : 'Error',
            responsetime: complete ? Math.floor(resp.ts - req.ts) : undefined,
            source: client,
            destination: { ...server, domain: r.domain },
            client,
            server: { ...server, domain: r.domain },
            network: {
              transport: 'tcp',
              protocol: 'echo',
              type: 'ipv4',
              bytes: inB + outB,
              community_id: events.communityId,
              forwarded_ip: r.forwardedIp,
            },
            event: {
              kind: 'event',
              category: ['network_traffic', 'network'],
              type: ['connection', 'protocol'],
              dataset: 'echo',
              start: iso((req ?? resp)!.ts),
              end: complete ? iso(resp.ts) : undefined,
              duration: complete ? Math.round((resp.ts - req.ts) * 1000) * 1000 : undefined,
              outcome: r.ok ? 'success' : 'failure',
              action: r.action,
            },
            request: r.request,
            response: r.response,
            notes: notes.length ? notes : undefined,
            error: !r.ok && notes.length ? { message: phrases.join('; ') } : undefined,
            related: {
              // Each address once, the endpoints first, then the forwarded one, then those named.
              ip: [
                ...new Set([
                  tuple.srcIp,
                  tuple.dstIp,
                  ...(r.forwardedIp === undefined ? [] : [r.forwardedIp]),
                  ...(r.relatedIps ?? []),
                ]),
              ],
              hosts: r.domain === undefined ? undefined : [r.domain],
              user: r.relatedUser === undefined ? undefined : [r.relatedUser],
            },
            echo: r.fields,
          };
          expect(e.json).toBe(JSON.stringify(expected));
          expect(e.id).toBe(`echo-${tuple.connectionId}-${r.index}`);
        },
      ),
    );
  });

  it('fields is parsed from the serialised document on demand; reading it hands serialisation back', () => {
    const e = events.build(tx(0, message(true, T0, 2), message(false, T0 + 1, 3)), { status: 'OK' });
    const json = e.json!;
    expect(e.fields).toEqual(JSON.parse(json));
    expect(e.json).toBeUndefined();
    (e.fields as Record<string, unknown>).extra = 1;
    expect(JSON.stringify(e.fields)).toBe(json.slice(0, -1) + ',"extra":1}');
    expect(JSON.parse(JSON.stringify(e))).toEqual({
      id: e.id,
      timestamp: T0,
      fields: { ...JSON.parse(json), extra: 1 },
    });
  });
});

describe("error.message in Packetbeat's words", () => {
  it('maps the notes of unmatched messages and packet loss to the phrases Packetbeat publishes', () => {
    expect(packetbeatPhrase('response missing: transaction timed out', true)).toBe('Unmatched request');
    expect(packetbeatPhrase('response missing: connection closed (FIN)', true)).toBe('Unmatched request');
    expect(packetbeatPhrase('response without a request', false)).toBe('Unmatched response');
    expect(packetbeatPhrase('response missing: lost in a gap in the stream', true)).toBe(
      'Packet loss while capturing the response',
    );
    expect(packetbeatPhrase('request missing: lost in a gap in the stream', false)).toBe(
      'Packet loss while capturing the request',
    );
    expect(packetbeatPhrase('message hit by a gap in the stream', true)).toBe(
      'Packet loss while capturing the request',
    );
    expect(packetbeatPhrase('message follows a gap in the stream', false)).toBe(
      'Packet loss while capturing the response',
    );
    expect(packetbeatPhrase('something else', true)).toBe('something else');
  });
});

describe('formatTimestamp', () => {
  it('equals Date#toISOString, including sub-millisecond inputs and minute changes', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 4e12, noNaN: true }), (ms) => {
        expect(formatTimestamp(ms)).toBe(new Date(Math.floor(ms)).toISOString());
      }),
    );
    expect(formatTimestamp(T0 + 59_999.9)).toBe('2026-11-29T12:00:59.999Z');
    expect(formatTimestamp(T0 + 60_000)).toBe('2026-11-29T12:01:00.000Z');
  });
});
