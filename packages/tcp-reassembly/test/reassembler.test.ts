import { LinkType, TcpReassembler, type Frame } from '../src/index';
import { ACK, Conversation, FIN, frame, PSH, RecordingConsumer, RST, SYN } from './helpers';

function run(
  frames: Frame[],
  opts = {},
  consumer = new RecordingConsumer(),
): [RecordingConsumer, TcpReassembler] {
  const r = new TcpReassembler(consumer, opts);
  for (const f of frames) r.processFrame(f);
  return [consumer, r];
}

describe('TcpReassembler: connection life cycle', () => {
  it('delivers a full conversation in order and closes on both FINs', () => {
    const k = new Conversation();
    const [rec, r] = run([
      k.c(1, 0, '', SYN),
      k.s(2, 0, '', SYN | ACK),
      k.c(3, 0),
      k.c(4, 0, '>hello\n'),
      k.s(5, 0, '<hello\n', PSH | ACK, 7),
      k.c(6, 7, '', FIN | ACK),
      k.s(7, 7, '', FIN | ACK, 8),
      k.c(8, 8),
    ]);
    expect(rec.conns).toHaveLength(1);
    const c = rec.conns[0];
    expect(c.events).toEqual(['open', 'data0:>hello\n', 'data1:<hello\n', 'fin0', 'fin1', 'close:fin']);
    expect(c.conn).toMatchObject({
      ipVersion: 4,
      clientIp: '10.0.0.2',
      clientPort: 40000,
      serverIp: '10.0.0.1',
      serverPort: 3030,
      openedAt: 1,
    });
    const counters = r.counters();
    expect(counters).toMatchObject({
      packets: 8,
      decoded: 8,
      connectionsOpened: 1,
      connectionsClosed: 1,
      connectionsActive: 0,
      // The last ACK arrives after both FINs: the closed tuple is in TIME_WAIT and absorbs it.
      segmentsWithoutConnection: 0,
      timeWaitSegments: 1,
      connectionsTimeWait: 1,
      synSegments: 2,
      finSegments: 2,
      rstSegments: 0,
    });
  });

  it('takes the SYN-ACK receiver as client when the SYN was missed', () => {
    const k = new Conversation();
    const [rec] = run([k.s(1, 0, '', SYN | ACK), k.c(2, 0, 'req')]);
    expect(rec.conns[0].conn.clientPort).toBe(40000);
    expect(rec.conns[0].events).toEqual(['open', 'data0:req']);
  });

  it('takes the side not on a server port as client for a mid-stream connection', () => {
    const k = new Conversation();
    const [rec] = run([k.s(1, 0, 'response first'), k.c(2, 0, 'then request')], {
      isServerPort: (p: number) => p === 3030,
    });
    expect(rec.conns[0].conn).toMatchObject({ clientPort: 40000, serverPort: 3030 });
    expect(rec.stream(0, 0)).toBe('then request');
    expect(rec.stream(0, 1)).toBe('response first');
  });

  it('takes the first sender as client without SYN or server ports', () => {
    const k = new Conversation();
    const [rec] = run([k.s(1, 0, 'x')]);
    expect(rec.conns[0].conn).toMatchObject({ clientPort: 3030, serverPort: 40000, clientIp: '10.0.0.1' });
  });

  it('reports RST mid-stream as FIN in both directions, flushing what was buffered', () => {
    const k = new Conversation();
    const [rec, r] = run([k.c(1, 0, 'ab'), k.c(2, 4, 'ef'), k.s(3, 0, '', RST)]);
    expect(rec.conns[0].events).toEqual([
      'open',
      'data0:ab',
      'gap0:2',
      'data0:ef',
      'fin0',
      'fin1',
      'close:rst',
    ]);
    expect(r.counters()).toMatchObject({ connectionsReset: 1, gaps: 1, gapBytes: 2, bufferedBytes: 0 });
    // Later segments of the reset connection open nothing new without payload.
    r.processFrame(k.c(4, 6));
    expect(rec.conns).toHaveLength(1);
  });

  it('flushes and closes every connection at end of input', () => {
    const k = new Conversation();
    const [rec, r] = run([k.c(1, 0, 'one'), k.c(2, 5, 'three'), k.s(3, 0, 'reply')]);
    r.closeAll();
    expect(rec.conns[0].events).toEqual([
      'open',
      'data0:one',
      'data1:reply',
      'gap0:2',
      'data0:three',
      'fin0',
      'fin1',
      'close:eof',
    ]);
    expect(r.counters().connectionsActive).toBe(0);
  });

  it('starts a new connection when a fresh SYN reuses the 4-tuple, ignoring retransmitted SYNs', () => {
    const first = new Conversation();
    const second = new Conversation('10.0.0.2', '10.0.0.1', 40000, 3030, 900000, 7000);
    const [rec, r] = run([
      first.c(1, 0, '', SYN),
      first.c(2, 0, '', SYN),
      first.c(3, 0, 'old'),
      second.c(4, 0, '', SYN),
      second.c(5, 0, 'new'),
    ]);
    expect(rec.conns.map((c) => c.events)).toEqual([
      ['open', 'data0:old', 'fin0', 'fin1', 'close:evicted'],
      ['open', 'data0:new'],
    ]);
    expect(r.counters()).toMatchObject({ connectionsReused: 1, connectionsEvicted: 1, connectionsActive: 1 });
  });

  it('tells directions apart by address when both ends use the same port', () => {
    const k = new Conversation('10.0.0.2', '10.0.0.1', 5000, 5000);
    const [rec] = run([k.c(1, 0, 'from client'), k.s(2, 0, 'from server')]);
    expect(rec.conns).toHaveLength(1);
    expect([rec.stream(0, 0), rec.stream(0, 1)]).toEqual(['from client', 'from server']);
  });

  it('counts frames without a TCP segment by reason', () => {
    const tcp = frame(1, { src: '10.0.0.2', dst: '10.0.0.1', srcPort: 1, dstPort: 2, seq: 0, payload: 'x' });
    const udp = Buffer.from(tcp.data);
    udp[23] = 17;
    const arp = Buffer.from(tcp.data);
    arp.writeUInt16BE(0x0806, 12);
    const [, r] = run([
      { ...tcp, data: udp },
      { ...tcp, data: arp },
      { ...tcp, data: arp },
      { ...tcp, data: tcp.data.subarray(0, 30) },
      { ...tcp, linktype: 9999 },
      tcp,
    ]);
    expect(r.counters()).toMatchObject({
      packets: 6,
      decoded: 1,
      undecodable: { not_tcp: 1, not_ip: 2, truncated_ip: 1, unsupported_linktype: 1, ip_fragment: 0 },
    });
  });

  it('tracks IPv6 connections', () => {
    const base = { src: '2001:db8::10', dst: '2001:db8::1', srcPort: 5555, dstPort: 80 };
    const back = { src: base.dst, dst: base.src, srcPort: 80, dstPort: 5555 };
    const [rec] = run([
      frame(1, { ...base, seq: 99, flags: SYN }),
      frame(2, { ...back, seq: 499, flags: SYN | ACK, ack: 100 }),
      frame(3, { ...base, seq: 100, payload: 'GET', linktype: LinkType.RAW }),
      frame(4, { ...back, seq: 500, payload: 'OK' }),
    ]);
    expect(rec.conns).toHaveLength(1);
    expect(rec.conns[0].conn).toMatchObject({
      ipVersion: 6,
      clientIp: '2001:db8::10',
      serverIp: '2001:db8::1',
      clientPort: 5555,
    });
    expect([rec.stream(0, 0), rec.stream(0, 1)]).toEqual(['GET', 'OK']);
  });
});

