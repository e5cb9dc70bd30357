// The commands a client sends (the first byte of a packet with sequence id 0 after login), and the
// shape of the answer each one gets: what the response reader needs to know where it ends.

/** How the server answers a command. */
export type ResponseShape =
  /** OK, ERR, EOF, or result sets (text rows), possibly several (SERVER_MORE_RESULTS_EXISTS). */
  | 'results'
  /** As results, with binary rows (COM_STMT_EXECUTE). */
  | 'binary-results'
  /** COM_STMT_PREPARE: PREPARE_OK, parameter and column definitions, or ERR. */
  | 'prepare'
  /** COM_FIELD_LIST: column definitions up to EOF, or ERR. */
  | 'field-list'
  /** COM_STMT_FETCH: binary rows up to EOF, or ERR. */
  | 'fetch'
  /** One packet of any kind (COM_STATISTICS answers with a line of text). */
  | 'one-packet'
  /** An authentication exchange ending in OK or ERR (COM_CHANGE_USER). */
  | 'auth'
  /** No answer at all (COM_QUIT, COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA). */
  | 'none'
  /** The server streams from then on (binlog dumps): the connection is not followed further. */
  | 'stream';

/** One command: its name (COM_ without the prefix) and its answer. */
export interface CommandInfo {
  name: string;
  shape: ResponseShape;
}

export const COM_QUIT = 0x01;
export const COM_INIT_DB = 0x02;
export const COM_QUERY = 0x03;
export const COM_PING = 0x0e;
export const COM_STMT_PREPARE = 0x16;
export const COM_STMT_EXECUTE = 0x17;
export const COM_STMT_SEND_LONG_DATA = 0x18;
export const COM_STMT_CLOSE = 0x19;

const TABLE: Record<number, CommandInfo> = {
  0x01: { name: 'QUIT', shape: 'none' },
  0x02: { name: 'INIT_DB', shape: 'results' },
  0x03: { name: 'QUERY', shape: 'results' },
  0x04: { name: 'FIELD_LIST', shape: 'field-list' },
  0x05: { name: 'CREATE_DB', shape: 'results' },
  0x06: { name: 'DROP_DB', shape: 'results' },
  0x07: { name: 'REFRESH', shape: 'results' },
  0x08: { name: 'SHUTDOWN', shape: 'results' },
  0x09: { name: 'STATISTICS', shape: 'one-packet' },
  0x0a: { name: 'PROCESS_INFO', shape: 'results' },
  0x0c: { name: 'PROCESS_KILL', shape: 'results' },
  0x0d: { name: 'DEBUG', shape: 'results' },
  0x0e: { name: 'PING', shape: 'results' },
  0x11: { name: 'CHANGE_USER', shape: 'auth' },
  0x12: { name: 'BINLOG_DUMP', shape: 'stream' },
  0x13: { name: 'TABLE_DUMP', shape: 'results' },
  0x15: { name: 'REGISTER_SLAVE', shape: 'results' },
  0x16: { name: 'STMT_PREPARE', shape: 'prepare' },
  0x17: { name: 'STMT_EXECUTE', shape: 'binary-results' },
  0x18: { name: 'STMT_SEND_LONG_DATA', shape: 'none' },
  0x19: { name: 'STMT_CLOSE', shape: 'none' },
  0x1a: { name: 'STMT_RESET', shape: 'results' },
  0x1b: { name: 'SET_OPTION', shape: 'results' },
  0x1c: { name: 'STMT_FETCH', shape: 'fetch' },
  0x1e: { name: 'BINLOG_DUMP_GTID', shape: 'stream' },
  0x1f: { name: 'RESET_CONNECTION', shape: 'results' },
  // MariaDB's bulk execute (several parameter sets at once) answers as an execute does.
  0xfa: { name: 'STMT_BULK_EXECUTE', shape: 'binary-results' },
};

/** The command of first byte `code`, undefined when it is none. */
export function commandInfo(code: number): CommandInfo | undefined {
  return TABLE[code];
}
