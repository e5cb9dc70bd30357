// Reads the server's answer to one command, packet by packet, and says when it is complete: an OK,
// an ERR, or result sets (column count, column definitions, [EOF], rows, EOF or the OK that
// replaces it with CLIENT_DEPRECATE_EOF), chained while SERVER_MORE_RESULTS_EXISTS is set; the
// answer to COM_STMT_PREPARE (PREPARE_OK, parameter and column definitions); and the few
// commands answered otherwise. How the answer ends depends on the command: the reader is made
// for one.
import { Notes, addNote, type TcpTuple } from '@wirebeat/applayer';
import type { ResponseShape } from './commands';
import type { PacketInfo } from './framer';
import type { MysqlResponse } from './message';
import { binaryValue, binaryValueEnd, limitRow } from './values';
import { lenenc, lenencText, next, skipLenenc, text, uint } from './wire';

/** SERVER_MORE_RESULTS_EXISTS in the status flags of an EOF or OK: another result follows. */
const MORE_RESULTS = 0x0008;
/** SERVER_STATUS_CURSOR_EXISTS: the rows of an execute stay on the server until fetched. */
const CURSOR_EXISTS = 0x0040;
/** Column flag of unsigned integers. */
const UNSIGNED_FLAG = 0x0020;
/** MariaDB's progress report: an ERR packet with this code that does not end the answer. */
const PROGRESS_REPORT = 0xffff;

/** Column types of a prepared statement's rows, kept for answers that omit their definitions. */
export interface ColumnTypes {
  types?: number[];
  unsigned?: boolean[];
}

/** What the connection shares with its response readers. */
export interface Session {
  /** CLIENT_DEPRECATE_EOF was agreed at login (or seen since): no EOF after definitions. */
  deprecateEof: boolean;
  /** MariaDB's MARIADB_CLIENT_CACHE_METADATA: column counts say whether definitions follow. */
  cacheMetadata: boolean;
  /** MariaDB's MARIADB_CLIENT_EXTENDED_METADATA: column definitions carry extended type info. */
  extendedMetadata: boolean;
  /** Keep column names and rows (send_response). */
  keepRows: boolean;
  maxRows: number;
  maxRowLength: number;
}

const enum State {
  First,
  Columns,
  ColumnsEof,
  Rows,
  PrepareParams,
  PrepareParamsEof,
  PrepareColumns,
  PrepareColumnsEof,
  FieldList,
  Auth,
}

// Packets are told apart by their first byte and whole length (a packet hit by a gap is shorter
// than its length, never without its first byte: see PacketFramer.gap).
/** An OK packet (header 0x00 and at least affected rows, insert id, status and warnings). */
const isOk = (p: Uint8Array, info: PacketInfo) => info.length >= 7 && p[0] === 0x00;
/** A classic EOF packet. */
const isEof = (p: Uint8Array, info: PacketInfo) => info.length < 9 && p[0] === 0xfe;
/** An ERR packet. */
const isErr = (p: Uint8Array, info: PacketInfo) => info.length >= 3 && p[0] === 0xff;

/** The answer to one command, as it arrives. */
export class ResponseReader {
  readonly msg: MysqlResponse;
  private state: State;
  private readonly binary: boolean;
  private left = 0;
  private preparedColumns = 0;
  /** Still in the first result set (the one whose columns are published). */
  private firstResult = true;
  private types: number[] = [];
  private unsigned: boolean[] = [];
  private width = 0;
  /** The packet that completed the answer is not part of it (it begins the next answer). */
  rejected = false;

  /**
   * A reader for the answer to a command answered as `shape`, starting with its first packet's
   * info; `statement` keeps the column types of a prepared statement's rows.
   */
  constructor(
    private readonly shape: ResponseShape,
    private readonly session: Session,
    tuple: TcpTuple,
    info: PacketInfo,
    private readonly statement?: ColumnTypes,
  ) {
    this.binary = shape === 'binary-results' || shape === 'fetch';
    this.state = shape === 'field-list' ? State.FieldList : shape === 'auth' ? State.Auth : State.First;
    this.msg = {
      ts: info.ts,
      tuple,
      transport: 'tcp',
      direction: 1,
      isRequest: false,
      size: 0,
      kind: shape === 'field-list' ? 'fields' : 'other',
      affectedRows: 0,
      insertId: 0,
      numFields: 0,
      numRows: 0,
    };
  }

