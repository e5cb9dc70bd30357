// Errors of @wirebeat/protocol-dns.
import { WirebeatError } from '@wirebeat/core';

/** Base class of every DNS analyzer error. */
export class DnsError extends WirebeatError {}

/** Bytes that are not a DNS message (shorter than the 12-byte header). */
export class DnsMessageTooShortError extends DnsError {}

/** The DNS protocol options are invalid; the message names the option and the expected value. */
export class DnsConfigError extends DnsError {}
