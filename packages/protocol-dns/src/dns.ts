// The DNS analyzer on applayer's defineProtocol: UDP and TCP on port 53, queries and responses
// paired by id (a resolver may answer out of order, and one UDP flow may carry several queries at
// once) and proved by their question (one id may be asked twice with different questions).
import { defineProtocol } from '@wirebeat/applayer';
import { DNS_DEFAULT_PORTS, dnsOptions, type DnsConfig } from './config';
import { DnsConfigError } from './errors';
import { dnsFields } from './fields';
import { answers, type DnsMsg } from './message';
import { TcpDnsParser, UdpDnsParser } from './parser';
import { dnsTransaction } from './pub';

/** The DNS protocol module: pass it to runBeat({ protocols: [dnsProtocol] }). */
export const dnsProtocol = defineProtocol<typeof dnsOptions, DnsMsg, DnsMsg>({
  name: 'dns',
  description:
    'DNS over UDP and TCP: queries and responses paired by id and question, every common record type, EDNS.',
  ports: DNS_DEFAULT_PORTS,
  transports: ['udp', 'tcp'],
  options: dnsOptions,
  fields: dnsFields,
  parser: (direction, tuple, config) => {
    const opts = { tuple, direction, withText: direction === 0 ? config.send_request : config.send_response };
    return tuple.transport === 'udp' ? new UdpDnsParser(opts) : new TcpDnsParser(opts);
  },
  pairBy: (msg) => msg.dns.id,
  match: answers,
  transaction: dnsTransaction,
});

/** The strict schema of the DNS options (shared ones included, defaults applied). */
export const dnsConfigSchema = dnsProtocol.configSchema;

/** Validates raw DNS options; throws DnsConfigError naming each bad option and what it expects. */
export const parseDnsConfig = (raw: unknown = {}): DnsConfig =>
  dnsProtocol.parseConfig(raw, (message) => new DnsConfigError(message));
