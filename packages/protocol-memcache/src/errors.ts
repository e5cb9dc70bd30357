// Errors of @wirebeat/protocol-memcache.
import { WirebeatError } from '@wirebeat/applayer';

/** Base class of every memcache analyzer error. */
export class MemcacheError extends WirebeatError {}

/** The memcache protocol options are invalid; the message names the option and the expected value. */
export class MemcacheConfigError extends MemcacheError {}
