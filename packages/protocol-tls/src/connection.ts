// One TLS connection: a side parser per direction, and one event per handshake. The event is
// published when both directions have turned encrypted (the handshake is established), or, as
// Packetbeat does, when either side finishes, a gap hits the handshake, or the connection ends.
import { addNote, type ConnectionContext, type ConnectionHandler, type Direction } from '@wirebeat/applayer';
import type { TlsConfig } from './config';
import { SideParser } from './decode/side-parser';
import { TlsNotes, type TlsMessage } from './message';

/** What the TLS connection needs of the framework. */
export type TlsContext = ConnectionContext<TlsMessage, TlsMessage, TlsConfig>;

/** The handler of one TLS connection. */
export class TlsConnection implements ConnectionHandler {
  private parsers: [SideParser | undefined, SideParser | undefined] = [undefined, undefined];
  /** The handshake's event is out: the rest of the connection is not read. */
  private published = false;
  private notes: string[] = [];

  /** Whether the server's hello (a HelloRetryRequest included) chose TLS 1.3. */
  private readonly tls13 = (): boolean => {
    for (const p of this.parsers) {
      const h = p?.side.hello;
      if (h !== undefined && !h.client) return (h.ext.versions?.[0] ?? h.version) >= 0x0304;
    }
    return false;
  };

  /** Created on a connection's first bytes. */
  constructor(private readonly ctx: TlsContext) {}

  /** In-order bytes of one direction. */
  onData(dir: Direction, payload: Uint8Array, ts: number): void {
    if (this.published) return;
    const p = (this.parsers[dir] ??= new SideParser(this.tls13));
    if (p.push(payload, ts)) return;
    const failure = p.records.failure;
    if (failure !== undefined)
      this.note(failure === 'not a TLS record' ? TlsNotes.notTls : TlsNotes.tooLarge);
    if (this.parsers[0]?.side.encrypted === true && this.parsers[1]?.side.encrypted === true) this.publish();
  }

  /** A gap in a direction still in clear ends the handshake's analysis: its event is published. */
  onGap(dir: Direction): boolean {
    const p = this.parsers[dir];
    if (this.published || p?.side.encrypted === true || p?.records.failure !== undefined) return true;
    this.note(TlsNotes.gap);
    this.publish();
    return false;
  }

  /** The sender of `dir` finished: the handshake is over, however far it went. */
  onFin(): void {
    this.publish();
  }

  /** The connection is gone. */
  onClose(): void {
    this.publish();
  }

  /** Bytes held for records and handshake messages cut short. */
  partialBytes(): number {
    return this.published ? 0 : (this.parsers[0]?.records.held ?? 0) + (this.parsers[1]?.records.held ?? 0);
  }

  private note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** Publishes the handshake's event once, when either side showed something. */
  private publish(): void {
    if (this.published) return;
    this.published = true;
    let [client, server] = this.parsers;
    // A TLS connection may stay open for hours after its handshake: its certificates and buffers go.
    this.parsers = [undefined, undefined];
    // The side that sent a ServerHello is the server, whatever the ports said.
    if (client?.side.hello?.client === false || server?.side.hello?.client === true)
      [client, server] = [server, client];
    if (client?.hasInfo !== true && server?.hasInfo !== true) return;
    const endTs = Math.max(client?.lastTs ?? 0, server?.lastTs ?? 0);
    const req = client === undefined ? undefined : this.message(client, 0, client.firstTs!);
    const resp = server === undefined ? undefined : this.message(server, 1, endTs);
    for (const note of this.notes) addNote(req ?? resp!, note);
    for (const m of [req, resp])
      if (m !== undefined && m.side.malformed.length > 0) addNote(m, TlsNotes.malformed);
    const established = client?.side.encrypted === true && server?.side.encrypted === true;
    if (!established && this.notes.length === 0 && !hasFatalAlert(req, resp))
      addNote(req ?? resp!, TlsNotes.incomplete);
    if (req === undefined) return this.ctx.response(resp!);
    if (resp === undefined) return this.ctx.noResponse(req);
    this.ctx.request(req);
    this.ctx.response(resp);
  }

  private message(p: SideParser, dir: Direction, ts: number): TlsMessage {
    return {
      ts,
      tuple: this.ctx.tuple,
      transport: 'tcp',
      direction: dir,
      isRequest: dir === 0,
      size: p.records.consumed,
      side: p.side,
    };
  }
}

/** Whether either side sent a fatal alert in clear. */
function hasFatalAlert(...msgs: Array<TlsMessage | undefined>): boolean {
  return msgs.some((m) => m?.side.alerts.some((a) => a.level === 2) === true);
}
