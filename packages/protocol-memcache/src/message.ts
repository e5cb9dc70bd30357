// The memcache message the parsers emit: one request, or one whole reply (a multi-get's VALUE
// lines up to END, and a stats listing, are one reply).
import type { Message } from '@wirebeat/applayer';
import type { CommandType } from './codes';

/** One `name value` line of a stats reply. */
export interface MemcacheStat {
  name: string;
  value: string;
}

/** One memcache request or reply, text or binary, with what Packetbeat publishes of it. */
export interface MemcacheMessage extends Message {
  /** Binary protocol (else text). */
  binary: boolean;
  /** Packetbeat's command name: the text command (`get`, `set`...) or reply word (`VALUE`, `STORED`...). */
  command: string;
  type: CommandType;
  /** Keys named (requests) or returned (replies). */
  keys?: string[];
  /** Values carried (data blocks); bytes is their total size. */
  countValues?: number;
  bytes?: number;
  flags?: number;
  exptime?: number;
  casUnique?: number;
  noreply?: boolean;
  delta?: number;
  initial?: number;
  /** Counter value of an incr/decr reply. */
  value?: number;
  verbosity?: number;
  /** Arguments of stats, slabs and lru_crawler, as sent. */
  rawArgs?: string;
  /** The whole line of an unknown command. */
  line?: string;
  errorMsg?: string;
  version?: string;
  stats?: MemcacheStat[];
  /** Binary protocol header. */
  opcode?: string;
  opcodeValue?: number;
  opaque?: number;
  vbucket?: number;
  quiet?: boolean;
  status?: string;
  statusCode?: number;
  /** UDP frame header: the request id shared by a request and the datagrams of its reply. */
  udpRequestId?: number;
}
