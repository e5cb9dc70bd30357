// One PostgreSQL connection. The client's messages become requests: each statement of a simple
// Query, each Execute of the extended protocol (its SQL from the Parse of the statement its portal
// was bound to), a Parse never executed, the startup message, SSL/GSS encryption requests and
// cancel requests. The server's messages are folded into one response per result. Requests and
// responses carry their query cycle (everything up to one ReadyForQuery: a Query, or the messages
// up to a Sync) and pair by it, so a cycle that returns fewer results than it has requests (an
// error skips the rest of a Query or pipeline) never shifts the pairing of the next cycle: at
// ReadyForQuery the requests left in the cycle are published alone, as not executed.
import type { ConnectionContext, ConnectionHandler, Direction } from '@wirebeat/applayer';
import { addNote } from '@wirebeat/applayer';
import { fold, isAsync, isResult, newResponse, type RowLimits } from './backend';
import type { PgsqlConfig } from './config';
import { cstring, i32 } from './decode';
import { Framer } from './framer';
import {
  BoundedNames,
  CANCEL_REQUEST_CODE,
  GSSENC_REQUEST_CODE,
  SSL_REQUEST_CODE,
  newRequest,
  protocolVersion,
  startupParams,
} from './frontend';
import type { PgsqlRequest, PgsqlResponse, RequestKind } from './message';
import { requestText, responseText } from './pub';
import { methodOf, splitStatements } from './sql';

/** What the pgsql connection needs of the framework. */
export type PgsqlContext = ConnectionContext<PgsqlRequest, PgsqlResponse, PgsqlConfig>;

/** Notes of pgsql transactions. */
export const PgsqlNotes = {
  encrypted: 'TLS upgrade: the rest of the connection is encrypted and not analysed',
  gssEncrypted: 'GSSAPI encryption: the rest of the connection is encrypted and not analysed',
  skipped: 'not executed: an earlier statement of the query or pipeline failed',
  noResult: 'no result of its own before ReadyForQuery',
  cutShort: 'message bytes lost in a gap in the stream',
  queryCut: 'query text longer than 64 KiB: cut there',
} as const;

/** The key pairing a response with a request: their query cycle. */
export const pairKey = (m: PgsqlRequest | PgsqlResponse): number => m.cycle;

/** The handler of one PostgreSQL connection. */
export class PgsqlConnection implements ConnectionHandler {
  private readonly framers = [new Framer(), new Framer()];
  private readonly sinks: Array<(type: number, body: Uint8Array, size: number, ts: number) => void>;
  private started = false;
  /** Client side: the cycle its next requests belong to, and what the cycle has seen so far. */
  private cycle = 0;
  private executed = false;
  private parses: Array<{ text: string; name: string; size: number; ts: number }> = [];
  /** Client bytes not yet counted in a request (Bind, Describe, Sync...): go to the next one. */
  private carry = 0;
  private last: PgsqlRequest | undefined = undefined;
  private readonly statements: BoundedNames;
  private readonly portals: BoundedNames;
  private user: string | undefined = undefined;
  private database: string | undefined = undefined;
  /** Server side: the cycle it answers (undefined between cycles), the response being built. */
  private current: number | undefined = undefined;
  private unit: PgsqlResponse | undefined = undefined;
  private failed = false;
  private readonly limits: RowLimits;

  /** Created on a connection's first bytes. */
  constructor(private readonly ctx: PgsqlContext) {
    this.statements = new BoundedNames(ctx.config.max_statements);
    this.portals = new BoundedNames(ctx.config.max_statements);
    this.limits = {
      keepRows: ctx.config.send_response,
      maxRows: ctx.config.max_rows,
      maxRowLength: ctx.config.max_row_length,
    };
    this.sinks = [(t, b, s, ts) => this.client(t, b, s, ts), (t, b, s, ts) => this.server(t, b, s, ts)];
  }

  /** In-order bytes of one direction. */
  onData(dir: Direction, payload: Uint8Array, ts: number): void {
    if (payload.length === 0) return;
    if (!this.started && dir === 0) {
      this.started = true;
      // A capture that starts with the connection sees the untyped startup message first (its
      // length's high byte is 0); one that starts later sees typed messages.
      this.framers[0].untyped = payload[0] === 0;
    }
    const f = this.framers[dir];
    if (f.broken) return;
    if (!f.feed(payload, ts, this.sinks[dir])) this.ctx.lost(dir, ts);
  }

