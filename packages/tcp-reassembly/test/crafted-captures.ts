// Small crafted captures, one per reassembly rule of issue 12. Each scenario lists its frames and
// what a reader of the capture must get; tcp-rules.test.ts replays them through a pcap file, and
// compare-tshark.test.ts checks the ones where Wireshark follows the same rule.
import { buildTcpFrame, LinkType, PcapWriter, type Frame } from '../src/index';
import { ACK, FIN, PSH, RST, SYN } from './helpers';

/** A crafted capture and what the reassembler must make of it. */
export interface Scenario {
  name: string;
  frames: Frame[];
  /** Per connection in opening order: bytes delivered [client to server, server to client]. */
  streams: Array<[string, string]>;
  /** Counters that must have these values. */
  counters: Record<string, number>;
  /** Wireshark's Follow TCP Stream gives the same streams. */
  tsharkAgrees: boolean;
}

const T0 = 1_700_000_000_000;
const CISN = 1000;
const SISN = 5000;

/** Frames of one IPv4 tuple with absolute sequence numbers; the client port picks the tuple. */
class Tuple {
  readonly frames: Frame[] = [];
  constructor(
    readonly cport = 40000,
    readonly sport = 3030,
  ) {}
  /** A client-to-server segment at T0 + ms. */
  c(ms: number, seq: number, ack: number, flags: number, payload = ''): this {
    return this.add(ms, '10.0.0.2', '10.0.0.1', this.cport, this.sport, seq, ack, flags, payload);
  }
  /** A server-to-client segment at T0 + ms. */
  s(ms: number, seq: number, ack: number, flags: number, payload = ''): this {
    return this.add(ms, '10.0.0.1', '10.0.0.2', this.sport, this.cport, seq, ack, flags, payload);
  }
  /** SYN, SYN-ACK, ACK from `ms` on, with the default ISNs unless given. */
  handshake(ms: number, cisn = CISN, sisn = SISN): this {
    return this.c(ms, cisn, 0, SYN)
      .s(ms + 1, sisn, cisn + 1, SYN | ACK)
      .c(ms + 2, cisn + 1, sisn + 1, ACK);
  }
  private add(
    ms: number,
    src: string,
    dst: string,
    srcPort: number,
    dstPort: number,
    seq: number,
    ack: number,
    flags: number,
    payload: string,
  ): this {
    const data = buildTcpFrame({
      src,
      dst,
      srcPort,
      dstPort,
      seq: seq >>> 0,
      ack: ack >>> 0,
      flags,
      payload,
    });
    this.frames.push({ ts: T0 + ms, linktype: LinkType.ETHERNET, data, origLen: data.length });
    return this;
  }
}

const PA = PSH | ACK;
const C1 = CISN + 1;
const S1 = SISN + 1;