describe('TcpReassembler: ordering, retransmissions and overlaps', () => {
  it('buffers early segments and delivers them when the hole fills', () => {
    const k = new Conversation();
    // Frames as the capture reader hands them over: plain Uint8Arrays (the helper makes Buffers).
    const plain = (f: Frame): Frame => ({ ...f, data: new Uint8Array(f.data) });
    const [rec, r] = run(
      [k.c(1, 0, '', SYN), k.c(2, 6, 'ghi'), k.c(3, 3, 'def'), k.c(4, 0, 'abc')].map(plain),
    );
    expect(rec.conns[0].events).toEqual(['open', 'data0:abc', 'data0:def', 'data0:ghi']);
    // Buffered copies are plain Uint8Arrays like the frames (see PcapReader): the code reading
    // payloads then sees one kind of byte array, which V8 optimises for.
    expect(rec.otherKinds).toBe(0);
    expect(r.counters().reorderHighWater).toBe(6);
    expect(r.counters().bufferedBytes).toBe(0);
  });

  it('delivers duplicates once and counts retransmitted bytes', () => {
    const k = new Conversation();
    const [rec, r] = run([
      k.c(1, 0, 'abc'),
      k.c(2, 0, 'abc'),
      k.c(3, 6, 'ghi'),
      k.c(4, 6, 'ghi'),
      k.c(5, 3, 'def'),
      k.c(6, 3, 'def'),
    ]);
    expect(rec.stream(0, 0)).toBe('abcdefghi');
    expect(r.counters().retransmittedBytes).toBe(9);
  });

  it('trims overlaps with delivered bytes', () => {
    const k = new Conversation();
    const [rec, r] = run([k.c(1, 0, 'abcd'), k.c(2, 2, 'cdEF')]);
    expect(rec.conns[0].events).toEqual(['open', 'data0:abcd', 'data0:EF']);
    expect(r.counters()).toMatchObject({ overlaps: 1, retransmittedBytes: 2 });
  });

  it('keeps the first copy received when buffered segments overlap with different bytes', () => {
    const k = new Conversation();
    // 'XYZ' at 4..7 is buffered first; a later '3456789' covering 3..10 only fills around it.
    const [rec, r] = run([k.c(1, 0, 'ab'), k.c(2, 4, 'XYZ'), k.c(3, 3, '3456789'), k.c(4, 2, '2')]);
    expect(rec.stream(0, 0)).toBe('ab23XYZ789');
    expect(r.counters().overlaps).toBe(1);
  });

  it('handles a segment spanning several buffered ones', () => {
    const k = new Conversation();
    const [rec] = run([k.c(1, 0, 'a'), k.c(2, 3, 'D'), k.c(3, 6, 'G'), k.c(4, 1, 'bcdefghij')]);
    expect(rec.stream(0, 0)).toBe('abcDefGhij');
  });

  it('follows sequence numbers across the 2^32 wraparound', () => {
    const k = new Conversation('10.0.0.2', '10.0.0.1', 40000, 3030, 0xfffffffc, 10);
    const [rec] = run([
      k.c(1, 0, '', SYN),
      k.c(2, 6, 'ghij'),
      k.c(3, 0, 'abc'),
      k.c(4, 3, 'def'),
      k.c(5, 10, '', FIN | ACK),
    ]);
    expect(rec.conns[0].events).toEqual(['open', 'data0:abc', 'data0:def', 'data0:ghij', 'fin0']);
  });

  it('waits for the bytes before an early FIN', () => {
    const k = new Conversation();
    const [rec] = run([k.c(1, 0, 'ab'), k.c(2, 4, '', FIN | ACK), k.c(3, 2, 'cd')]);
    expect(rec.conns[0].events).toEqual(['open', 'data0:ab', 'data0:cd', 'fin0']);
  });

  it('hands out views of the frame for in-order data and copies what it buffers', () => {
    const k = new Conversation();
    const seen: Uint8Array[] = [];
    const consumer = new RecordingConsumer();
    const origOnData = consumer.onData.bind(consumer);
    consumer.onData = (c, d, data) => {
      seen.push(data);
      origOnData(c, d, data);
    };
    const r = new TcpReassembler(consumer);
    const first = k.c(1, 0, 'abc');
    r.processFrame(first);
    expect(seen[0].buffer).toBe(first.data.buffer);
    const early = k.c(2, 6, 'ghi');
    r.processFrame(early);
    early.data.fill(0x21); // live capture reuses the buffer for the next packet
    r.processFrame(k.c(3, 3, 'def'));
    expect(consumer.stream(0, 0)).toBe('abcdefghi');
  });
});

