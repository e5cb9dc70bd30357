// The memcache analyzer (text and binary, TCP and UDP) on applayer's defineProtocol. It takes the
// connection form: requests that expect no reply are completed by the connection, which alone
// sees when the server has passed them by.
import { defineProtocol } from '@wirebeat/applayer';
import { MEMCACHE_DEFAULT_PORTS, memcacheOptions, type MemcacheConfig } from './config';
import { MemcacheConfigError } from './errors';
import { memcacheFields } from './fields';
import type { MemcacheMessage } from './message';
import { memcacheTransaction } from './pub';
import { MemcacheConnection, pairKey } from './trans';

/** The memcache protocol module: pass it to runBeat({ protocols: [memcacheProtocol] }). */
export const memcacheProtocol = defineProtocol<typeof memcacheOptions, MemcacheMessage, MemcacheMessage>({
  name: 'memcache',
  description: 'memcached text and binary protocols over TCP and UDP: multi-get, quiet commands, stats.',
  ports: MEMCACHE_DEFAULT_PORTS,
  transports: ['tcp', 'udp'],
  options: memcacheOptions,
  fields: memcacheFields,
  pairBy: pairKey,
  // UDP datagrams too short for the frame header, or with an impossible one.
  counters: ['malformed_datagrams'],
  connection: (ctx) => new MemcacheConnection(ctx),
  transaction: memcacheTransaction,
});

/** The strict schema of the memcache options (shared ones included, defaults applied). */
export const memcacheConfigSchema = memcacheProtocol.configSchema;

/** Validates raw memcache options; throws MemcacheConfigError naming each bad option and what it expects. */
export const parseMemcacheConfig = (raw: unknown = {}): MemcacheConfig =>
  memcacheProtocol.parseConfig(raw, (message) => new MemcacheConfigError(message));
