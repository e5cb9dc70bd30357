// Field definitions of DNS events, for the index template (Packetbeat's dns.* and ECS's).
import type { FieldDefinition, FieldType } from '@wirebeat/applayer';

const f = (name: string, type: FieldType, description: string): FieldDefinition => ({
  name,
  type,
  description,
});

/** The parts of a resource record in answers, authorities and additionals. */
function records(section: string): FieldDefinition[] {
  return [
    f(
      `dns.${section}`,
      'object',
      `Records of the ${section} section (name, type, class, ttl, data and the parts of the data).`,
    ),
    f(`dns.${section}_count`, 'long', `Number of records in the ${section} section.`),
    f(`dns.${section}.name`, 'keyword', 'Owner name of the record.'),
    f(`dns.${section}.type`, 'keyword', 'Record type (A, MX ...).'),
    f(`dns.${section}.class`, 'keyword', 'Record class (IN).'),
    f(`dns.${section}.ttl`, 'long', 'Seconds the record may be cached.'),
    f(`dns.${section}.data`, 'keyword', 'The record data in presentation form (address, name, text ...).'),
  ];
}

/** The DNS analyzer's own event fields. */
export const dnsFields: FieldDefinition[] = [
  f('dns.type', 'keyword', 'ECS: answer when the response was seen, query otherwise.'),
  f('dns.id', 'long', 'Message id, copied from the query into its response.'),
  f('dns.op_code', 'keyword', 'Kind of query (QUERY, NOTIFY, UPDATE ...).'),
  f('dns.flags.authoritative', 'boolean', 'AA: the server is an authority for the name asked.'),
  f('dns.flags.truncated_response', 'boolean', 'TC: the response did not fit and was truncated.'),
  f('dns.flags.recursion_desired', 'boolean', 'RD: the client asks the server to recurse.'),
  f('dns.flags.recursion_available', 'boolean', 'RA: the server offers recursion.'),
  f('dns.flags.authentic_data', 'boolean', 'AD: the server considers the answer authentic (DNSSEC).'),
  f('dns.flags.checking_disabled', 'boolean', 'CD: the client disables signature validation.'),
  f('dns.header_flags', 'keyword', 'ECS: the header flags set, as AA, TC, RD, RA, AD, CD.'),
  f(
    'dns.response_code',
    'keyword',
    'Response code (NOERROR, NXDOMAIN, SERVFAIL ...), extended bits included.',
  ),
  f(
    'dns.question.name',
    'keyword',
    'Name asked, without final dot as Packetbeat (the root is `.`); unprintable bytes as \\DDD.',
  ),
  f('dns.question.type', 'keyword', 'Type asked (A, AAAA ...).'),
  f('dns.question.class', 'keyword', 'Class asked (IN).'),
  f(
    'dns.question.etld_plus_one',
    'keyword',
    'Effective top-level domain plus one label (Packetbeat 7 name of registered_domain).',
  ),
  f('dns.question.registered_domain', 'keyword', 'ECS: the registered domain (eTLD+1, no final dot).'),
  f('dns.question.top_level_domain', 'keyword', 'ECS: the effective top-level domain (public suffix).'),
  f('dns.question.subdomain', 'keyword', 'ECS: the labels before the registered domain.'),
  f('dns.resolved_ip', 'ip', 'ECS: the addresses of the A and AAAA answers.'),
  ...records('answers'),
  ...records('authorities'),
  ...records('additionals'),
  f('dns.opt.version', 'keyword', 'EDNS version.'),
  f('dns.opt.do', 'boolean', 'DO: the client wants DNSSEC records.'),
  f('dns.opt.ext_rcode', 'keyword', 'Extended response code bits of the OPT record.'),
  f('dns.opt.udp_size', 'long', "Sender's UDP payload size."),
  f('dns.opt.nsid', 'keyword', 'Name server identifier (hex).'),
  f('dns.opt.subnet', 'keyword', 'Client subnet: address/source prefix/scope prefix.'),
  f('dns.opt.cookie', 'keyword', 'DNS cookie (hex).'),
  f('dns.opt.ede', 'keyword', 'Extended DNS error: code, name and text.'),
  f('method', 'keyword', 'Operation code of the query (Packetbeat compatibility).'),
  f('query', 'keyword', 'The question as text: class, type, name.'),
  f('resource', 'keyword', 'The name asked.'),
];
