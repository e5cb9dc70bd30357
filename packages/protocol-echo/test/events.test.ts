import { Notes, communityId } from '@wirebeat/applayer';
import { EchoHarness, T0 } from './harness';

describe('echo transaction events', () => {
  it('one request/response pair: common fields, text without marker/newline, response from the response', () => {
    const h = new EchoHarness().send(0, '>hello\n', T0 + 1).send(1, '<hello there\n', T0 + 3.5);
    const [doc] = h.docs();
    expect(doc).toEqual({
      '@timestamp': '2026-11-29T10:00:00.001Z',
      type: 'echo',
      status: 'OK',
      responsetime: 2,
      source: { ip: '127.0.0.1', port: 40000, bytes: 7 },
      destination: { ip: '127.0.0.1', port: 3030, bytes: 13 },
      client: { ip: '127.0.0.1', port: 40000, bytes: 7 },
      server: { ip: '127.0.0.1', port: 3030, bytes: 13 },
      network: {
        transport: 'tcp',
        protocol: 'echo',
        type: 'ipv4',
        bytes: 20,
        community_id: communityId('127.0.0.1', 40000, '127.0.0.1', 3030),
      },
      event: {
        kind: 'event',
        category: ['network_traffic', 'network'],
        type: ['connection', 'protocol'],
        dataset: 'echo',
        start: '2026-11-29T10:00:00.001Z',
        end: '2026-11-29T10:00:00.003Z',
        duration: 2_500_000,
        outcome: 'success',
      },
      request: 'hello',
      response: 'hello there',
      related: { ip: ['127.0.0.1'] },
      echo: { echoed: false },
    });
    expect(h.events[0].timestamp).toBe(T0 + 1);
    expect(h.events[0].json).toBe(JSON.stringify(h.events[0].fields));
  });

  it("an '!' response is status Error, outcome failure", () => {
    const h = new EchoHarness().send(0, 'no marker\n', T0).send(1, '!no marker\n', T0 + 1);
    expect(h.docs()[0]).toMatchObject({
      status: 'Error',
      request: 'no marker',
      response: 'no marker',
      source: { bytes: 10 },
      destination: { bytes: 11 },
      event: { outcome: 'failure' },
      echo: { echoed: true },
    });
    expect(h.counters().errors).toBe(1);
  });

  it('request/response text is published only when send_request/send_response are on', () => {
    const h = new EchoHarness({}).send(0, '>a\n', T0).send(1, '<a\n', T0);
    expect(h.docs()[0]).not.toHaveProperty('request');
    expect(h.docs()[0]).not.toHaveProperty('response');
    const r = new EchoHarness({ send_response: true }).send(0, '>a\n', T0).send(1, '<b\n', T0);
    expect(r.docs()[0]).not.toHaveProperty('request');
    expect(r.docs()[0].response).toBe('b');
  });

  it('a pipelined burst pairs in order and events have deterministic, distinct ids', () => {
    const burst = (): EchoHarness =>
      new EchoHarness()
        .send(0, '>1\n>2\n>3', T0)
        .send(0, '\n>4\n', T0 + 1)
        .send(1, '<1\n<2\n<3\n<4\n', T0 + 2);
    const h = burst();
    expect(h.summary()).toEqual(['1>1 OK', '2>2 OK', '3>3 OK', '4>4 OK']);
    const ids = h.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(4);
    expect(burst().events.map((e) => e.id)).toEqual(ids);
  });

  it('a message larger than one segment is one message', () => {
    const big = 'y'.repeat(5000);
    const h = new EchoHarness();
    for (let i = 0; i < big.length; i += 1460)
      h.send(0, (i === 0 ? '>' : '') + big.slice(i, i + 1460), T0 + i);
    h.send(0, '\n', T0 + 6000).send(1, `<${big}\n`, T0 + 7000);
    expect(h.docs()).toHaveLength(1);
    expect(h.docs()[0]).toMatchObject({
      status: 'OK',
      source: { bytes: 5002 },
      destination: { bytes: 5002 },
      request: big,
      echo: { echoed: true },
    });
    expect(h.events[0].timestamp).toBe(T0);
  });

  it('requests without a response at FIN are published as Error with a note, never dropped', () => {
    const h = new EchoHarness()
      .send(0, '>a\n>b\n>c', T0)
      .send(1, '<a\n', T0 + 1)
      .close('fin');
    expect(h.summary()).toEqual([
      'a>a OK',
      'b>- Error [response missing: connection closed (FIN)]',
      `c>- Error [${Notes.incompleteMessage}; response missing: connection closed (FIN)]`,
    ]);
    expect(h.counters()).toMatchObject({ transactions: 3, missing_responses: 2, errors: 2 });
  });

  it('end of input and RST get their own notes', () => {
    expect(new EchoHarness().send(0, '>a\n', T0).close('eof').summary()).toEqual([
      'a>- Error [response missing: end of input]',
    ]);
    expect(new EchoHarness().send(0, '>a\n', T0).close('rst').summary()).toEqual([
      'a>- Error [response missing: connection reset (RST)]',
    ]);
  });

  it('a response without a request is counted and published with a note', () => {
    const h = new EchoHarness()
      .send(1, '<surprise\n', T0)
      .send(0, '>x\n', T0 + 1)
      .send(1, '<x\n', T0 + 2);
    expect(h.summary()).toEqual([`->surprise Error [${Notes.responseWithoutRequest}]`, 'x>x OK']);
    expect(h.counters().unmatched_responses).toBe(1);
  });

  it('transaction timeout on packet time, then the late response is not paired with the next request', () => {
    const h = new EchoHarness({ send_request: true, send_response: true, transaction_timeout: '1s' });
    h.send(0, '>slow\n', T0);
    h.dispatcher.tick(T0 + 999);
    expect(h.events).toHaveLength(0);
    h.dispatcher.tick(T0 + 1000);
    h.send(0, '>next\n', T0 + 1100).send(1, '<slow\n<next\n', T0 + 1200);
    expect(h.summary()).toEqual([
      `slow>- Error [${Notes.responseTimeout}]`,
      `->slow Error [${Notes.lateResponse}]`,
      'next>next OK',
    ]);
  });

  it('too many pending requests: the oldest is published as missing', () => {
    const h = new EchoHarness({ send_request: true, max_pending_requests: 2 });
    h.send(0, '>1\n>2\n>3\n', T0);
    expect(h.summary()).toEqual([`1>- Error [${Notes.responseTooManyPending}]`]);
  });

  it('a line longer than max_message_size keeps its transaction (sizes, timing) without the text', () => {
    const h = new EchoHarness({ send_request: true, send_response: true, max_message_size: 64 });
    // Waiting for the newline over several segments is what needs memory: that is what is limited.
    for (const dir of [0, 1] as const) {
      h.send(dir, dir === 0 ? '>' : '<', T0 + dir);
      for (let i = 0; i < 5; i++) h.send(dir, 'z'.repeat(20), T0 + dir);
      h.send(dir, dir === 0 ? '\n>ok\n' : '\n<ok\n', T0 + dir);
    }
    expect(h.summary()).toEqual(['> OK [message longer than max_message_size: text not kept]', 'ok>ok OK']);
    expect(h.docs()[0]).toMatchObject({
      source: { bytes: 102 },
      destination: { bytes: 102 },
      responsetime: 1,
    });
    // A complete long line inside one segment needs no buffering and is simply parsed.
    const one = new EchoHarness({ send_request: true, max_message_size: 64 }).send(
      0,
      `>${'z'.repeat(100)}\n`,
      T0,
    );
    expect(one.close('eof').summary()).toEqual([
      `${'z'.repeat(100)}>- Error [response missing: end of input]`,
    ]);
  });
});
