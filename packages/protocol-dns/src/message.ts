// The message the DNS parsers emit: the framework's metadata around one decoded DNS message.
import type { Message } from '@wirebeat/applayer';
import type { DnsMessage } from './decode/message';

/** One DNS query or response as the framework carries it. */
export interface DnsMsg extends Message {
  dns: DnsMessage;
  /** The pairing key (id and question), computed once by the parser. */
  key: string;
}

/** Notes specific to DNS messages. */
export const DnsNotes = {
  notDns: 'bytes that are not a DNS message: the rest of this TCP direction is not analysed',
  malformed: 'malformed DNS message',
} as const;

/** The pairing key of a message: its id and first question (names compare case-blind). */
export function pairingKey(dns: DnsMessage): string {
  const q = dns.questions[0];
  return q === undefined ? `${dns.id}` : `${dns.id} ${q.name.toLowerCase()} ${q.type} ${q.class}`;
}
