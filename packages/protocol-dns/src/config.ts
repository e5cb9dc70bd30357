// Options of the DNS analyzer (defineProtocol adds the shared ones).
import { z } from 'zod';
import type { DefinedConfig } from '@wirebeat/applayer';

/** DNS servers listen on 53. */
export const DNS_DEFAULT_PORTS = [53];

const BOOLEAN = 'expected true or false';

/**
 * DNS's own options, as Packetbeat's (besides the shared `enabled`, `ports`, `send_request`,
 * `send_response`, `transaction_timeout` and `max_pending_requests`):
 * - `include_authorities` (false): publish the authority records as `dns.authorities`;
 * - `include_additionals` (false): publish the additional records as `dns.additionals`.
 */
export const dnsOptions = {
  include_authorities: z.boolean({ error: BOOLEAN }).default(false),
  include_additionals: z.boolean({ error: BOOLEAN }).default(false),
};

/** Validated DNS options, defaults applied (transaction_timeout in ms). */
export type DnsConfig = DefinedConfig<typeof dnsOptions>;
