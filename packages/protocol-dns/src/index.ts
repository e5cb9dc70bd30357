// Public API of @wirebeat/protocol-dns.
export { decodeDnsMessage, opcodeOf, rcodeOf, HEADER_SIZE } from './decode/message';
export type { DnsMessage, DnsFlags, DnsQuestion, DnsRecord } from './decode/message';
export type { DnsOpt } from './decode/edns';
export { readName, NameError } from './decode/names';
export { typeName, className, opcodeName, rcodeName } from './decode/types';
export { DnsError, DnsMessageTooShortError, DnsConfigError } from './errors';
