// The names Packetbeat publishes for memcache commands, binary opcodes and status codes, so that
// dashboards built on Packetbeat's memcache.* fields read wirebeat's events unchanged.

/** Packetbeat's command classification (`memcache.request.type` / `memcache.response.type`). */
export type CommandType =
  | 'UNKNOWN'
  | 'Load'
  | 'Store'
  | 'Delete'
  | 'Counter'
  | 'Info'
  | 'SlabCtrl'
  | 'LRUCrawler'
  | 'Stats'
  | 'Success'
  | 'Fail'
  | 'Auth';

/** A binary opcode: its name, the text command it stands for, its class and whether it is quiet. */
export interface OpcodeInfo {
  name: string;
  command: string;
  type: CommandType;
  quiet: boolean;
}

const OPCODES = new Map<number, OpcodeInfo>();
function op(code: number, name: string, command: string, type: CommandType, quiet = false): void {
  OPCODES.set(code, { name, command, type, quiet });
}
op(0x00, 'Get', 'get', 'Load');
op(0x01, 'Set', 'set', 'Store');
op(0x02, 'Add', 'add', 'Store');
op(0x03, 'Replace', 'replace', 'Store');
op(0x04, 'Delete', 'delete', 'Delete');
op(0x05, 'Increment', 'incr', 'Counter');
op(0x06, 'Decrement', 'decr', 'Counter');
op(0x07, 'Quit', 'quit', 'Info');
op(0x08, 'Flush', 'flush_all', 'Delete');
op(0x09, 'GetQ', 'get', 'Load', true);
op(0x0a, 'No-op', 'noop', 'Info');
op(0x0b, 'Version', 'version', 'Info');
op(0x0c, 'GetK', 'get', 'Load');
op(0x0d, 'GetKQ', 'get', 'Load', true);
op(0x0e, 'Append', 'append', 'Store');
op(0x0f, 'Prepend', 'prepend', 'Store');
op(0x10, 'Stat', 'stats', 'Stats');
op(0x11, 'SetQ', 'set', 'Store', true);
op(0x12, 'AddQ', 'add', 'Store', true);
op(0x13, 'ReplaceQ', 'replace', 'Store', true);
op(0x14, 'DeleteQ', 'delete', 'Delete', true);
op(0x15, 'IncrementQ', 'incr', 'Counter', true);
op(0x16, 'DecrementQ', 'decr', 'Counter', true);
op(0x17, 'QuitQ', 'quit', 'Info', true);
op(0x18, 'FlushQ', 'flush_all', 'Delete', true);
op(0x19, 'AppendQ', 'append', 'Store', true);
op(0x1a, 'PrependQ', 'prepend', 'Store', true);
op(0x1b, 'Verbosity', 'verbosity', 'Info');
op(0x1c, 'Touch', 'touch', 'Store');
op(0x1d, 'GAT', 'gat', 'Load');
op(0x1e, 'GATQ', 'gat', 'Load', true);
op(0x20, 'SASL list mechs', 'sasl_list', 'Auth');
op(0x21, 'SASL Auth', 'sasl_auth', 'Auth');
op(0x22, 'SASL Step', 'sasl_step', 'Auth');
op(0x23, 'GatK', 'gat', 'Load');
op(0x24, 'GatKQ', 'gat', 'Load', true);

/** What a binary opcode is; unknown opcodes are named by their value. */
export function opcodeInfo(code: number): OpcodeInfo {
  return (
    OPCODES.get(code) ?? { name: `0x${code.toString(16)}`, command: 'UNKNOWN', type: 'UNKNOWN', quiet: false }
  );
}

const STATUS = new Map<number, string>([
  [0x00, 'Success'],
  [0x01, 'Key not found'],
  [0x02, 'Key exists'],
  [0x03, 'Value too large'],
  [0x04, 'Invalid arguments'],
  [0x05, 'Item not stored'],
  [0x06, 'Incr/Decr on non-numeric value.'],
  [0x07, 'The vbucket belongs to another server'],
  [0x20, 'Authentication error'],
  [0x21, 'Authentication continue'],
  [0x81, 'Unknown command'],
  [0x82, 'Out of memory'],
  [0x83, 'Not supported'],
  [0x84, 'Internal error'],
  [0x85, 'Busy'],
  [0x86, 'Temporary failure'],
]);

