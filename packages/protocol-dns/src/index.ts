// Public API of @wirebeat/protocol-dns.
export { dnsProtocol, dnsConfigSchema, parseDnsConfig } from './dns';
export { decodeDnsMessage, opcodeOf, rcodeOf, HEADER_SIZE } from './decode/message';
export type { DnsMessage, DnsFlags, DnsQuestion, DnsRecord } from './decode/message';
export type { DnsOpt } from './decode/edns';
export { readName, NameError } from './decode/names';
export { typeName, className, opcodeName, rcodeName } from './decode/types';
export { DnsError, DnsMessageTooShortError, DnsConfigError } from './errors';
export { TcpDnsParser, UdpDnsParser } from './parser';
export type { DnsMsg } from './message';
export type { ParserOptions } from './parser';
export { DnsNotes, answers, questionKey } from './message';
export { dnsTransaction, dnsObject, messageText, resolvedIps } from './pub';
export { domainParts } from './domain';
export type { DomainParts } from './domain';
export { dnsFields } from './fields';
export { DNS_DEFAULT_PORTS, dnsOptions } from './config';
export type { DnsConfig } from './config';