describe('TcpReassembler: gaps and limits', () => {
  it('reports a hole as a gap when the peer acknowledges beyond it', () => {
    const k = new Conversation();
    const [rec, r] = run([
      k.c(1, 0, 'abc'),
      k.c(2, 6, 'ghi'),
      k.s(3, 0, 'ok', PSH | ACK, 9),
      k.c(4, 9, 'jk'),
    ]);
    expect(rec.conns[0].events).toEqual(['open', 'data0:abc', 'gap0:3', 'data0:ghi', 'data1:ok', 'data0:jk']);
    expect(r.counters()).toMatchObject({ gaps: 1, gapBytes: 3 });
  });

  it('reports a lost segment before a FIN once the FIN is acknowledged', () => {
    const k = new Conversation();
    const [rec] = run([k.c(1, 0, 'abc'), k.c(2, 6, '', FIN | ACK), k.s(3, 0, '', FIN | ACK, 7)]);
    expect(rec.conns[0].events).toEqual(['open', 'data0:abc', 'gap0:3', 'fin0', 'fin1', 'close:fin']);
  });

  it('skips a hole when the per-connection buffer limit is hit', () => {
    const k = new Conversation();
    const big = 'x'.repeat(40000);
    const [rec, r] = run([k.c(1, 0, 'a'), k.c(2, 11, big), k.c(3, 11 + 40000, big)], {
      maxBufferedBytesPerConnection: 65536,
    });
    expect(rec.conns[0].events.map((e) => e.slice(0, 12))).toEqual([
      'open',
      'data0:a',
      'gap0:10',
      `data0:${'x'.repeat(6)}`,
      `data0:${'x'.repeat(6)}`,
    ]);
    expect(r.counters()).toMatchObject({ bufferLimitHits: 1, gaps: 1, gapBytes: 10, bufferedBytes: 0 });
  });

  it('skips a hole when the segment-count limit is hit', () => {
    const k = new Conversation();
    const frames = [k.c(1, 0, 'a')];
    for (let i = 0; i < 5; i++) frames.push(k.c(2 + i, 2 + i, String(i)));
    const [rec, r] = run(frames, { maxBufferedSegments: 4 });
    expect(rec.stream(0, 0)).toBe('a01234');
    expect(rec.conns[0].events).toContain('gap0:1');
    expect(r.counters().bufferLimitHits).toBe(1);
  });

  it('reports snaplen-cut payload as a gap', () => {
    const k = new Conversation();
    const f = k.c(1, 0, 'abcdefghij');
    const cut: Frame = { ...f, data: f.data.subarray(0, f.data.length - 4), origLen: f.data.length };
    const [rec, r] = run([cut, k.c(2, 10, 'k')]);
    expect(rec.conns[0].events).toEqual(['open', 'data0:abcdef', 'gap0:4', 'data0:k']);
    expect(r.counters().snaplenCutBytes).toBe(4);
  });

  it('evicts the least recently active connection beyond maxConnections', () => {
    const ks = [0, 1, 2].map((i) => new Conversation('10.0.0.2', '10.0.0.1', 40000 + i));
    const [rec, r] = run([ks[0].c(1, 0, 'a'), ks[1].c(2, 0, 'b'), ks[0].c(3, 1, 'c'), ks[2].c(4, 0, 'd')], {
      maxConnections: 2,
    });
    expect(rec.conns.map((c) => c.closed)).toEqual([undefined, 'evicted', undefined]);
    expect(r.counters()).toMatchObject({ connectionsEvicted: 1, connectionsActive: 2 });
  });
});

