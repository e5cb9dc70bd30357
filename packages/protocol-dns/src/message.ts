// The message the DNS parsers emit: the framework's metadata around one decoded DNS message.
import type { Message } from '@wirebeat/applayer';
import type { DnsMessage } from './decode/message';

/** One DNS query or response as the framework carries it. */
export interface DnsMsg extends Message {
  dns: DnsMessage;
  /** The first question as `name type class` (name lower-cased), computed once by the parser. */
  question: string | undefined;
}

/** Notes specific to DNS messages. */
export const DnsNotes = {
  notDns: 'bytes that are not a DNS message: the rest of this TCP direction is not analysed',
  malformed: 'malformed DNS message',
  /** Packetbeat's note on a UDP message over 512 bytes without EDNS (informational). */
  udpTooLarge: 'Non-EDNS packet has size greater than 512 bytes',
} as const;

/** A message's first question as one string (names compare case-blind); undefined without one. */
export function questionKey(dns: DnsMessage): string | undefined {
  const q = dns.questions[0];
  return q === undefined ? undefined : `${q.name.toLowerCase()} ${q.type} ${q.class}`;
}

/**
 * Whether `response` answers `request` (their ids being equal): same question, or none in the
 * response (servers may leave it out of FORMERR and other error answers).
 */
export function answers(request: DnsMsg, response: DnsMsg): boolean {
  return response.question === undefined || response.question === request.question;
}
