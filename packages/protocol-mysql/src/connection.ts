// One MySQL connection: the login (server greeting, client handshake response, authentication),
// then commands and their answers. It takes the connection form of defineProtocol because the
// two directions depend on each other: how an answer ends depends on the command it answers and
// on CLIENT_DEPRECATE_EOF agreed at login, and COM_STMT_EXECUTE names a statement prepared earlier
// on the same connection, whose text is remembered here.
import {
  Notes,
  addNote,
  type ConnectionContext,
  type ConnectionHandler,
  type Direction,
} from '@wirebeat/applayer';
import {
  COM_INIT_DB,
  COM_QUERY,
  COM_STMT_CLOSE,
  COM_STMT_EXECUTE,
  COM_STMT_PREPARE,
  commandInfo,
} from './commands';
import type { MysqlConfig } from './config';
import { PacketFramer, type PacketInfo, type PacketSink } from './framer';
import type { MysqlRequest, MysqlResponse } from './message';
import { queryText } from './pub';
import { ResponseReader, type ColumnTypes, type Session } from './response';
import { csvText, binaryValue, binaryValueEnd } from './values';
import { next, nulText, text, uint } from './wire';

/** What the MySQL connection needs of the framework. */
export type MysqlContext = ConnectionContext<MysqlRequest, MysqlResponse, MysqlConfig>;

/** Capability flags of the login that change what follows. */
const CLIENT_COMPRESS = 0x20;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SSL = 0x800;
const CLIENT_DEPRECATE_EOF = 0x1000000;
/** Without it on both sides, MariaDB peers exchange extended capabilities at login. */
const CLIENT_MYSQL = 0x1;
const MARIADB_CLIENT_EXTENDED_METADATA = 0x8;
const MARIADB_CLIENT_CACHE_METADATA = 0x10;

/** Prepared statements remembered per connection (the oldest is forgotten beyond it). */
export const MAX_STATEMENTS = 1024;

/** The note of a COM_STMT_EXECUTE whose statement was prepared before the capture began (Packetbeat's words). */
export const UNKNOWN_STATEMENT_NOTE = 'The actual query being used is unknown';

/** A statement prepared on the connection (with its rows' column types, once seen). */
interface Statement extends ColumnTypes {
  query: string | undefined;
  numParams: number;
  /** Parameter types of the last execute that sent them (type | 0x8000 when unsigned). */
  types?: number[];
  lastUsed: number;
}

type Phase =
  /** Nothing seen yet. */
  | 'start'
  /** The server greeted: the client's handshake response comes next. */
  | 'greeted'
  /** Authentication in progress, up to the server's OK or ERR. */
  | 'auth'
  | 'command'
  /** Not followed any further: TLS, compression, a binlog stream, a refused login. */
  | 'skipped';

/** The handler of one MySQL connection. */
export class MysqlConnection implements ConnectionHandler {
  private readonly framers = [new PacketFramer(), new PacketFramer()];
  private readonly sinks: [PacketSink, PacketSink];
  private phase: Phase = 'start';
  private serverCaps = -1;
  private serverExtCaps = 0;
  /** Column types a COM_STMT_PREPARE answer in progress finds, for the statement it creates. */
  private preparedTypes: ColumnTypes | undefined;
  private compress = false;
  private readonly session: Session;
  private reader: ResponseReader | undefined;
  private readonly statements = new Map<number, Statement>();

  /** Created on a connection's first bytes. */
  constructor(private readonly ctx: MysqlContext) {
    const c = ctx.config;
    this.session = {
      deprecateEof: false,
      cacheMetadata: false,
      extendedMetadata: false,
      keepRows: c.send_response,
      maxRows: c.max_rows,
      maxRowLength: c.max_row_length,
    };
    this.sinks = [(p, info) => this.fromClient(p, info), (p, info) => this.fromServer(p, info)];
  }

  /** In-order bytes of one direction. */
  onData(dir: Direction, payload: Uint8Array, ts: number): void {
    if (this.phase === 'skipped') return;
    this.framers[dir].push(payload, ts, this.sinks[dir]);
  }

  /**
   * A gap inside one packet's payload only shortens it (the packet is marked, framing goes on);
   * one that swallows a header loses the framing of the direction: the connection is dropped and
   * its pending commands are published with a note.
   */
  onGap(dir: Direction, nbytes: number): boolean {
    if (this.phase === 'skipped') return true;
    return this.framers[dir].gap(nbytes, this.sinks[dir]);
  }

  /** The connection is gone: an answer in progress is published as it is. */
  onClose(): void {
    const reader = this.reader;
    if (reader === undefined) return;
    this.reader = undefined;
    reader.msg.truncated = true;
    addNote(reader.msg, Notes.incompleteMessage);
    this.answered(reader.msg);
  }