describe('TcpReassembler: idle timeout on packet time', () => {
  it('times out idle connections, with per-connection timeouts set by the consumer', () => {
    const slow = new Conversation('10.0.0.2', '10.0.0.1', 40001);
    const fast = new Conversation('10.0.0.2', '10.0.0.1', 40002, 4040);
    const consumer = new RecordingConsumer((conn) => {
      if (conn.serverPort === 4040) conn.idleTimeoutMs = 5_000;
    });
    const r = new TcpReassembler(consumer, { idleTimeoutMs: 30_000 });
    r.processFrame(slow.c(0, 0, 'a'));
    r.processFrame(fast.c(0, 0, 'b'));
    r.processFrame(fast.c(4_000, 1, 'c'));
    r.processFrame(slow.c(8_000, 1, 'd'));
    expect(consumer.conns.map((c) => c.closed)).toEqual([undefined, undefined]);
    r.advanceTime(9_500);
    expect(consumer.conns.map((c) => c.closed)).toEqual([undefined, 'timeout']);
    r.advanceTime(37_000);
    expect(consumer.conns[0].closed).toBeUndefined();
    r.processFrame(new Conversation('10.9.9.9').c(38_500, 0, 'z'));
    expect(consumer.conns[0].closed).toBe('timeout');
    expect(consumer.conns[0].events).toEqual(['open', 'data0:a', 'data0:d', 'fin0', 'fin1', 'close:timeout']);
    expect(r.counters()).toMatchObject({ connectionsTimedOut: 2, connectionsActive: 1 });
  });

  it('applies a timeout the consumer changes after the connection opened', () => {
    const k = new Conversation();
    const long = new Conversation('10.0.0.3');
    const consumer = new RecordingConsumer();
    consumer.onData = (conn, dir, data) => {
      // E.g. a protocol detected on the first bytes: short timeout for one, very long for the other.
      conn.idleTimeoutMs = conn.clientIp === '10.0.0.2' ? 2_000 : 3_600_000;
      RecordingConsumer.prototype.onData.call(consumer, conn, dir, data);
    };
    const r = new TcpReassembler(consumer, { idleTimeoutMs: 60_000 });
    r.processFrame(k.c(0, 0, 'a'));
    r.processFrame(long.c(0, 0, 'b'));
    r.advanceTime(2_500);
    expect(consumer.conns.map((c) => c.closed)).toEqual(['timeout', undefined]);
    r.advanceTime(3_000_000);
    expect(consumer.conns[1].closed).toBeUndefined();
    r.advanceTime(3_600_000);
    expect(consumer.conns[1].closed).toBe('timeout');
    expect(r.counters().connectionsTimedOut).toBe(2);
  });
});

