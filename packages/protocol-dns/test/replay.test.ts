// The DNS analyzer on the capture recorded from Debian's unbound (scripts/record-captures.js):
// golden events, and every transaction checked against tshark's dissection of the same capture:
// who asked what, the answer's code and addresses, and the times (start, end, duration).
import * as path from 'node:path';
import { compareWithGolden, goldenPathFor, replayCaptureDetailed } from '@wirebeat/testing';
import { dnsProtocol, rcodeName, typeName } from '@wirebeat/protocol-dns';
import { tsharkFields } from './support/tshark';

const CAPTURE = path.join(__dirname, 'fixtures/dns.pcap');
const OPTIONS = {
  send_request: true,
  send_response: true,
  include_authorities: true,
  include_additionals: true,
};
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function replay(config: Record<string, unknown> = OPTIONS) {
  const r = await replayCaptureDetailed(CAPTURE, [{ module: dnsProtocol, config }]);
  expect(r.logged).toEqual([]);
  return { docs: r.events.map((e) => e.fields as Doc), events: r.events, counters: r.counters.dns };
}

/** A tshark epoch time ("1796532556.206872000") in whole microseconds. */
const micros = (epoch: string) => {
  const [s, frac] = epoch.split('.');
  return Number(s) * 1e6 + Number(frac.slice(0, 6));
};

/**
 * Transactions as tshark dissects them: every query paired with the response of the same client
 * port, transport, id and question (tshark's own pairing goes by id alone, and takes the MX answer
 * for the answer of the slow query with the same id).
 */
function tsharkTransactions() {
  const rows = tsharkFields(CAPTURE, 'dns', [
    'frame.time_epoch',
    'udp.srcport',
    'udp.dstport',
    'tcp.srcport',
    'tcp.dstport',
    'dns.flags.response',
    'dns.id',
    'dns.qry.name',
    'dns.qry.type',
    'dns.flags.rcode',
    'dns.a',
    'dns.aaaa',
    'udp.length',
    'dns.length',
    'dns.resp.z.do',
  ]);
  // bytes: the message on the wire (UDP payload; over TCP with its two-byte length prefix, as
  // Packetbeat counts it); dnssecOk: the DO bit of the message's OPT record.
  type Side = { key: string; us: number; rcode?: number; ips: string[]; bytes?: number; dnssecOk?: boolean };
  const queries: Side[] = [];
  const responses: Side[] = [];
  for (const row of rows) {
    const udp = row['udp.srcport'].length > 0;
    const response = row['dns.flags.response'][0] === '1';
    const ports = udp
      ? [row['udp.srcport'][0], row['udp.dstport'][0]]
      : [row['tcp.srcport'][0], row['tcp.dstport'][0]];
    const client = response ? ports[1] : ports[0];
    const many = row['dns.id'].length > 1;
    row['dns.id'].forEach((id, i) => {
      const key = [
        udp ? 'udp' : 'tcp',
        client,
        Number(id),
        row['dns.qry.name'][i],
        typeName(Number(row['dns.qry.type'][i])),
      ].join(' ');
      const side: Side = { key, us: micros(row['frame.time_epoch'][0]), ips: [] };
      side.bytes = udp ? Number(row['udp.length'][0]) - 8 : Number(row['dns.length'][i]) + 2;
      if (!many) side.dnssecOk = row['dns.resp.z.do'][0] === '1';
      if (!response) return queries.push(side);
      side.rcode = Number(row['dns.flags.rcode'][i]);
      // Addresses are per frame in tshark's fields: only checked where a frame holds one message.
      if (!many) side.ips = [...row['dns.a'], ...row['dns.aaaa']];
      responses.push(side);
    });
  }
  return queries.map((q) => {
    const r = responses.find((x) => x.key === q.key && x.us >= q.us)!;
    responses.splice(responses.indexOf(r), 1);
    return { ...q, response: r };
  });
}