  /** A packet of the client. */
  private fromClient(p: Uint8Array, info: PacketInfo): void {
    switch (this.phase) {
      case 'start':
        // The capture began after the login: a command starts the command phase.
        if (info.seq === 0 && p.length > 0 && commandInfo(p[0]) !== undefined) {
          this.phase = 'command';
          return this.command(p, info);
        }
        if (info.seq === 1) return this.login(p);
        return;
      case 'greeted':
        return this.login(p);
      case 'command':
        // Packets with another sequence id continue an exchange (LOCAL INFILE data): not commands.
        if (info.seq === 0) this.command(p, info);
        return;
      default:
        return;
    }
  }

  /** A packet of the server. */
  private fromServer(p: Uint8Array, info: PacketInfo): void {
    switch (this.phase) {
      case 'start':
        if (info.seq === 0 && p[0] === 10) return this.greeting(p);
        // Refused before the greeting (too many connections), or a capture begun mid-connection.
        if (info.seq === 0 && p[0] === 0xff) this.phase = 'skipped';
        else this.phase = 'command';
        return;
      case 'auth':
        if (p[0] === 0x00) {
          this.ctx.count('logins');
          // With compression agreed, every later packet is compressed: not followed.
          if (this.compress) {
            this.ctx.count('unanalysed_connections');
            this.skip();
          } else {
            this.phase = 'command';
          }
        } else if (p[0] === 0xff) {
          this.ctx.count('failed_logins');
          this.skip();
        }
        return;
      case 'command':
        return this.answer(p, info);
      default:
        return;
    }
  }

  /** The server greeting (protocol 10): its capabilities. */
  private greeting(p: Uint8Array): void {
    nulText(p, 1);
    // After the version: thread id (4), scramble (8), filler (1), capabilities (2), charset (1),
    // status (2), upper capabilities (2), auth data length (1), reserved (6), and there MariaDB's
    // extended capabilities (4) when it does not claim CLIENT_MYSQL.
    const at = next;
    const low = uint(p, at + 13, 2);
    const high = uint(p, at + 18, 2);
    this.serverCaps = low < 0 ? -1 : low + Math.max(0, high) * 0x10000;
    if (low >= 0 && (low & CLIENT_MYSQL) === 0) this.serverExtCaps = Math.max(0, uint(p, at + 27, 4));
    this.phase = 'greeted';
  }

  /** The client's handshake response, or its SSL request. */
  private login(p: Uint8Array): void {
    const caps = p.length >= 4 ? uint(p, 0, 4) : p.length >= 2 ? uint(p, 0, 2) : 0;
    const server = this.serverCaps < 0 ? 0xffffffff : this.serverCaps;
    const both = (flag: number) => (caps & flag) !== 0 && (server & flag) !== 0;
    // The SSL request is the fixed part of a handshake response alone; TLS follows.
    if ((caps & CLIENT_SSL) !== 0 && p.length === ((caps & CLIENT_PROTOCOL_41) !== 0 ? 32 : 5)) {
      this.ctx.count('tls_connections');
      return this.skip();
    }
    this.session.deprecateEof = both(CLIENT_DEPRECATE_EOF);
    // MariaDB's extended capabilities close the 23-byte filler of a 4.1 handshake response.
    const ext = (caps & CLIENT_MYSQL) === 0 && p.length >= 32 ? uint(p, 28, 4) & this.serverExtCaps : 0;
    this.session.extendedMetadata = (ext & MARIADB_CLIENT_EXTENDED_METADATA) !== 0;
    this.session.cacheMetadata = (ext & MARIADB_CLIENT_CACHE_METADATA) !== 0;
    this.compress = both(CLIENT_COMPRESS);
    this.phase = 'auth';
  }

  /** Stops following the connection: its bytes are skipped from now on. */
  private skip(): void {
    this.phase = 'skipped';
    this.framers[0].reset();
    this.framers[1].reset();
  }