describe('TcpReassembler: many interleaved connections', () => {
  it('keeps 500 connections apart, shuffled packet by packet', () => {
    let seed = 42;
    const rnd = (n: number): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n;
    const convs = Array.from(
      { length: 500 },
      (_, i) =>
        new Conversation(
          `10.1.${i >> 8}.${i & 255}`,
          '10.0.0.1',
          1024 + (i % 7),
          3030,
          (i * 7919) >>> 0,
          i * 13,
        ),
    );
    const expected = convs.map((_, i) => [`request ${i} `.repeat(3), `response ${i} `.repeat(2)]);
    const queues = convs.map((k, i) => {
      const [req, resp] = expected[i];
      const q: Frame[] = [k.c(0, 0, '', SYN), k.s(0, 0, '', SYN | ACK)];
      for (let off = 0; off < req.length; off += 5) q.push(k.c(0, off, req.slice(off, off + 5)));
      q.push(k.s(0, 0, resp, PSH | ACK, req.length));
      q.push(k.c(0, req.length, '', FIN | ACK), k.s(0, resp.length, '', FIN | ACK, req.length + 1));
      return q;
    });
    const rec = new RecordingConsumer();
    const r = new TcpReassembler(rec);
    let ts = 0;
    while (queues.some((q) => q.length)) {
      const live = queues.filter((q) => q.length);
      const f = live[rnd(live.length)].shift() as Frame;
      r.processFrame({ ...f, ts: ts++ });
    }
    expect(rec.conns).toHaveLength(500);
    const matched = new Set<number>();
    rec.conns.forEach((c, i) => {
      const idx = convs.findIndex((k) => k.client === c.conn.clientIp && k.cport === c.conn.clientPort);
      expect(idx).toBeGreaterThanOrEqual(0);
      matched.add(idx);
      expect([rec.stream(i, 0), rec.stream(i, 1)]).toEqual(expected[idx]);
      expect(c.closed).toBe('fin');
    });
    expect(matched.size).toBe(500);
    expect(r.counters()).toMatchObject({
      connectionsOpened: 500,
      connectionsClosed: 500,
      gaps: 0,
      retransmittedBytes: 0,
    });
  });
});
