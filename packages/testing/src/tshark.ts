// Independent views of a capture, from Wireshark's tshark rather than wirebeat's own reader and
// reassembler: golden events are checked against them (see CONTRIBUTING.md, "Golden files").
// Times are kept as nanoseconds since the epoch (bigint): a pcapng capture may hold nanoseconds,
// which a double of milliseconds cannot.
import { execFileSync } from 'node:child_process';
import { TestingError } from './errors';

/** tshark is missing or failed on a capture. */
export class TsharkError extends TestingError {}

/** Runs tshark with `args`; its stdout. A missing tshark is a TsharkError saying how to install it. */
export function runTshark(args: string[]): string {
  try {
    return execFileSync('tshark', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 28,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string; stdout?: string };
    // A capture cut short still gives every packet before the cut, as wirebeat's reader does.
    if (typeof e.stdout === 'string' && /cut short in the middle of a packet/.test(String(e.stderr)))
      return e.stdout;
    if (e.code === 'ENOENT')
      throw new TsharkError('tshark is needed to check golden files (bash scripts/install-deps.sh)');
    throw new TsharkError(`tshark ${args.join(' ')} failed: ${String(e.stderr ?? e.message).trim()}`);
  }
}

/** `1795954255.421630000` (tshark's frame.time_epoch) as nanoseconds since the epoch, exactly. */
export function epochToNs(text: string): bigint {
  const [sec, frac = ''] = text.split('.');
  return BigInt(sec) * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9));
}

/** Nanoseconds since the epoch as an event's ISO timestamp (milliseconds, truncated). */
export function nsToIso(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString();
}