  /** One more packet of the answer; true when the answer is complete. */
  feed(p: Uint8Array, info: PacketInfo): boolean {
    const msg = this.msg;
    msg.size += info.wire;
    if (info.lost) {
      msg.truncated = true;
      addNote(msg, Notes.messageHitByGap);
    }
    for (;;) {
      switch (this.state) {
        case State.First:
          return this.first(p, info);
        case State.Columns:
          this.column(p);
          if (--this.left > 0) return false;
          if (this.binary) this.keepTypes();
          this.state = this.session.deprecateEof ? State.Rows : State.ColumnsEof;
          return false;
        case State.ColumnsEof:
          this.state = State.Rows;
          // An execute that opened a cursor ends here: its rows come with COM_STMT_FETCH.
          if (isEof(p, info)) return this.binary && (uint(p, 3, 2) & CURSOR_EXISTS) !== 0;
          // No EOF where one was expected: the login (not seen) agreed on CLIENT_DEPRECATE_EOF.
          this.session.deprecateEof = true;
          continue;
        case State.Rows:
          return this.row(p, info);
        case State.PrepareParams:
          if (--this.left > 0) return false;
          return this.afterPrepareParams();
        case State.PrepareParamsEof:
          if (isEof(p, info)) return this.prepareColumns();
          // No EOF where one was expected: the login (not seen) agreed on CLIENT_DEPRECATE_EOF.
          this.session.deprecateEof = true;
          if (this.prepareColumns()) return this.reject(info);
          continue;
        case State.PrepareColumns:
          this.column(p);
          if (--this.left > 0) return false;
          this.keepTypes();
          if (this.session.deprecateEof) return true;
          this.state = State.PrepareColumnsEof;
          return false;
        case State.PrepareColumnsEof:
          if (isEof(p, info)) return true;
          this.session.deprecateEof = true;
          return this.reject(info);
        case State.FieldList:
          if (isErr(p, info)) return this.error(p);
          if (p[0] === 0xfe && info.length < 0xffffff) return true;
          this.msg.numFields++;
          this.column(p);
          return false;
        case State.Auth:
          if (isErr(p, info)) return this.error(p);
          if (isOk(p, info)) return this.ok(p);
          return false;
      }
    }
  }

  /** The first packet of a result (of several with SERVER_MORE_RESULTS_EXISTS). */
  private first(p: Uint8Array, info: PacketInfo): boolean {
    const msg = this.msg;
    if (isErr(p, info)) return uint(p, 1, 2) === PROGRESS_REPORT ? false : this.error(p);
    if (this.shape === 'one-packet') return true;
    if (this.shape === 'prepare') {
      if (!isOk(p, info) || info.length < 12) return true;
      msg.kind = 'prepared';
      msg.statementId = uint(p, 1, 4);
      this.preparedColumns = uint(p, 5, 2);
      msg.numFields = this.preparedColumns;
      msg.numParams = uint(p, 7, 2);
      this.left = msg.numParams;
      if (this.left > 0) {
        this.state = State.PrepareParams;
        return false;
      }
      return this.prepareColumns();
    }
    if (this.shape === 'fetch') {
      // The rows of a cursor: their columns were described by the execute that opened it.
      this.types = this.statement?.types ?? [];
      this.unsigned = this.statement?.unsigned ?? [];
      this.width = msg.numFields = this.types.length;
      this.state = State.Rows;
      return this.row(p, info);
    }
    if (isOk(p, info)) return this.ok(p);
    if (isEof(p, info)) {
      if (msg.kind === 'other') msg.kind = 'eof';
      return true;
    }
    // LOCAL INFILE: the client sends the file, then the server answers with OK or ERR.
    if (p[0] === 0xfb) return false;
    const count = lenenc(p, 0);
    // With MariaDB's metadata cache, a byte after the count says whether definitions follow.
    const cached = this.session.cacheMetadata && p[next] === 0;
    if (count <= 0 || next + (this.session.cacheMetadata ? 1 : 0) !== info.length) return true;
    if (this.firstResult) {
      msg.kind = 'resultset';
      msg.numFields = count;
      if (this.session.keepRows && !cached) msg.columns = [];
    }
    this.left = count;
    this.width = count;
    this.types = [];
    this.unsigned = [];
    if (cached) {
      this.types = this.statement?.types ?? [];
      this.unsigned = this.statement?.unsigned ?? [];
      this.state = State.Rows;
    } else {
      this.state = State.Columns;
    }
    return false;
  }

  /** The column types just read are the statement's from now on. */
  private keepTypes(): void {
    if (this.statement === undefined) return;
    this.statement.types = this.types;
    this.statement.unsigned = this.unsigned;
  }

  /** An OK packet: affected rows, insert id and whether more results follow. */
  private ok(p: Uint8Array): boolean {
    const msg = this.msg;
    if (msg.kind === 'other') msg.kind = 'ok';
    const affected = lenenc(p, 1);
    if (affected > 0) msg.affectedRows += affected;
    const insertId = affected >= 0 ? lenenc(p, next) : -1;
    if (insertId > 0) msg.insertId = insertId;
    const status = insertId >= 0 ? uint(p, next, 2) : 0;
    return this.endResult(status);
  }

