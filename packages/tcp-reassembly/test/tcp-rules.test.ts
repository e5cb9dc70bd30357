// The reassembly rules of issue 12, each on a small crafted capture read back from a pcap file.
import { readAllFrames, TcpReassembler, type StreamAnomaly } from '../src/index';
import { scenarios, toPcap, type Scenario } from './crafted-captures';
import { ACK, Conversation, FIN, PSH, RecordingConsumer, RST, SYN } from './helpers';

/** Reads the scenario's capture and reassembles it; records anomalies reported to the consumer. */
async function replay(s: Scenario, opts = {}): Promise<[RecordingConsumer, TcpReassembler, string[]]> {
  const anomalies: string[] = [];
  const rec = new RecordingConsumer();
  const consumer = Object.assign(rec, {
    onAnomaly: (_c: unknown, dir: number, a: StreamAnomaly) => anomalies.push(`${a}:${dir}`),
  });
  const r = new TcpReassembler(consumer, opts);
  const { frames } = await readAllFrames(toPcap(s.frames));
  expect(frames).toHaveLength(s.frames.length);
  for (const f of frames) r.processFrame(f);
  r.closeAll();
  return [rec, r, anomalies];
}

const byName = new Map(scenarios().map((s) => [s.name, s]));
function scenario(name: string): Scenario {
  const s = byName.get(name);
  if (!s) throw new Error(`no scenario ${name}`);
  return s;
}

describe('crafted captures: streams and counters', () => {
  it.each(scenarios().map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const [rec, r] = await replay(s);
    expect(rec.conns.map((_, i) => [rec.stream(i, 0), rec.stream(i, 1)])).toEqual(s.streams);
    expect(r.counters()).toMatchObject(s.counters);
  });
});

describe('TIME_WAIT on packet time', () => {
  it('keeps the closed connection whole: no connection for late segments, a new one for a new ISN', async () => {
    const [rec, r] = await replay(scenario('time-wait'));
    expect(rec.conns.map((c) => c.events)).toEqual([
      ['open', 'data0:hello\n', 'data1:world\n', 'fin0', 'fin1', 'close:fin'],
      ['open', 'data0:again\n', 'data1:again!\n', 'fin0', 'fin1', 'close:eof'],
    ]);
    expect(r.counters()).toMatchObject({ segmentsWithoutConnection: 0, connectionsTimeWait: 0 });
  });

  it('forgets the tuple after timeWaitMs: a late segment then opens a mid-stream connection', async () => {
    const [rec, r] = await replay(scenario('time-wait'), { timeWaitMs: 500 });
    expect(rec.conns.map((c) => c.events[1])).toEqual(['data0:hello\n', 'data0:hello\n', 'data0:again\n']);
    expect(r.counters().timeWaitSegments).toBe(1);
  });

  it('works for IPv6 tuples, whichever side sends the late segment', () => {
    const k = new Conversation('2001:db8::2', '2001:db8::1');
    const rec = new RecordingConsumer();
    const r = new TcpReassembler(rec);
    const frames = [
      k.c(1, 0, '', SYN),
      k.s(2, 0, '', SYN | ACK, 0),
      k.c(3, 0, 'q'),
      k.s(4, 0, 'a', PSH | ACK, 1),
      k.c(5, 1, '', FIN | ACK),
      k.s(6, 1, '', FIN | ACK, 2),
      k.s(7, 0, 'a', PSH | ACK, 1), // late retransmission from the server
      k.c(8, 0, '', SYN), // duplicate SYN
    ];
    for (const f of frames) r.processFrame(f);
    expect(rec.conns).toHaveLength(1);
    expect(r.counters()).toMatchObject({ timeWaitSegments: 2, connectionsTimeWait: 1 });
    r.processFrame(new Conversation('2001:db8::2', '2001:db8::1', 40000, 3030, 77777).c(9, 0, '', SYN));
    expect(rec.conns).toHaveLength(2);
    expect(r.counters().connectionsTimeWait).toBe(0);
  });

  it('keeps at most maxConnections tuples in TIME_WAIT, forgetting the oldest', () => {
    const rec = new RecordingConsumer();
    const r = new TcpReassembler(rec, { maxConnections: 3 });
    for (let i = 0; i < 5; i++) {
      const k = new Conversation('10.0.0.2', '10.0.0.1', 41000 + i);
      for (const f of [k.c(i, 0, 'x'), k.s(i, 0, '', RST | ACK, 1)]) r.processFrame(f);
    }
    expect(r.counters()).toMatchObject({ connectionsReset: 5, connectionsTimeWait: 3 });
    // The oldest tuple was forgotten: a late segment opens a connection; a newer one's is absorbed.
    r.processFrame(new Conversation('10.0.0.2', '10.0.0.1', 41000).c(10, 1, 'y'));
    r.processFrame(new Conversation('10.0.0.2', '10.0.0.1', 41004).c(10, 1, 'y'));
    expect(rec.conns).toHaveLength(6);
    expect(r.counters().timeWaitSegments).toBe(1);
  });

  it('can be turned off with timeWaitMs 0', async () => {
    const [, r] = await replay(scenario('time-wait'), { timeWaitMs: 0 });
    expect(r.counters()).toMatchObject({ timeWaitSegments: 0, connectionsOpened: 3 });
  });
});