  /** A command: queued for its answer, or (without one) only taken note of. */
  private command(p: Uint8Array, info: PacketInfo): void {
    const cmd = p.length > 0 ? commandInfo(p[0]) : undefined;
    // Not a command: a packet this analyzer cannot place (its answer will be an orphan).
    if (cmd === undefined) return;
    const code = p[0];
    if (cmd.shape === 'stream') {
      this.ctx.count('unanalysed_connections');
      return this.skip();
    }
    if (cmd.shape === 'none') {
      if (code === COM_STMT_CLOSE) this.statements.delete(uint(p, 1, 4));
      return;
    }
    const req: MysqlRequest = {
      ts: info.ts,
      tuple: this.ctx.tuple,
      transport: 'tcp',
      direction: 0,
      isRequest: true,
      size: info.wire,
      command: code,
      commandName: cmd.name,
    };
    if (info.lost) {
      req.truncated = true;
      addNote(req, Notes.messageHitByGap);
    }
    if (code === COM_QUERY || code === COM_STMT_PREPARE) req.query = text(p, 1);
    else if (code === COM_INIT_DB) req.argument = text(p, 1);
    else if (cmd.name === 'FIELD_LIST') req.argument = nulText(p, 1);
    else if (cmd.name.startsWith('STMT_')) this.statementCommand(req, p, info.ts);
    if (this.ctx.config.send_request) req.raw = queryText(req);
    this.ctx.request(req);
  }

  /** COM_STMT_EXECUTE, RESET, FETCH: the statement's text, and an execute's parameters. */
  private statementCommand(req: MysqlRequest, p: Uint8Array, ts: number): void {
    const id = uint(p, 1, 4);
    req.statementId = id;
    const stmt = this.statements.get(id);
    if (stmt === undefined || ts - stmt.lastUsed > this.ctx.config.statement_timeout) {
      this.statements.delete(id);
      addNote(req, UNKNOWN_STATEMENT_NOTE);
      return;
    }
    stmt.lastUsed = ts;
    req.query = stmt.query;
    if (req.command === COM_STMT_EXECUTE) req.params = executeParams(p, stmt);
  }

  /** A packet of the server in the command phase: part of the answer to the oldest command. */
  private answer(p: Uint8Array, info: PacketInfo): void {
    let reader = this.reader;
    if (reader === undefined) {
      // An answer begins with sequence id 1 (the command was 0); anything else, or a packet
      // nobody asked for, belongs to an answer whose command was not seen.
      if (info.seq !== 1 || this.ctx.pending === 0) return;
      const req = this.ctx.pendingRequest();
      const shape = req === undefined ? 'results' : (commandInfo(req.command)?.shape ?? 'results');
      let types: ColumnTypes | undefined;
      if (req?.command === COM_STMT_PREPARE) types = this.preparedTypes = {};
      else if (req?.statementId !== undefined) types = this.statements.get(req.statementId);
      reader = this.reader = new ResponseReader(shape, this.session, this.ctx.tuple, info, types);
    }
    if (!reader.feed(p, info)) return;
    this.reader = undefined;
    this.answered(reader.msg);
    if (reader.rejected) this.answer(p, info);
  }

  /** A complete answer: a prepared statement is remembered, then it is paired with its command. */
  private answered(msg: MysqlResponse): void {
    const req = this.ctx.pendingRequest();
    // A statement a gap cut (its text, or its PREPARE_OK) is not remembered: its executes say
    // their query is unknown.
    if (
      msg.kind === 'prepared' &&
      msg.statementId !== undefined &&
      req?.command === COM_STMT_PREPARE &&
      !req.truncated &&
      !msg.truncated
    ) {
      if (this.statements.size >= MAX_STATEMENTS) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
      this.statements.set(msg.statementId, {
        ...this.preparedTypes,
        query: req.query,
        numParams: msg.numParams ?? 0,
        lastUsed: msg.ts,
      });
    }
    if (this.ctx.config.send_response) msg.raw = csvText(msg.columns, msg.rows);
    this.ctx.response(msg);
  }
}

/**
 * Parameters of COM_STMT_EXECUTE as text: after the statement id, flags and iteration count come
 * the NULL bitmap, the new-params-bound flag, the types (when bound; else those of the previous
 * execute) and the values.
 */
function executeParams(p: Uint8Array, stmt: Statement): string[] | undefined {
  const n = stmt.numParams;
  if (n === 0) return undefined;
  const nullAt = 10;
  let at = nullAt + ((n + 7) >> 3);
  if (at >= p.length) return undefined;
  if (p[at++] === 1) {
    if (at + 2 * n > p.length) return undefined;
    stmt.types = [];
    for (let i = 0; i < n; i++) stmt.types.push(p[at + 2 * i] | ((p[at + 2 * i + 1] & 0x80) << 8));
    at += 2 * n;
  }
  const types = stmt.types;
  if (types === undefined) return undefined;
  const values: string[] = [];
  for (let i = 0; i < n; i++) {
    if ((p[nullAt + (i >> 3)] & (1 << (i & 7))) !== 0) {
      values.push('NULL');
      continue;
    }
    const v = binaryValue(p, at, types[i] & 0xff, (types[i] & 0x8000) !== 0);
    if (v === undefined) break;
    values.push(v);
    at = binaryValueEnd();
  }
  return values;
}