describe('dns.pcap (unbound 1.17 on loopback, UDP and TCP)', () => {
  it('replays to its reviewed golden events', async () => {
    const { events } = await replay();
    const { expected, actual } = compareWithGolden(goldenPathFor(CAPTURE), events);
    expect(actual).toEqual(expected);
  });

  it('has the transactions tshark finds, with the same code, addresses and times', async () => {
    const { docs, counters } = await replay();
    const expected = tsharkTransactions().map((t) => {
      const [transport, port, id, name, type] = t.key.split(' ');
      return {
        transport,
        port: Number(port),
        id: Number(id),
        name,
        type,
        code: rcodeName(t.response.rcode!),
        start: new Date(Math.floor(t.us / 1000)).toISOString(),
        end: new Date(Math.floor(t.response.us / 1000)).toISOString(),
        duration: (t.response.us - t.us) * 1000,
        ips: t.response.ips,
        bytes: [t.bytes, t.response.bytes],
      };
    });
    const actual = docs.map((d) => ({
      transport: d.network.transport,
      port: d.client.port,
      id: d.dns.id,
      name: d.dns.question.name,
      type: d.dns.question.type,
      code: d.dns.response_code,
      start: d.event.start,
      end: d.event.end,
      duration: d.event.duration,
      ips: d.dns.resolved_ip ?? [],
      bytes: [d.source.bytes, d.destination.bytes],
    }));
    const order = (x: { start: string; port: number; id: number; name: string }) =>
      `${x.start} ${x.port} ${x.id} ${x.name}`;
    const sorted = (xs: typeof actual) => [...xs].sort((a, b) => order(a).localeCompare(order(b)));
    expect(expected.length).toBe(29);
    expect(sorted(actual)).toEqual(sorted(expected));
    expect(docs.map((d) => d['@timestamp'])).toEqual(docs.map((d) => d.event.start));
    // related.ip: the endpoints, then the answers' addresses (checked against tshark above), each once.
    for (const d of docs)
      expect(d.related.ip).toEqual([...new Set([d.client.ip, d.server.ip, ...(d.dns.resolved_ip ?? [])])]);
    expect(docs.some((d) => d.related.ip.length > new Set([d.client.ip, d.server.ip]).size)).toBe(true);
    expect(counters).toMatchObject({ transactions: 29, unmatched_responses: 0, missing_responses: 0 });
  });

  it('DO is among header_flags exactly where tshark sees the DNSSEC OK bit in the answer', async () => {
    const { docs } = await replay();
    const want = tsharkTransactions()
      .filter((t) => t.response.dnssecOk !== undefined)
      .map((t) => `${t.key} ${t.response.dnssecOk}`);
    const got = docs.map(
      (d) =>
        `${d.network.transport} ${d.client.port} ${d.dns.id} ${d.dns.question.name} ${d.dns.question.type} ${d.dns.header_flags.includes('DO')}`,
    );
    expect(want.some((w) => w.endsWith(' true'))).toBe(true);
    expect(got).toEqual(expect.arrayContaining(want));
  });

  it('NXDOMAIN, REFUSED and SERVFAIL are errors; the rest is OK', async () => {
    const { docs } = await replay();
    const errors = docs
      .filter((d) => d.status === 'Error')
      .map((d) => [d.dns.question.name, d.dns.response_code]);
    expect(errors).toEqual([
      ['missing.wirebeat.test', 'NXDOMAIN'],
      ['x.refused.test', 'REFUSED'],
      ['x.broken.example', 'SERVFAIL'],
      ['y.broken.example', 'SERVFAIL'],
      ['missing.wirebeat.test', 'NXDOMAIN'],
    ]);
    expect(docs.filter((d) => d.status === 'Error').every((d) => d.event.outcome === 'failure')).toBe(true);
    const nx = docs.find((d) => d.dns.response_code === 'NXDOMAIN')!;
    expect(nx.dns.authorities).toEqual([
      expect.objectContaining({
        type: 'SOA',
        data: 'ns1.wirebeat.test',
        rname: 'hostmaster.wirebeat.test',
      }),
    ]);
  });

  it('one id asked twice on one UDP flow: each answer pairs with its own question, in answer order', async () => {
    const { docs } = await replay();
    const same = docs.filter((d) => d.dns.id === 0x4242);
    expect(same.map((d) => [d.dns.question.name, d.dns.question.type, d.dns.response_code])).toEqual([
      ['wirebeat.test', 'MX', 'NOERROR'],
      ['y.broken.example', 'A', 'SERVFAIL'],
    ]);
    expect(same[0].client.port).toBe(same[1].client.port);
    expect(same[1].event.duration).toBeGreaterThan(100 * same[0].event.duration);
  });

  it('the TC answer over UDP, then the whole answer over TCP', async () => {
    const { docs } = await replay();
    const big = docs.filter((d) => d.dns.question.name === 'big.wirebeat.test');
    expect(
      big.map((d) => [
        d.network.transport,
        d.dns.flags.truncated_response,
        d.dns.header_flags,
        d.dns.answers_count,
      ]),
    ).toEqual([
      ['udp', true, ['AA', 'TC', 'RD', 'RA'], 0],
      ['tcp', false, ['AA', 'RD', 'RA'], 12],
    ]);
    expect(big[0].dns.opt).toBeUndefined();
  });

  it('EDNS: udp size, DO, NSID; records of every type with their parts', async () => {
    const { docs } = await replay({ include_additionals: false });
    // The first answer of each type (dig's, over UDP).
    const byType = Object.fromEntries(docs.reverse().map((d) => [d.dns.question.type, d.dns]));
    expect(byType.AAAA.opt).toEqual({
      version: '0',
      do: false,
      ext_rcode: 'NOERROR',
      udp_size: 1232,
      nsid: Buffer.from('wirebeat').toString('hex'),
    });
    expect(byType.RRSIG.opt.do).toBe(true);
    expect(byType.MX.answers.map((a: Doc) => [a.preference, a.data]).sort()).toEqual([
      [10, 'mail.wirebeat.test'],
      [20, 'backup-mail.wirebeat.test'],
    ]);
    expect(byType.HTTPS.answers[0]).toMatchObject({
      priority: 1,
      data: '.',
      params: 'alpn=h2,h3 port=8443 ipv4hint=192.0.2.10 ipv6hint=2001:db8::10',
    });
    expect(byType.CAA.answers[0]).toMatchObject({ flags: '0', tag: 'issue', data: 'ca.example.net' });
    expect(byType.NSEC.answers[0].type_bits).toBe('A NS SOA MX TXT AAAA RRSIG NSEC DNSKEY CAA');
    expect(byType.PTR.question).toMatchObject({
      registered_domain: '192.in-addr.arpa',
    });
    // Without include_authorities / include_additionals only the counts are published.
    expect(docs.find((d) => d.dns.response_code === 'NXDOMAIN')!.dns).toMatchObject({ authorities_count: 1 });
    expect(docs.every((d) => d.dns.authorities === undefined && d.dns.additionals === undefined)).toBe(true);
    expect(docs.every((d) => d.request === undefined)).toBe(true);
  });
});