describe('RST acceptance (RFC 5961)', () => {
  it('ignores an RST outside the window and notes it, then closes on the in-window one', async () => {
    const [rec, , anomalies] = await replay(scenario('rst-out-of-window'));
    expect(rec.conns[0].events.slice(-3)).toEqual(['fin0', 'fin1', 'close:rst']);
    expect(anomalies).toEqual(['rst_out_of_window:1']);
  });

  it('does not split a connection on an RST with ack = ISN in SYN-SENT', async () => {
    const [rec] = await replay(scenario('rst-in-syn-sent'));
    expect(rec.conns.map((c) => c.closed)).toEqual(['fin', 'rst']);
  });

  it('still takes an RST from a side never seen when the peer SYN was not seen either', () => {
    const k = new Conversation();
    const rec = new RecordingConsumer();
    const r = new TcpReassembler(rec);
    r.processFrame(k.c(1, 0, 'ab'));
    r.processFrame(k.s(2, 0, '', RST));
    expect(rec.conns[0].closed).toBe('rst');
  });
});

describe('SYN inside an established connection', () => {
  it('keeps the connection, counts and notes the SYN', async () => {
    const [rec, , anomalies] = await replay(scenario('syn-in-connection'));
    expect(rec.conns).toHaveLength(1);
    expect(anomalies).toEqual(['syn_in_connection:0']);
  });

  it('starts a new connection once the server answers the new SYN', async () => {
    const [rec] = await replay(scenario('syn-reuse-accepted'));
    expect(rec.conns.map((c) => c.closed)).toEqual(['evicted', 'eof']);
    expect(rec.conns[1].conn).toMatchObject({ clientPort: 40000, serverPort: 3030 });
  });

  it('starts over at once when the peer never answered the first SYN', () => {
    const first = new Conversation();
    const second = new Conversation('10.0.0.2', '10.0.0.1', 40000, 3030, 900000, 7000);
    const rec = new RecordingConsumer();
    const r = new TcpReassembler(rec);
    for (const f of [
      first.c(1, 0, '', SYN),
      first.c(2, 0, 'x'),
      second.c(3, 0, '', SYN),
      second.c(4, 0, 'y'),
    ])
      r.processFrame(f);
    expect(rec.conns.map((c) => rec.stream(rec.conns.indexOf(c), 0))).toEqual(['x', 'y']);
    expect(r.counters()).toMatchObject({ connectionsReused: 1, synInConnection: 0 });
  });
});

describe('data on an RST', () => {
  it('is delivered before the connection closes', async () => {
    const [rec] = await replay(scenario('data-on-rst'));
    expect(rec.conns[0].events).toEqual([
      'open',
      'data0:one\n',
      'data1:ONE\n',
      'data0:bye\n',
      'fin0',
      'fin1',
      'close:rst',
    ]);
  });
});

describe('frames shorter than their IP total length', () => {
  it('deliver the captured bytes and report the rest as a gap', async () => {
    const [rec, r] = await replay(scenario('short-frame'));
    expect(rec.conns[0].events.slice(1, 4)).toEqual(['data0:abcdefgh', 'gap0:3', 'data0:lmn\n']);
    expect(r.counters().undecodable.bad_ip_total_length).toBe(0);
  });
});

describe('idle timeout with an acknowledged hole', () => {
  it('reports the bytes the peer acknowledged as a gap', async () => {
    const [rec] = await replay(scenario('idle-acked-hole'));
    expect(rec.conns[0].events).toEqual(['open', 'data0:aaaa', 'gap0:4', 'fin0', 'fin1', 'close:timeout']);
  });

  it('reports nothing when the peer acknowledged only what was seen', () => {
    const k = new Conversation();
    const rec = new RecordingConsumer();
    const r = new TcpReassembler(rec, { idleTimeoutMs: 1000 });
    r.processFrame(k.c(1, 0, 'aaaa'));
    r.processFrame(k.s(2, 0, '', ACK, 4));
    r.advanceTime(5000);
    expect(rec.conns[0].events).toEqual(['open', 'data0:aaaa', 'fin0', 'fin1', 'close:timeout']);
  });
});

describe('sequence jumps of 2^31 or more', () => {
  it('are counted and noted, not taken for retransmissions', async () => {
    const [rec, , anomalies] = await replay(scenario('sequence-jump'));
    expect(rec.conns[0].events).not.toContain('data0:evil');
    expect(anomalies).toEqual(['sequence_jump:0']);
  });

  it('leave small retransmissions of a mid-stream connection alone', () => {
    const k = new Conversation();
    const rec = new RecordingConsumer();
    const r = new TcpReassembler(rec);
    r.processFrame(k.c(1, 100, 'late'));
    r.processFrame(k.c(2, 0, 'early', PSH | ACK));
    expect(r.counters()).toMatchObject({ sequenceJumps: 0, retransmittedBytes: 5 });
  });
});
