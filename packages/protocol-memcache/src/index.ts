// Public API of @wirebeat/protocol-memcache.
export { memcacheProtocol, memcacheConfigSchema, parseMemcacheConfig } from './memcache';
export { MemcacheStreamParser, MemcacheDatagramParser, UDP_HEADER } from './parser';
export { TextParser, TextNotes, MAX_TEXT_LINE } from './text-parser';
export { BinaryParser, BinaryNotes, MAGIC_REQUEST, MAGIC_RESPONSE } from './binary-parser';
export type { MemcacheLimits } from './stamp';
export type { MemcacheMessage, MemcacheStat } from './message';
export { MemcacheConnection, pairKey } from './trans';
export type { MemcacheContext } from './trans';
export { memcacheTransaction, memcacheStatus, messageFields, rawText, expectsNoReply } from './pub';
export { memcacheFields } from './fields';
export { MEMCACHE_DEFAULT_PORTS, memcacheOptions } from './config';
export type { MemcacheConfig } from './config';
export { opcodeInfo, statusName } from './codes';
export type { CommandType, OpcodeInfo } from './codes';
export { MemcacheError, MemcacheConfigError } from './errors';
