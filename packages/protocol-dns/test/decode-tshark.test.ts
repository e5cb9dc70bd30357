// The decoder against tshark's DNS dissector, message by message, on the capture recorded from
// unbound (scripts/record-captures.js): header, question and every record type's data.
import * as path from 'node:path';
import { decodeDnsMessage, type DnsMessage } from '@wirebeat/protocol-dns';
import { tsharkFields } from './support/tshark';

const CAPTURE = path.join(__dirname, 'fixtures/dns.pcap');

/** tshark's name form: no final dot, `<Root>` for the root. */
const bare = (name: unknown) => (name === '.' ? '<Root>' : String(name).replace(/\.$/, ''));
const hexOf64 = (b64: unknown) => Buffer.from(String(b64), 'base64').toString('hex');

/** What tshark shows for each field, computed from our decoding of the same messages. */
const FIELDS: Record<string, (m: DnsMessage) => unknown[]> = {
  'dns.id': (m) => ['0x' + m.id.toString(16).padStart(4, '0')],
  'dns.flags.response': (m) => [m.response],
  'dns.flags.opcode': (m) => [m.opcode],
  'dns.flags.authoritative': (m) => (m.response ? [m.flags.authoritative] : []),
  'dns.flags.truncated': (m) => [m.flags.truncated_response],
  'dns.flags.recdesired': (m) => [m.flags.recursion_desired],
  'dns.flags.recavail': (m) => (m.response ? [m.flags.recursion_available] : []),
  // tshark shows AD in a query only when it is set.
  'dns.flags.authenticated': (m) => (m.response || m.flags.authentic_data ? [m.flags.authentic_data] : []),
  'dns.flags.checkdisable': (m) => [m.flags.checking_disabled],
  'dns.flags.rcode': (m) => (m.response ? [m.rcode & 15] : []),
  'dns.count.queries': (m) => [m.counts.questions],
  'dns.count.answers': (m) => [m.counts.answers],
  'dns.count.auth_rr': (m) => [m.counts.authorities],
  'dns.count.add_rr': (m) => [m.counts.additionals],
  'dns.qry.name': (m) => m.questions.map((q) => bare(q.name)),
  'dns.resp.ttl': (m) => records(m).map((r) => r.ttl),
  'dns.a': (m) => data(m, 'A'),
  'dns.aaaa': (m) => data(m, 'AAAA'),
  'dns.cname': (m) => data(m, 'CNAME').map(bare),
  'dns.ns': (m) => data(m, 'NS').map(bare),
  'dns.ptr.domain_name': (m) => data(m, 'PTR').map(bare),
  'dns.mx.preference': (m) => data(m, 'MX', 'preference'),
  'dns.mx.mail_exchange': (m) => data(m, 'MX').map(bare),
  'dns.soa.mname': (m) => data(m, 'SOA').map(bare),
  'dns.soa.rname': (m) => data(m, 'SOA', 'rname').map(bare),
  'dns.soa.serial_number': (m) => data(m, 'SOA', 'serial'),
  'dns.soa.minimum_ttl': (m) => data(m, 'SOA', 'minimum'),
  'dns.srv.priority': (m) => data(m, 'SRV', 'priority'),
  'dns.srv.weight': (m) => data(m, 'SRV', 'weight'),
  'dns.srv.port': (m) => data(m, 'SRV', 'port'),
  'dns.srv.target': (m) => data(m, 'SRV').map(bare),
  'dns.caa.tag': (m) => data(m, 'CAA', 'tag'),
  'dns.caa.value': (m) => data(m, 'CAA'),
  'dns.ds.key_id': (m) => data(m, 'DS', 'key_tag').map((t) => '0x' + Number(t).toString(16).padStart(4, '0')),
  'dns.ds.digest': (m) => data(m, 'DS').map((d) => String(d).toLowerCase()),
  'dns.dnskey.flags': (m) =>
    data(m, 'DNSKEY', 'flags').map((f) => '0x' + Number(f).toString(16).padStart(4, '0')),
  'dns.dnskey.public_key': (m) => data(m, 'DNSKEY').map(hexOf64),
  'dns.rrsig.signers_name': (m) => data(m, 'RRSIG', 'signer_name').map(bare),
  'dns.rrsig.key_tag': (m) => data(m, 'RRSIG', 'key_tag'),
  'dns.rrsig.original_ttl': (m) => data(m, 'RRSIG', 'original_ttl'),
  'dns.rrsig.signature': (m) => data(m, 'RRSIG').map(hexOf64),
  'dns.nsec.next_domain_name': (m) => data(m, 'NSEC').map(bare),
  'dns.svcb.svcpriority': (m) => [...data(m, 'SVCB', 'priority'), ...data(m, 'HTTPS', 'priority')],
  'dns.svcb.targetname': (m) => [...data(m, 'SVCB'), ...data(m, 'HTTPS')].map(bare),
  'dns.svcb.svcparam.alpn': (m) => param(m, 'alpn'),
  'dns.svcb.svcparam.port': (m) => param(m, 'port'),
  'dns.svcb.svcparam.ipv4hint.ip': (m) => param(m, 'ipv4hint'),
  'dns.svcb.svcparam.ipv6hint.ip': (m) => param(m, 'ipv6hint'),
  'dns.rr.udp_payload_size': (m) => (m.opt ? [m.opt.udp_size] : []),
  'dns.resp.z.do': (m) => (m.opt ? [m.opt.do] : []),
};

