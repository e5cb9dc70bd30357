// Test helpers: a consumer that records what it receives, and a frame shorthand.
import {
  buildTcpFrame,
  decodeFrame,
  DecodedPacket,
  LinkType,
  readAllFrames,
  TcpFlags,
  type TcpFrameSpec,
} from '../src/index';
import type { CloseReason, Direction, Frame, StreamConsumer, TcpConnection } from '../src/index';

/** Everything a consumer saw of one connection. */
export interface RecordedConnection {
  conn: TcpConnection;
  streams: [Buffer[], Buffer[]];
  events: string[];
  closed?: CloseReason;
}

/** A StreamConsumer that copies every delivery, for assertions. */
export class RecordingConsumer implements StreamConsumer {
  readonly conns: RecordedConnection[] = [];
  /** Payloads handed over that were not plain Uint8Arrays (the hot path expects one kind of byte array). */
  otherKinds = 0;
  private readonly byId = new Map<number, RecordedConnection>();
  constructor(private readonly onOpen?: (conn: TcpConnection) => void) {}

  onConnectionOpen(conn: TcpConnection): void {
    const r: RecordedConnection = { conn, streams: [[], []], events: ['open'] };
    this.conns.push(r);
    this.byId.set(conn.id, r);
    this.onOpen?.(conn);
  }
  onData(conn: TcpConnection, dir: Direction, data: Uint8Array): void {
    const r = this.get(conn);
    if (data.constructor !== Uint8Array) this.otherKinds++;
    r.streams[dir].push(Buffer.from(data));
    r.events.push(`data${dir}:${Buffer.from(data).toString('latin1')}`);
  }
  onGap(conn: TcpConnection, dir: Direction, n: number): void {
    const r = this.get(conn);
    r.events.push(`gap${dir}:${n}`);
  }
  onFin(conn: TcpConnection, dir: Direction): void {
    this.get(conn).events.push(`fin${dir}`);
  }
  onConnectionClose(conn: TcpConnection, reason: CloseReason): void {
    const r = this.get(conn);
    r.events.push(`close:${reason}`);
    r.closed = reason;
  }
  /** The bytes delivered in one direction, concatenated. */
  stream(i: number, dir: Direction): string {
    return Buffer.concat(this.conns[i].streams[dir]).toString('latin1');
  }
  private get(conn: TcpConnection): RecordedConnection {
    const r = this.byId.get(conn.id);
    if (!r) throw new Error(`callback for unknown connection ${conn.id}`);
    return r;
  }
}

export const { SYN, ACK, FIN, RST, PSH } = TcpFlags;

/** A frame at time `ts` built from `spec` (Ethernet unless spec.linktype says otherwise). */
export function frame(ts: number, spec: TcpFrameSpec): Frame {
  const data = buildTcpFrame(spec);
  return { ts, linktype: spec.linktype ?? LinkType.ETHERNET, data, origLen: data.length };
}

/** Builds client/server frames of one IPv4 connection with relative sequence numbers. */
export class Conversation {
  constructor(
    readonly client = '10.0.0.2',
    readonly server = '10.0.0.1',
    readonly cport = 40000,
    readonly sport = 3030,
    readonly cisn = 1000,
    readonly sisn = 5000,
  ) {}
  /** Client-to-server frame: `rel` is the offset in the client stream (0 = first data byte). */
  c(
    ts: number,
    rel: number,
    payload: string | Uint8Array = '',
    flags = payload.length ? PSH | ACK : ACK,
  ): Frame {
    const isn = flags & SYN ? this.cisn - 1 : this.cisn;
    return frame(ts, {
      src: this.client,
      dst: this.server,
      srcPort: this.cport,
      dstPort: this.sport,
      seq: (isn + rel) >>> 0,
      ack: flags & ACK ? this.sisn : 0,
      flags,
      payload,
    });
  }
  /** Server-to-client frame; `ack` is a client stream offset. */
  s(
    ts: number,
    rel: number,
    payload: string | Uint8Array = '',
    flags = payload.length ? PSH | ACK : ACK,
    ack = 0,
  ): Frame {
    const isn = flags & SYN ? this.sisn - 1 : this.sisn;
    return frame(ts, {
      src: this.server,
      dst: this.client,
      srcPort: this.sport,
      dstPort: this.cport,
      seq: (isn + rel) >>> 0,
      ack: (this.cisn + ack) >>> 0,
      flags,
      payload,
    });
  }
}

/** FIN and RST segments on `port` in a capture file that is still being written, and whether the last one is a FIN. */
export async function closingSegments(
  file: string,
  port: number,
): Promise<{ fins: number; rsts: number; lastIsFin: boolean }> {
  const { frames } = await readAllFrames(file).catch(() => ({ frames: [] as Frame[] }));
  const p = new DecodedPacket();
  let fins = 0;
  let rsts = 0;
  let lastIsFin = false;
  for (const f of frames) {
    if (decodeFrame(f.data, f.linktype, p, f.origLen) !== 0 || (p.srcPort !== port && p.dstPort !== port))
      continue;
    lastIsFin = (p.flags & FIN) !== 0;
    if (p.flags & FIN) fins++;
    if (p.flags & RST) rsts++;
  }
  return { fins, rsts, lastIsFin };
}

/**
 * Waits until the capture (written by tcpdump -U or our own capture) shows what `done` asks of its
 * closing segments: polls the file as it grows, up to `ms` (a capture that misses packets under
 * load ends the wait at the deadline; the test's comparison then covers the shorter streams).
 */
export async function waitForClosingSegments(
  file: string,
  port: number,
  done: (s: { fins: number; rsts: number; lastIsFin: boolean }) => boolean,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !done(await closingSegments(file, port)))
    await new Promise((r) => setTimeout(r, 50));
}