/** Every scenario, built fresh. */
export function scenarios(): Scenario[] {
  const list: Scenario[] = [];

  // 1. TIME_WAIT: after both FINs, a late retransmission and a duplicate SYN belong to the closed
  // connection; a SYN with a new ISN starts a new one.
  const tw = new Tuple()
    .handshake(0)
    .c(10, C1, S1, PA, 'hello\n')
    .s(11, S1, C1 + 6, PA, 'world\n')
    .c(12, C1 + 6, S1 + 6, FIN | ACK)
    .s(13, S1 + 6, C1 + 7, FIN | ACK)
    .c(14, C1 + 7, S1 + 7, ACK)
    .c(1000, C1, S1 + 7, PA, 'hello\n')
    .c(1001, CISN, 0, SYN)
    .handshake(2000, 90000, 70000)
    .c(2010, 90001, 70001, PA, 'again\n')
    .s(2011, 70001, 90007, PA, 'again!\n');
  list.push({
    name: 'time-wait',
    frames: tw.frames,
    streams: [
      ['hello\n', 'world\n'],
      ['again\n', 'again!\n'],
    ],
    counters: { connectionsOpened: 2, timeWaitSegments: 3, retransmittedBytes: 6 },
    tsharkAgrees: true,
  });

  // 2. An RST far outside the window is ignored; an in-window one closes.
  const rst = new Tuple()
    .handshake(0)
    .c(10, C1, S1, PA, 'one\n')
    .s(11, S1, C1 + 4, PA, 'ONE\n')
    .s(12, S1 + 4 + 10_000_000, 0, RST)
    .c(13, C1 + 4, S1 + 4, PA, 'two\n')
    .s(14, S1 + 4, C1 + 8, PA, 'TWO\n')
    .s(15, S1 + 8, C1 + 8, RST | ACK);
  list.push({
    name: 'rst-out-of-window',
    frames: rst.frames,
    streams: [['one\ntwo\n', 'ONE\nTWO\n']],
    counters: { connectionsOpened: 1, rstIgnored: 1, connectionsReset: 1 },
    tsharkAgrees: true,
  });

  // 3. In SYN-SENT, an RST whose ACK does not acknowledge the SYN (ack = ISN) is ignored; an RST
  // acknowledging the SYN (a closed port) is taken.
  const synSent = new Tuple()
    .c(0, CISN, 0, SYN)
    .s(1, 0, CISN, RST | ACK)
    .s(2, SISN, C1, SYN | ACK)
    .c(3, C1, S1, ACK)
    .c(4, C1, S1, PA, 'hi\n')
    .s(5, S1, C1 + 3, PA, 'HI\n')
    .c(6, C1 + 3, S1 + 3, FIN | ACK)
    .s(7, S1 + 3, C1 + 4, FIN | ACK)
    .c(8, C1 + 4, S1 + 4, ACK);
  const closedPort = new Tuple(40001).c(20, CISN, 0, SYN).s(21, 0, C1, RST | ACK);
  list.push({
    name: 'rst-in-syn-sent',
    frames: [...synSent.frames, ...closedPort.frames],
    streams: [
      ['hi\n', 'HI\n'],
      ['', ''],
    ],
    counters: { connectionsOpened: 2, rstIgnored: 1, connectionsReset: 1 },
    tsharkAgrees: true,
  });

  // 4. A bare SYN with another ISN inside an established connection is ignored.
  const syn = new Tuple()
    .handshake(0)
    .c(10, C1, S1, PA, 'one\n')
    .s(11, S1, C1 + 4, PA, 'ONE\n')
    .c(12, 777777, 0, SYN)
    .c(13, C1 + 4, S1 + 4, PA, 'two\n')
    .s(14, S1 + 4, C1 + 8, PA, 'TWO\n');
  list.push({
    name: 'syn-in-connection',
    frames: syn.frames,
    streams: [['one\ntwo\n', 'ONE\nTWO\n']],
    counters: { connectionsOpened: 1, synInConnection: 1, connectionsReused: 0 },
    tsharkAgrees: false,
  });

  // 4b. ... unless the server accepts it with a SYN-ACK: then the tuple was reused.
  const reuse = new Tuple()
    .handshake(0)
    .c(10, C1, S1, PA, 'one\n')
    .s(11, S1, C1 + 4, PA, 'ONE\n')
    .c(12, 777777, 0, SYN)
    .s(13, 888888, 777778, SYN | ACK)
    .c(14, 777778, 888889, ACK)
    .c(15, 777778, 888889, PA, 'new\n')
    .s(16, 888889, 777782, PA, 'NEW\n');
  list.push({
    name: 'syn-reuse-accepted',
    frames: reuse.frames,
    streams: [
      ['one\n', 'ONE\n'],
      ['new\n', 'NEW\n'],
    ],
    counters: { connectionsOpened: 2, synInConnection: 1, connectionsReused: 1 },
    tsharkAgrees: true,
  });

  // 5. Data carried on an RST is delivered before the connection closes.
  const rstData = new Tuple()
    .handshake(0)
    .c(10, C1, S1, PA, 'one\n')
    .s(11, S1, C1 + 4, PA, 'ONE\n')
    .c(12, C1 + 4, S1 + 4, RST | ACK, 'bye\n');
  list.push({
    name: 'data-on-rst',
    frames: rstData.frames,
    streams: [['one\nbye\n', 'ONE\n']],
    counters: { connectionsReset: 1 },
    tsharkAgrees: true,
  });

  // 6. A record holding fewer bytes than its IP total length (record length = wire length): the
  // captured bytes are delivered, the rest is a gap.
  const short = new Tuple().handshake(0).c(10, C1, S1, PA, 'abcdefghijk');
  const cut = short.frames[3];
  short.frames[3] = { ...cut, data: cut.data.subarray(0, cut.data.length - 3), origLen: cut.data.length - 3 };
  short.c(11, C1 + 11, S1, PA, 'lmn\n').s(12, S1, C1 + 15, PA, 'ok\n');
  list.push({
    name: 'short-frame',
    frames: short.frames,
    streams: [['abcdefghlmn\n', 'ok\n']],
    counters: { shortFrames: 1, gaps: 1, gapBytes: 3 },
    tsharkAgrees: false,
  });

  // 7. The capture lost the client's last segment, which the server acknowledged; the connection
  // idles out (a packet of another connection moves packet time on) and reports the gap.
  const hole = new Tuple()
    .handshake(0)
    .c(10, C1, S1, PA, 'aaaa')
    .s(12, S1, C1 + 8, ACK);
  const later = new Tuple(40002).handshake(200_000).c(200_010, C1, S1, PA, 'x');
  list.push({
    name: 'idle-acked-hole',
    frames: [...hole.frames, ...later.frames],
    streams: [
      ['aaaa', ''],
      ['x', ''],
    ],
    counters: { connectionsTimedOut: 1, gaps: 1, gapBytes: 4 },
    tsharkAgrees: true,
  });

  // 8. A segment 2^31 + 100 bytes ahead is a sequence jump, not a retransmission.
  const jump = new Tuple()
    .handshake(0)
    .c(10, C1, S1, PA, 'one\n')
    .c(11, C1 + 4 + 2 ** 31 + 100, S1, PA, 'evil')
    .c(12, C1 + 4, S1, PA, 'two\n')
    .s(13, S1, C1 + 8, PA, 'ok\n');
  list.push({
    name: 'sequence-jump',
    frames: jump.frames,
    streams: [['one\ntwo\n', 'ok\n']],
    counters: { sequenceJumps: 1, retransmittedBytes: 0 },
    tsharkAgrees: true,
  });
  return list;
}

/** The frames of a scenario as a classic pcap file in memory. */
export function toPcap(frames: Frame[]): Buffer {
  const w = PcapWriter.memory(LinkType.ETHERNET);
  for (const f of frames) w.write(f);
  return w.toBuffer();
}
