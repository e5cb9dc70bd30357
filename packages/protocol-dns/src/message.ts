// The message the DNS parsers emit: the framework's metadata around one decoded DNS message.
import type { Message } from '@wirebeat/applayer';
import type { DnsMessage } from './decode/message';

/** One DNS query or response as the framework carries it. */
export interface DnsMsg extends Message {
  dns: DnsMessage;
}

/** Notes specific to DNS messages. */
export const DnsNotes = {
  notDns: 'bytes that are not a DNS message: the rest of this TCP direction is not analysed',
  malformed: 'malformed DNS message',
} as const;

/** The pairing key of a query or response: its id and first question (names compare case-blind). */
export function pairingKey(msg: DnsMsg): string {
  const q = msg.dns.questions[0];
  return q === undefined ? `${msg.dns.id}` : `${msg.dns.id} ${q.name.toLowerCase()} ${q.type} ${q.class}`;
}