const records = (m: DnsMessage) => [...m.answers, ...m.authorities, ...m.additionals];
const data = (m: DnsMessage, type: string, key = 'data') =>
  records(m)
    .filter((r) => r.type === type)
    .map((r) => r[key]);
const param = (m: DnsMessage, key: string) =>
  [...data(m, 'SVCB', 'params'), ...data(m, 'HTTPS', 'params')].flatMap((p) =>
    String(p ?? '')
      .split(' ')
      .filter((kv) => kv.startsWith(key + '='))
      .flatMap((kv) => kv.slice(key.length + 1).split(',')),
  );

/** The DNS messages of one frame: a UDP payload, or the length-prefixed messages of a TCP segment. */
function messagesOf(udpHex: string[], tcpHex: string[]): DnsMessage[] {
  if (udpHex.length > 0) return [decodeDnsMessage(Buffer.from(udpHex[0], 'hex'))];
  const seg = Buffer.from(tcpHex[0], 'hex');
  const out: DnsMessage[] = [];
  for (let at = 0; at + 2 <= seg.length;) {
    const len = seg.readUInt16BE(at);
    out.push(decodeDnsMessage(seg.subarray(at + 2, at + 2 + len)));
    at += 2 + len;
  }
  return out;
}

/** tshark's values as our values print (booleans as 1/0, numbers as text). */
const asTshark = (v: unknown) => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v));

describe('decoder vs tshark on dns.pcap', () => {
  const names = Object.keys(FIELDS);
  const rows = tsharkFields(CAPTURE, 'dns', [
    'frame.number',
    'udp.payload',
    'tcp.payload',
    'dns.txt',
    ...names,
  ]);

  it('the capture holds every record type and error the analyzer decodes', () => {
    const types = new Set<string>();
    for (const row of rows)
      for (const m of messagesOf(row['udp.payload'], row['tcp.payload']))
        records(m).forEach((r) => types.add(r.type));
    expect([...types].sort()).toEqual(
      [
        'A',
        'AAAA',
        'CAA',
        'CNAME',
        'DNSKEY',
        'DS',
        'HTTPS',
        'MX',
        'NS',
        'NSEC',
        'PTR',
        'RRSIG',
        'SOA',
        'SRV',
        'SVCB',
        'TXT',
      ].sort(),
    );
    expect(rows.length).toBeGreaterThan(50);
  });

  it('every field of every message reads as tshark reads it', () => {
    for (const row of rows) {
      const msgs = messagesOf(row['udp.payload'], row['tcp.payload']);
      for (const m of msgs) expect(m.malformed).toBeUndefined();
      const ours = Object.fromEntries(names.map((f) => [f, msgs.flatMap(FIELDS[f]).map(asTshark)]));
      const theirs = Object.fromEntries(names.map((f) => [f, row[f]]));
      // TXT strings: tshark lists each string, we join a record's strings with spaces.
      theirs['dns.txt'] = [row['dns.txt'].join(' ')].filter((t) => t !== '');
      ours['dns.txt'] = [msgs.flatMap((m) => data(m, 'TXT')).join(' ')].filter((t) => t !== '');
      expect({ frame: row['frame.number'][0], ...ours }).toEqual({
        frame: row['frame.number'][0],
        ...theirs,
      });
    }
  });
});
