// One memcache connection (TCP) or flow (UDP): a parser per direction, and the requests that get
// no reply. Pairing itself is the framework's, by the key pairKey() gives: the opaque in the
// binary protocol, the request id over UDP; text over TCP pairs in order. A request that
// expects no reply (noreply, quiet binary commands, text quit) is published alone (ctx.noResponse)
// as soon as the server is seen to have passed it by: a text one when it reaches the head of the
// queue, a quiet binary one when a reply to a later request arrives.
import type { ConnectionContext, ConnectionHandler, Direction } from '@wirebeat/applayer';
import type { MemcacheConfig } from './config';
import type { MemcacheMessage } from './message';
import { MemcacheDatagramParser, MemcacheStreamParser } from './parser';
import { rawText } from './pub';

/** What the memcache connection needs of the framework. */
export type MemcacheContext = ConnectionContext<MemcacheMessage, MemcacheMessage, MemcacheConfig>;

/** The key that pairs a reply with its request; text over TCP has none (replies come in order). */
export function pairKey(msg: MemcacheMessage): number | undefined {
  if (msg.transport === 'udp') return msg.udpRequestId;
  if (msg.binary) return msg.opaque;
  return undefined;
}

/** A text request the server never answers. */
const silentText = (m: MemcacheMessage) => !m.binary && (m.noreply === true || m.command === 'quit');

/** The handler of one memcache connection or flow. */
export class MemcacheConnection implements ConnectionHandler {
  private readonly parsers: [
    MemcacheStreamParser | MemcacheDatagramParser,
    MemcacheStreamParser | MemcacheDatagramParser,
  ];
  private readonly emit: [(m: MemcacheMessage) => void, (m: MemcacheMessage) => void];
  private readonly udp: boolean;
  /** Directions given up (their parser met bytes it cannot follow). */
  private readonly stopped = [false, false];

  /** Created on a connection's first bytes (or a flow's first datagram). */
  constructor(private readonly ctx: MemcacheContext) {
    const limits = { maxKeys: ctx.config.max_keys, maxStats: ctx.config.max_stats };
    this.udp = ctx.tuple.transport === 'udp';
    const P = this.udp ? MemcacheDatagramParser : MemcacheStreamParser;
    this.parsers = [new P(ctx.tuple, 0, limits), new P(ctx.tuple, 1, limits)];
    this.emit = [(m) => this.request(m), (m) => this.reply(m)];
  }

  /** Bytes (TCP) or one datagram (UDP) of one direction. */
  onData(dir: Direction, payload: Uint8Array, ts: number): void {
    if (this.stopped[dir]) return;
    const p = this.parsers[dir];
    if (p instanceof MemcacheDatagramParser) {
      const before = p.malformed;
      p.parse(payload, ts, this.emit[dir]);
      if (p.malformed !== before) this.ctx.count('malformed_datagrams');
      return;
    }
    if (p.parse(payload, ts, this.emit[dir])) return;
    // Not memcache, or a line over the limit: the message in progress is lost, and so is the rest.
    this.stopped[dir] = true;
    this.ctx.lost(dir, ts);
  }

  /**
   * A gap inside a value only shortens it; anywhere else the direction cannot find its footing
   * again (text values may hold anything, binary lengths are lost) and the connection is dropped:
   * its pending requests are published with status Error and a note.
   */
  onGap(dir: Direction, nbytes: number): boolean {
    const p = this.parsers[dir];
    return p instanceof MemcacheStreamParser && p.gap(nbytes);
  }

  /** The sender of `dir` finished: what it left incomplete is published as it is. */
  onFin(dir: Direction): void {
    this.parsers[dir].flush(this.emit[dir]);
    this.passSilent(true);
  }

  /** The connection or flow is gone: requests that expected no reply are complete. */
  onClose(): void {
    this.parsers[1].flush(this.emit[1]);
    this.passSilent(true);
  }

  /** A request: queued under its key; one the server never answers is answered at once if it can be. */
  private request(msg: MemcacheMessage): void {
    if (this.ctx.config.send_request) msg.raw = rawText(msg);
    // A UDP request's id is its own: a datagram that will never be answered is complete now.
    if (this.udp && msg.noreply === true) return this.ctx.noResponse(msg);
    this.ctx.request(msg);
    if (!this.udp) this.passSilent(false);
  }

  /** A reply: the silent requests it shows were passed by are answered first, then it is paired. */
  private reply(msg: MemcacheMessage): void {
    if (this.ctx.config.send_response) msg.raw = rawText(msg);
    if (!this.udp) {
      if (msg.binary) this.passQuiet(pairKey(msg));
      else this.passSilent(false);
    }
    this.ctx.response(msg);
    if (!this.udp && !msg.binary) this.passSilent(false);
  }

  /** Text requests at the head of the queue that get no reply are complete (at the end: quiet ones too). */
  private passSilent(ending: boolean): void {
    for (let p = this.ctx.pendingRequest(); p !== undefined; p = this.ctx.pendingRequest()) {
      if (!(silentText(p) || (ending && p.quiet === true))) return;
      this.ctx.noResponse(p);
    }
  }

  /** A binary reply with key `key` came: quiet requests sent before its request got no reply. */
  private passQuiet(key: number | undefined): void {
    for (let p = this.ctx.pendingRequest(); p !== undefined; p = this.ctx.pendingRequest()) {
      if (p.quiet !== true || pairKey(p) === key) return;
      this.ctx.noResponse(p);
    }
  }
}