  /** A gap inside a long message's skipped body only shortens it; anywhere else the connection is dropped. */
  onGap(dir: Direction, nbytes: number): boolean {
    return this.framers[dir].gap(nbytes);
  }

  /** Bytes held for messages in progress. */
  partialBytes(): number {
    return this.framers[0].buffered + this.framers[1].buffered;
  }

  /** One client message. */
  private client(type: number, body: Uint8Array, size: number, ts: number): void {
    switch (type) {
      case 0:
        return this.untyped(body, size, ts);
      case 0x51: {
        // Q Query: one request per statement; the message's bytes go to the first.
        const text = cstring(body, 0)[0];
        const cycle = this.cycle++;
        let bytes = size + this.carry;
        this.carry = 0;
        const statements = splitStatements(text);
        statements.forEach((s, i) => {
          const req = this.request('statement', s === '' ? '' : methodOf(s), bytes, ts, cycle);
          req.query = s;
          // Only the first KEEP bytes of a longer message are read: its last statement is cut.
          if (i === statements.length - 1 && size > body.length + 5) addNote(req, PgsqlNotes.queryCut);
          bytes = 0;
          this.queue(req);
        });
        return;
      }
      case 0x50: {
        // P Parse: the statement's text, remembered under its name ('' is the unnamed one).
        const [name, next] = cstring(body, 0);
        const text = cstring(body, next)[0];
        this.statements.set(name, text);
        // Parses without Execute or Sync are bounded too: the oldest only counts in the bytes.
        if (this.parses.length >= this.ctx.config.max_statements) this.carry += this.parses.shift()!.size;
        this.parses.push({ text, name, size: size + this.carry, ts });
        this.carry = 0;
        return;
      }
      case 0x42: {
        // B Bind: portal <- statement.
        const [portal, next] = cstring(body, 0);
        this.portals.set(portal, cstring(body, next)[0]);
        this.carry += size;
        return;
      }
      case 0x45: {
        // E Execute
        const name = this.portals.get(cstring(body, 0)[0]);
        const text = name === undefined ? undefined : this.statements.get(name);
        const req = this.request(
          'execute',
          text === undefined ? 'EXECUTE' : methodOf(text),
          0,
          ts,
          this.cycle,
        );
        req.size = req.charged = size + this.carry + this.parses.reduce((n, p) => n + p.size, 0);
        if (this.parses.length > 0) req.ts = this.parses[0].ts;
        this.parses = [];
        this.carry = 0;
        req.query = text;
        if (name) req.statementName = name;
        this.executed = true;
        this.queue(req);
        return;
      }
      case 0x43: {
        // C Close (statement or portal)
        const [name] = cstring(body, 1);
        if (body[0] === 0x53) this.statements.delete(name);
        else this.portals.delete(name);
        this.carry += size;
        return;
      }
      case 0x53: // S Sync: ends the cycle
        this.carry += size;
        return this.sync();
      case 0x46: {
        // F FunctionCall (legacy fast path): a cycle of its own
        const req = this.request('function', 'FUNCTION', size + this.carry, ts, this.cycle++);
        this.carry = 0;
        return this.queue(req);
      }
      case 0x64: // d CopyData, c CopyDone, f CopyFail, p password/SASL: bytes of the request they serve
      case 0x63:
      case 0x66:
      case 0x70:
        if (this.last !== undefined) this.last.size += size;
        return;
      default:
        // D Describe, H Flush, X Terminate...
        this.carry += size;
    }
  }

