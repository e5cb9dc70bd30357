// Synthetic TCP conversations: the frames of a handshake, data in both directions and a close,
// built with tcp-reassembly's frame builder and written with its PcapWriter. Generated protocol
// packages make their sample capture with this, so they need neither root nor tcpdump.
import fs from 'node:fs';
import { LinkType, PcapWriter, TcpFlags, buildTcpFrame } from '@wirebeat/tcp-reassembly';
import type { Frame } from '@wirebeat/tcp-reassembly';
import { ConversationSpecError } from './errors';
import { seededRandom } from './split';

/** One side of a connection. */
export interface Endpoint {
  ip: string;
  port: number;
}

/** A message sent by one side; `segments` cuts it into TCP segments of those sizes (default: one). */
export interface ConversationMessage {
  from: 'client' | 'server';
  data: Uint8Array | string;
  segments?: number[];
}

/** A TCP connection to synthesise. Defaults give a valid IPv4 conversation on Ethernet. */
export interface ConversationSpec {
  /** Default 10.0.0.2:40000. */
  client?: Endpoint;
  /** Required: the server's port decides which protocol gets the stream. Default ip 10.0.0.1. */
  server: Partial<Endpoint> & { port: number };
  /** Time of the SYN in ms since the epoch; default 2026-01-01T00:00:00Z. */
  start?: number;
  /** Time between consecutive packets in ms; default 1. */
  stepMs?: number;
  messages: ConversationMessage[];
  /** How the connection ends: FIN from both sides (default), RST from the client, or not at all. */
  close?: 'fin' | 'rst' | 'none';
  /** Initial sequence numbers; defaults chosen so that nothing wraps. */
  clientIsn?: number;
  serverIsn?: number;
}

/** Default start time of synthetic conversations: 2026-01-01T00:00:00Z. */
export const DEFAULT_CONVERSATION_START = Date.UTC(2026, 0, 1);

const ENCODER = new TextEncoder();

/** The frames of one conversation, in wire order, each with its own buffer. */
export function buildConversation(spec: ConversationSpec): Frame[] {
  const client = spec.client ?? { ip: '10.0.0.2', port: 40000 };
  const server = { ip: spec.server.ip ?? '10.0.0.1', port: spec.server.port };
  const step = spec.stepMs ?? 1;
  let ts = spec.start ?? DEFAULT_CONVERSATION_START;
  let clientSeq = (spec.clientIsn ?? 1000) >>> 0;
  let serverSeq = (spec.serverIsn ?? 5000) >>> 0;
  const frames: Frame[] = [];
  const emit = (fromClient: boolean, flags: number, payload?: Uint8Array): void => {
    const data = buildTcpFrame({
      src: fromClient ? client.ip : server.ip,
      dst: fromClient ? server.ip : client.ip,
      srcPort: fromClient ? client.port : server.port,
      dstPort: fromClient ? server.port : client.port,
      seq: fromClient ? clientSeq : serverSeq,
      ack: flags & TcpFlags.ACK ? (fromClient ? serverSeq : clientSeq) : 0,
      flags,
      payload,
    });
    frames.push({ ts, linktype: LinkType.ETHERNET, data, origLen: data.length });
    ts += step;
    const advance = (payload?.length ?? 0) + (flags & (TcpFlags.SYN | TcpFlags.FIN) ? 1 : 0);
    if (fromClient) clientSeq = (clientSeq + advance) >>> 0;
    else serverSeq = (serverSeq + advance) >>> 0;
  };
  emit(true, TcpFlags.SYN);
  emit(false, TcpFlags.SYN | TcpFlags.ACK);
  emit(true, TcpFlags.ACK);
  for (const message of spec.messages) {
    if (message.from !== 'client' && message.from !== 'server') {
      throw new ConversationSpecError(
        `message sender must be "client" or "server", got ${String(message.from)}`,
      );
    }
    const bytes = typeof message.data === 'string' ? ENCODER.encode(message.data) : message.data;
    const sizes = message.segments ?? [bytes.length];
    if (
      sizes.some((n) => !(Number.isInteger(n) && n > 0)) ||
      sizes.reduce((a, b) => a + b, 0) !== bytes.length
    ) {
      throw new ConversationSpecError(
        `segment sizes [${sizes.join(', ')}] must be positive and add up to the message length ${bytes.length}`,
      );
    }
    let offset = 0;
    for (const size of sizes) {
      emit(message.from === 'client', TcpFlags.PSH | TcpFlags.ACK, bytes.subarray(offset, offset + size));
      offset += size;
    }
  }
  if ((spec.close ?? 'fin') === 'fin') {
    emit(true, TcpFlags.FIN | TcpFlags.ACK);
    emit(false, TcpFlags.FIN | TcpFlags.ACK);
    emit(true, TcpFlags.ACK);
  } else if (spec.close === 'rst') {
    emit(true, TcpFlags.RST | TcpFlags.ACK);
  }
  return frames;
}

/** Frames of several conversations merged in time order (stable for equal timestamps). */
export function mergeConversations(conversations: Frame[][]): Frame[] {
  return conversations
    .flat()
    .map((frame, index) => ({ frame, index }))
    .sort((a, b) => a.frame.ts - b.frame.ts || a.index - b.index)
    .map(({ frame }) => frame);
}

/** A classic pcap (Ethernet, microseconds) of the frames; written to `path` too when given. */
export function writeCapture(frames: Frame[], path?: string): Buffer {
  const writer = PcapWriter.memory(LinkType.ETHERNET, 65535);
  for (const frame of frames) writer.write(frame);
  writer.close();
  const bytes = writer.toBuffer();
  if (path !== undefined) fs.writeFileSync(path, bytes);
  return bytes;
}

/** Options of disorderFrames; indexes select the frames that may move (default: all but a handshake and a close). */
export interface DisorderOptions {
  /** Frames repeated right after themselves or later (retransmissions); default 2. */
  duplicates?: number;
  /** Adjacent frames swapped (reordering on the wire); default 2. */
  swaps?: number;
  /** First index that may move; default 3 (after SYN, SYN-ACK, ACK). */
  from?: number;
  /** End of the movable range (exclusive); default length - 3 (before FIN, FIN, ACK). */
  to?: number;
}

/**
 * The frames with some duplicated and some neighbours swapped, chosen from a seed: what a real
 * network does to segments, which the reassembler must undo so the protocol sees the same bytes.
 */
export function disorderFrames(frames: Frame[], seed: number, opts: DisorderOptions = {}): Frame[] {
  const next = seededRandom(seed);
  const from = opts.from ?? 3;
  const to = opts.to ?? frames.length - 3;
  const out = [...frames];
  const span = to - from;
  if (span < 2) return out;
  let end = to;
  for (let i = 0; i < (opts.duplicates ?? 2); i++) {
    const at = from + Math.floor(next() * (end - from));
    const again = at + 1 + Math.floor(next() * (end - at));
    out.splice(again, 0, out[at]);
    end++;
  }
  for (let i = 0; i < (opts.swaps ?? 2); i++) {
    const at = from + Math.floor(next() * (end - from - 1));
    [out[at], out[at + 1]] = [out[at + 1], out[at]];
  }
  return out;
}