/** Packetbeat's text of a binary status code (the number itself when unknown). */
export function statusName(code: number): string {
  return STATUS.get(code) ?? String(code);
}

/** A text request: its class and the shape of its arguments. */
export interface TextCommand {
  type: CommandType;
  /** Arguments: key(s), flags, exptime, bytes, cas, delta, verbosity, raw (rest of the line), meta. */
  args:
    | 'keys'
    | 'gat'
    | 'store'
    | 'cas'
    | 'counter'
    | 'touch'
    | 'key'
    | 'exptime'
    | 'verbosity'
    | 'raw'
    | 'meta'
    | 'metaStore'
    | 'none';
}

/** Text protocol requests (lower-case, as on the wire). */
export const TEXT_COMMANDS = new Map<string, TextCommand>([
  ['get', { type: 'Load', args: 'keys' }],
  ['gets', { type: 'Load', args: 'keys' }],
  ['gat', { type: 'Load', args: 'gat' }],
  ['gats', { type: 'Load', args: 'gat' }],
  ['set', { type: 'Store', args: 'store' }],
  ['add', { type: 'Store', args: 'store' }],
  ['replace', { type: 'Store', args: 'store' }],
  ['append', { type: 'Store', args: 'store' }],
  ['prepend', { type: 'Store', args: 'store' }],
  ['cas', { type: 'Store', args: 'cas' }],
  ['incr', { type: 'Counter', args: 'counter' }],
  ['decr', { type: 'Counter', args: 'counter' }],
  ['touch', { type: 'Store', args: 'touch' }],
  ['delete', { type: 'Delete', args: 'key' }],
  ['flush_all', { type: 'Delete', args: 'exptime' }],
  ['stats', { type: 'Stats', args: 'raw' }],
  ['slabs', { type: 'SlabCtrl', args: 'raw' }],
  ['lru_crawler', { type: 'LRUCrawler', args: 'raw' }],
  ['verbosity', { type: 'Info', args: 'verbosity' }],
  ['version', { type: 'Info', args: 'none' }],
  ['quit', { type: 'Info', args: 'none' }],
  // The meta protocol of memcached 1.6: key, then flags (ms: data length, then a data block).
  ['mg', { type: 'Load', args: 'meta' }],
  ['ms', { type: 'Store', args: 'metaStore' }],
  ['md', { type: 'Delete', args: 'meta' }],
  ['ma', { type: 'Counter', args: 'meta' }],
  ['me', { type: 'Info', args: 'meta' }],
  ['mn', { type: 'Info', args: 'none' }],
]);

/** Text replies of one line: their class (errors carry a message after the word). */
export const TEXT_REPLIES = new Map<string, CommandType>([
  ['STORED', 'Success'],
  ['NOT_STORED', 'Fail'],
  ['EXISTS', 'Success'],
  ['NOT_FOUND', 'Fail'],
  ['TOUCHED', 'Success'],
  ['DELETED', 'Success'],
  ['OK', 'Success'],
  ['ERROR', 'Fail'],
  ['CLIENT_ERROR', 'Fail'],
  ['SERVER_ERROR', 'Fail'],
  ['BUSY', 'Fail'],
  ['BADCLASS', 'Fail'],
  ['NOSPARE', 'Fail'],
  ['NOTFULL', 'Fail'],
  ['UNSAFE', 'Fail'],
  ['SAME', 'Fail'],
  ['VERSION', 'Info'],
  // Meta protocol replies (VA, a value, is read apart: a data block follows it).
  ['HD', 'Success'],
  ['EN', 'Load'],
  ['NF', 'Fail'],
  ['NS', 'Fail'],
  ['EX', 'Fail'],
  ['MN', 'Info'],
  ['ME', 'Info'],
]);

/** Text replies Packetbeat counts as the client's fault (status Error rather than Server Error). */
export const CLIENT_FAULTS = new Set(['CLIENT_ERROR', 'SAME']);
/** Text replies Packetbeat counts as the server's fault. */
export const SERVER_FAULTS = new Set(['SERVER_ERROR', 'BUSY', 'BADCLASS', 'NOSPARE', 'NOTFULL', 'UNSAFE']);