  /** The client's untyped messages: startup, SSL/GSS encryption requests, cancel requests. */
  private untyped(body: Uint8Array, size: number, ts: number): void {
    const code = i32(body, 0);
    if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) {
      const ssl = code === SSL_REQUEST_CODE;
      this.framers[1].oneByteAnswer = true;
      const req = this.request(
        ssl ? 'ssl' : 'gssenc',
        ssl ? 'SSLREQUEST' : 'GSSENCREQUEST',
        size,
        ts,
        this.cycle++,
      );
      return this.queue(req);
    }
    if (code === CANCEL_REQUEST_CODE) {
      // Sent on a connection of its own, which the server closes without a word.
      return this.ctx.noResponse(this.request('cancel', 'CANCEL', size, ts, this.cycle++));
    }
    const version = protocolVersion(body);
    if (version === undefined) {
      this.framers[0].stop();
      return this.ctx.lost(0, ts);
    }
    this.framers[0].untyped = false;
    const params = startupParams(body);
    this.user = params.get('user');
    this.database = params.get('database') ?? this.user;
    const req = this.request('startup', 'STARTUP', size, ts, this.cycle++);
    req.protocolVersion = version;
    req.application = params.get('application_name');
    this.queue(req);
  }

  /** Sync: a Parse never executed in the cycle is a request of its own (prepared for later). */
  private sync(): void {
    if (!this.executed) {
      for (const p of this.parses) {
        const req = this.request('parse', 'PARSE', p.size, p.ts, this.cycle);
        req.query = p.text;
        if (p.name) req.statementName = p.name;
        this.queue(req);
      }
    }
    if (this.last !== undefined && this.last.cycle === this.cycle) this.last.size += this.carry;
    this.carry = 0;
    this.parses = [];
    this.executed = false;
    this.cycle++;
  }

  private request(kind: RequestKind, method: string, size: number, ts: number, cycle: number): PgsqlRequest {
    const req = newRequest(this.ctx.tuple, kind, method, size, ts, cycle);
    if (this.user !== undefined) req.user = this.user;
    if (this.database !== undefined) req.database = this.database;
    if (this.framers[0].truncated) {
      req.truncated = true;
      addNote(req, PgsqlNotes.cutShort);
    }
    return req;
  }

  private queue(req: PgsqlRequest): void {
    if (this.ctx.config.send_request) req.raw = requestText(req);
    this.last = req;
    this.ctx.request(req);
  }

  /** One server message. */
  private server(type: number, body: Uint8Array, size: number, ts: number): void {
    if (size === 1) return this.encryptionAnswer(type, ts);
    if (type === 0x5a) return this.ready(size);
    if (this.unit === undefined) {
      // Asynchronous messages while no request waits belong to none.
      const waiting = this.current ?? this.ctx.pendingRequest()?.cycle;
      if (waiting === undefined && isAsync(type)) return;
      this.current = waiting ?? -1;
      this.unit = newResponse(this.ctx.tuple, ts, this.current);
    }
    const r = this.unit;
    fold(r, type, body, size, this.limits);
    if (this.framers[1].truncated) {
      r.truncated = true;
      addNote(r, PgsqlNotes.cutShort);
    }
    if (!isResult(type)) return;
    if (r.error !== undefined) this.failed = true;
    this.unit = undefined;
    this.respond(r);
  }

  /** The one byte answering an SSLRequest or GSSENCRequest. */
  private encryptionAnswer(type: number, ts: number): void {
    const cycle = this.current ?? this.ctx.pendingRequest()?.cycle ?? -1;
    const r = newResponse(this.ctx.tuple, ts, cycle);
    r.size = 1;
    r.substantive = true;
    r.encryption = type === 0x4e ? 'refused' : 'accepted';
    if (type !== 0x4e) {
      // The client now speaks TLS (or GSSAPI): nothing more can be read of this connection.
      addNote(r, type === 0x53 ? PgsqlNotes.encrypted : PgsqlNotes.gssEncrypted);
      this.framers[0].stop();
      this.framers[1].stop();
      this.ctx.count('encrypted_connections');
    }
    this.current = undefined;
    this.respond(r);
  }

  /** ReadyForQuery: the cycle is over; its requests without a result of their own are published. */
  private ready(size: number): void {
    const cycle = this.current;
    const unit = this.unit;
    this.unit = undefined;
    this.current = undefined;
    if (cycle === undefined) {
      this.failed = false;
      return;
    }
    if (unit !== undefined && unit.substantive && this.ctx.pendingRequest(cycle) !== undefined) {
      unit.size += size;
      if (unit.error !== undefined) this.failed = true;
      this.respond(unit);
    }
    for (let p = this.ctx.pendingRequest(cycle); p !== undefined; p = this.ctx.pendingRequest(cycle)) {
      if (this.failed) {
        p.skipped = true;
        addNote(p, PgsqlNotes.skipped);
      } else if (p.kind !== 'parse') addNote(p, PgsqlNotes.noResult);
      this.ctx.noResponse(p);
    }
    this.failed = false;
  }

  private respond(r: PgsqlResponse): void {
    if (this.ctx.config.send_response) r.raw = responseText(r);
    this.ctx.response(r);
  }
}
