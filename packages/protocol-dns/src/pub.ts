// DNS transaction events: Packetbeat's dns.* (from the response, or the query when alone), the
// ECS additions, and the top-level method, query and resource.
import type { Transaction, TransactionSummary } from '@wirebeat/applayer';
import type { DnsConfig } from './config';
import type { DnsMessage, DnsRecord } from './decode/message';
import { opcodeName, rcodeName } from './decode/types';
import { domainParts } from './domain';
import type { DnsMsg } from './message';

/** ECS header flag names, in header order. */
const HEADER_FLAGS: Array<[keyof DnsMessage['flags'], string]> = [
  ['authoritative', 'AA'],
  ['truncated_response', 'TC'],
  ['recursion_desired', 'RD'],
  ['recursion_available', 'RA'],
  ['authentic_data', 'AD'],
  ['checking_disabled', 'CD'],
];

/** Options pub needs. */
type PubConfig = Pick<DnsConfig, 'include_authorities' | 'include_additionals'>;

/** Status, `dns` object and top-level method, query and resource of one DNS transaction. */
export function dnsTransaction(
  { request: req, response: resp, notes }: Transaction<DnsMsg, DnsMsg>,
  config: PubConfig,
): TransactionSummary {
  const shown = (resp ?? req)!.dns;
  const fields = dnsObject(shown, resp !== undefined, config);
  const asked = (req ?? resp)!.dns;
  const q = asked.questions[0];
  const root: Record<string, string> = { method: opcodeName(asked.opcode) };
  if (q !== undefined) {
    root.query = `class ${q.class}, type ${q.type}, ${q.name}`;
    root.resource = q.name;
  }
  // Notes on a message are informational (as Packetbeat's), except a message decoded only in part.
  const ok =
    req !== undefined &&
    resp !== undefined &&
    resp.dns.rcode === 0 &&
    notes === undefined &&
    req.dns.malformed === undefined &&
    resp.dns.malformed === undefined;
  const answered = resp?.dns.answers;
  const relatedIps = answered === undefined ? [] : resolvedIps(answered);
  return { status: ok ? 'OK' : 'Error', fields, root, ...(relatedIps.length > 0 ? { relatedIps } : {}) };
}

/** The `dns` object of a message (a response, or a query seen alone). */
export function dnsObject(m: DnsMessage, answered: boolean, config: PubConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: answered ? 'answer' : 'query',
    id: m.id,
    op_code: opcodeName(m.opcode),
    flags: m.flags,
    header_flags: headerFlags(m),
    response_code: rcodeName(m.rcode),
  };
  const q = m.questions[0];
  if (q !== undefined) out.question = { name: q.name, type: q.type, class: q.class, ...domainParts(q.name) };
  if (m.opt !== undefined) out.opt = m.opt;
  out.answers_count = m.answers.length;
  if (m.answers.length > 0) {
    out.answers = m.answers;
    const ips = resolvedIps(m.answers);
    if (ips.length > 0) out.resolved_ip = ips;
  }
  out.authorities_count = m.authorities.length;
  if (config.include_authorities && m.authorities.length > 0) out.authorities = m.authorities;
  out.additionals_count = m.additionals.length;
  if (config.include_additionals && m.additionals.length > 0) out.additionals = m.additionals;
  return out;
}

/** ECS header flag names set in a message; Packetbeat adds `DO` for EDNS's DNSSEC OK bit. */
function headerFlags(m: DnsMessage): string[] {
  const names = HEADER_FLAGS.filter(([k]) => m.flags[k]).map(([, name]) => name);
  if (m.opt?.do === true) names.push('DO');
  return names;
}

/** Addresses of the A and AAAA answers, in answer order. */
export function resolvedIps(answers: DnsRecord[]): string[] {
  const ips: string[] = [];
  for (const a of answers) if (a.type === 'A' || a.type === 'AAAA') ips.push(a.data);
  return ips;
}

/** A message as one line of text (`request` / `response`), in Packetbeat's layout. */
export function messageText(m: DnsMessage): string {
  const flags = HEADER_FLAGS.filter(([k]) => m.flags[k]).map(([, name]) => name.toLowerCase());
  const parts = [
    `ID ${m.id}; QR ${m.response ? 'response' : 'query'}; OPCODE ${opcodeName(m.opcode)}; FLAGS ${flags.join(' ')}; RCODE ${rcodeName(m.rcode)}`,
  ];
  if (m.questions.length > 0)
    parts.push(
      'QUESTION ' + m.questions.map((q) => `class ${q.class}, type ${q.type}, ${q.name}`).join('; '),
    );
  if (m.answers.length > 0) parts.push('ANSWER ' + m.answers.map(recordText).join('; '));
  if (m.authorities.length > 0) parts.push('AUTHORITY ' + m.authorities.map(recordText).join('; '));
  if (m.additionals.length > 0) parts.push('ADDITIONAL ' + m.additionals.map(recordText).join('; '));
  return parts.join('; ');
}

/** A record as text: its parts sorted by name, then its data. */
function recordText(r: DnsRecord): string {
  const keys = Object.keys(r)
    .filter((k) => k !== 'data')
    .sort();
  return keys.map((k) => `${k} ${r[k]}, `).join('') + r.data;
}