/** Nanoseconds since the epoch as an ISO-8601 time with all nine fractional digits (date_nanos). */
export function nsToIsoNanos(ns: bigint): string {
  const second = new Date(Number(ns / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
  return `${second}.${String(ns % 1_000_000_000n).padStart(9, '0')}Z`;
}

/** An endpoint of a connection. */
export interface TsharkEndpoint {
  ip: string;
  port: number;
}

/** Bytes of one direction that arrived together (one TCP segment, retransmitted bytes removed). */
export interface TsharkChunk {
  /** Offset of the first byte in the direction's stream (gaps included). */
  offset: number;
  /** Capture time of the segment, ns since the epoch. */
  tsNs: bigint;
  bytes: Buffer;
  /** Bytes missing (not captured) right before this chunk. */
  gapBefore: number;
}

/** One TCP connection as tshark sees it (`tcp.stream`). */
export interface TsharkStream {
  stream: number;
  client: TsharkEndpoint;
  server: TsharkEndpoint;
  /** Whether the SYN was captured (else the client is the side not on a server port). */
  handshake: boolean;
  toServer: TsharkChunk[];
  toClient: TsharkChunk[];
}

const FIELDS = [
  'tcp.stream',
  'frame.time_epoch',
  'ip.src',
  'ipv6.src',
  'tcp.srcport',
  'ip.dst',
  'ipv6.dst',
  'tcp.dstport',
  'tcp.flags.syn',
  'tcp.flags.ack',
  'tcp.seq',
  'tcp.len',
  'tcp.payload',
];

interface DirState {
  next?: number;
  chunks: TsharkChunk[];
  length: number;
}

/**
 * Every TCP connection of a capture with the bytes each side sent, from tshark's fields: the client
 * is the SYN's sender, or the side not on one of `serverPorts`. Retransmitted bytes are kept once;
 * bytes missing from the capture (snaplen, lost frames) are counted as a gap before the next chunk.
 */
export function tsharkTcpStreams(capture: string, serverPorts: number[]): TsharkStream[] {
  const args = ['-r', capture, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=|'];
  for (const f of FIELDS) args.push('-e', f);
  const streams = new Map<number, TsharkStream & { dirs: [DirState, DirState] }>();
  for (const line of runTshark(args).split('\n')) {
    if (line === '') continue;
    const [stream, time, ip4s, ip6s, sport, ip4d, ip6d, dport, syn, ack, seqRaw, len, payload] =
      line.split('|');
    const src = { ip: ip4s || ip6s, port: Number(sport) };
    const dst = { ip: ip4d || ip6d, port: Number(dport) };
    let s = streams.get(Number(stream));
    if (s === undefined) {
      const isSyn = syn === '1' && ack === '0';
      const srcIsClient = isSyn || (syn === '1' ? false : !serverPorts.includes(src.port));
      s = {
        stream: Number(stream),
        client: srcIsClient ? src : dst,
        server: srcIsClient ? dst : src,
        handshake: syn === '1',
        toServer: [],
        toClient: [],
        dirs: [
          { chunks: [], length: 0 },
          { chunks: [], length: 0 },
        ],
      };
      streams.set(s.stream, s);
    }
    const toServer = src.ip === s.client.ip && src.port === s.client.port;
    const dir = s.dirs[toServer ? 0 : 1];
    const seq = Number(seqRaw) + (syn === '1' ? 1 : 0);
    const size = Number(len);
    if (dir.next === undefined) dir.next = seq;
    if (size === 0) continue;
    const captured = Buffer.from(payload ?? '', 'hex');
    // Relative sequence numbers (tshark's default) do not wrap in captures this short.
    const skip = Math.max(0, dir.next - seq);
    if (skip >= size) continue;
    const gapBefore = Math.max(0, seq - dir.next);
    const bytes = captured.subarray(Math.min(skip, captured.length));
    const offset = dir.length + gapBefore;
    dir.chunks.push({ offset, tsNs: epochToNs(time), bytes, gapBefore });
    // What the snaplen cut off is missing too: it shows as a gap before the next chunk.
    dir.length = offset + bytes.length;
    dir.next = seq + size;
    if (bytes.length < size - skip) dir.next = seq + skip + bytes.length;
  }
  return [...streams.values()].map(({ dirs, ...s }) => ({
    ...s,
    toServer: dirs[0].chunks,
    toClient: dirs[1].chunks,
  }));
}

/** A line of one direction: its text (newline excluded), size on the wire, first byte's time. */
export interface TsharkLine {
  text: string;
  size: number;
  tsNs: bigint;
  /** Bytes of the line were missing from the capture. */
  damaged: boolean;
}

/**
 * The newline-terminated lines of one direction. A gap ends the line it hits (what was seen of it
 * is a damaged line) and the bytes after it, up to the next newline, are a damaged line too.
 */
export function tsharkLines(chunks: TsharkChunk[]): TsharkLine[] {
  const lines: TsharkLine[] = [];
  let current: { parts: Buffer[]; size: number; tsNs: bigint; damaged: boolean } | undefined;
  const flush = () => {
    if (current === undefined) return;
    const text = Buffer.concat(current.parts).toString('utf8');
    lines.push({ text, size: current.size, tsNs: current.tsNs, damaged: true });
    current = undefined;
  };
  let afterGap = false;
  for (const chunk of chunks) {
    if (chunk.gapBefore > 0) {
      flush();
      afterGap = true;
    }
    let pos = 0;
    while (pos < chunk.bytes.length) {
      current ??= { parts: [], size: 0, tsNs: chunk.tsNs, damaged: afterGap };
      afterGap = false;
      const nl = chunk.bytes.indexOf(10, pos);
      const end = nl < 0 ? chunk.bytes.length : nl + 1;
      current.parts.push(chunk.bytes.subarray(pos, end));
      current.size += end - pos;
      pos = end;
      if (nl >= 0) {
        const text = Buffer.concat(current.parts).toString('utf8');
        lines.push({
          text: text.slice(0, -1),
          size: current.size,
          tsNs: current.tsNs,
          damaged: current.damaged,
        });
        current = undefined;
      }
    }
  }
  return lines;
}

/** One row per packet matching `filter`, one string per field (tshark's `-T fields`; lists comma-separated). */
export function tsharkFields(capture: string, filter: string, fields: string[]): string[][] {
  const args = ['-r', capture, '-Y', filter, '-T', 'fields', '-E', 'separator=|'];
  for (const f of fields) args.push('-e', f);
  return runTshark(args)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('|'));
}

/** Capture time of every frame (by frame number), ns since the epoch. */
export function tsharkFrameTimes(capture: string): Map<number, bigint> {
  const times = new Map<number, bigint>();
  for (const [n, t] of tsharkFields(capture, 'frame', ['frame.number', 'frame.time_epoch']))
    times.set(Number(n), epochToNs(t));
  return times;
}

/**
 * The fields of `event` at the paths `like` has (nested objects followed), so that an event can be
 * compared with what an independent derivation knows of it: `expect(fieldsLike(e, want)).toEqual(want)`.
 */
export function fieldsLike(
  event: Record<string, unknown>,
  like: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(like)) {
    const g = event[k];
    out[k] =
      v !== null && typeof v === 'object' && !Array.isArray(v) && g !== null && typeof g === 'object'
        ? fieldsLike(g as Record<string, unknown>, v as Record<string, unknown>)
        : g;
  }
  return out;
}