  /** An ERR packet ends the answer: `SQLSTATE: message` as Packetbeat gives it. */
  private error(p: Uint8Array): boolean {
    const msg = this.msg;
    msg.kind = 'error';
    const code = uint(p, 1, 2);
    if (code >= 0) msg.errorCode = code;
    msg.errorMessage = p[3] === 0x23 ? `${text(p, 4, 9)}: ${text(p, 9)}` : text(p, 3);
    return true;
  }

  /** One column definition: its table (Packetbeat's path), name and type. */
  private column(p: Uint8Array): void {
    if (!skipLenenc(p, 0)) return;
    const schema = lenencText(p, next);
    if (schema === undefined) return;
    const table = lenencText(p, next);
    if (table === undefined || !skipLenenc(p, next)) return;
    const name = lenencText(p, next);
    if (name === undefined || !skipLenenc(p, next)) return;
    if (this.session.extendedMetadata && !skipLenenc(p, next)) return;
    // Fixed part: its length (0x0c), charset (2), column length (4), type (1), flags (2).
    const type = uint(p, next + 7, 1);
    const flags = uint(p, next + 8, 2);
    const msg = this.msg;
    if (this.firstResult) {
      if (table) {
        const qualified = schema ? `${schema}.${table}` : table;
        if (msg.tables === undefined) msg.tables = qualified;
        else if (!msg.tables.split(', ').includes(qualified)) msg.tables += `, ${qualified}`;
      }
      msg.columns?.push(name ?? '');
    }
    this.types.push(type);
    this.unsigned.push(flags >= 0 && (flags & UNSIGNED_FLAG) !== 0);
  }

  /** A row, or the EOF / OK that ends the rows, or an ERR in their midst. */
  private row(p: Uint8Array, info: PacketInfo): boolean {
    const msg = this.msg;
    // A row may begin with 0xfe too (a string of 16 MB or more): the end is told by its length.
    if (p[0] === 0xfe && (this.session.deprecateEof ? info.length < 0xffffff : info.length < 9)) {
      if (msg.kind === 'other') msg.kind = 'resultset';
      const status = this.session.deprecateEof ? this.okStatus(p) : uint(p, 3, 2);
      return this.endResult(status);
    }
    if (isErr(p, info)) return this.error(p);
    msg.numRows++;
    const rows = msg.rows ?? (this.session.keepRows && this.firstResult ? (msg.rows = []) : undefined);
    if (rows !== undefined && rows.length < this.session.maxRows && this.firstResult) {
      rows.push(limitRow(this.binary ? this.binaryRow(p) : this.textRow(p), this.session.maxRowLength));
    }
    return false;
  }

  /** Status flags of the OK packet (header 0xfe) that ends rows with CLIENT_DEPRECATE_EOF. */
  private okStatus(p: Uint8Array): number {
    if (lenenc(p, 1) < 0 || lenenc(p, next) < 0) return 0;
    return Math.max(0, uint(p, next, 2));
  }

  /** The end of one result: the answer is complete unless another result follows. */
  private endResult(status: number): boolean {
    if (status < 0 || (status & MORE_RESULTS) === 0) return true;
    this.firstResult = this.firstResult && this.msg.kind !== 'resultset';
    this.state = State.First;
    return false;
  }

  /** A text-protocol row: length-encoded strings, 0xfb for NULL. */
  private textRow(p: Uint8Array): string[] {
    const values: string[] = [];
    let at = 0;
    for (let i = 0; i < this.width; i++) {
      const v = lenencText(p, at, true);
      if (v === undefined) break;
      values.push(v ?? 'NULL');
      at = next;
    }
    return values;
  }

  /** A binary-protocol row: header 0x00, NULL bitmap (offset 2), values by column type. */
  private binaryRow(p: Uint8Array): string[] {
    const values: string[] = [];
    let at = 1 + ((this.width + 9) >> 3);
    for (let i = 0; i < this.width; i++) {
      const bit = i + 2;
      if ((p[1 + (bit >> 3)] & (1 << (bit & 7))) !== 0) {
        values.push('NULL');
        continue;
      }
      const v = binaryValue(p, at, this.types[i] ?? 0xfd, this.unsigned[i] ?? false);
      if (v === undefined) break;
      values.push(v);
      at = binaryValueEnd();
    }
    return values;
  }

  /** The answer ended before this packet, which begins the next one. */
  private reject(info: PacketInfo): boolean {
    this.msg.size -= info.wire;
    this.rejected = true;
    return true;
  }

  /** Parameter definitions are read: their EOF, or the column definitions, or the end. */
  private afterPrepareParams(): boolean {
    if (!this.session.deprecateEof) {
      this.state = State.PrepareParamsEof;
      return false;
    }
    return this.prepareColumns();
  }

  /** The column definitions of a prepared statement come next, if it has any. */
  private prepareColumns(): boolean {
    this.left = this.preparedColumns;
    if (this.left === 0) return true;
    this.state = State.PrepareColumns;
    return false;
  }
}
