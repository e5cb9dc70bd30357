// The messages of the MySQL analyzer: one command of the client, and the whole answer of the
// server to it (an OK, an error, or result sets with their columns and rows).
import type { Message } from '@wirebeat/applayer';

/** One command (a packet with sequence id 0 in the command phase). */
export interface MysqlRequest extends Message {
  /** The command byte (COM_QUERY = 3 ...). */
  command: number;
  /** Its name without COM_ (QUERY, STMT_EXECUTE ...). */
  commandName: string;
  /** The SQL text: the query, the statement prepared, or the one a prepared statement runs. */
  query?: string;
  /** The text argument of COM_INIT_DB (a database) and COM_FIELD_LIST (a table). */
  argument?: string;
  /** The statement a COM_STMT_EXECUTE / CLOSE / RESET / FETCH works on. */
  statementId?: number;
  /** Parameters of COM_STMT_EXECUTE, as text. */
  params?: string[];
}

/** What the server answered. */
export type ResponseKind = 'ok' | 'error' | 'eof' | 'resultset' | 'prepared' | 'fields' | 'other';

/** The whole answer to one command. */
export interface MysqlResponse extends Message {
  kind: ResponseKind;
  affectedRows: number;
  insertId: number;
  /** Columns of the (first) result set, columns of a prepared statement, or of COM_FIELD_LIST. */
  numFields: number;
  /** Rows of every result set of the answer. */
  numRows: number;
  errorCode?: number;
  /** `SQLSTATE: message`, as Packetbeat publishes it. */
  errorMessage?: string;
  /** Tables the columns come from, `db.table`, comma-separated (Packetbeat's `path`). */
  tables?: string;
  /** Column names (kept only when the response text is published). */
  columns?: string[];
  /** The first max_rows rows, each cut at max_row_length bytes (only when the response text is published). */
  rows?: string[][];
  /** COM_STMT_PREPARE: the statement id and its parameter count. */
  statementId?: number;
  numParams?: number;
}
