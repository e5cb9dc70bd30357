// However TCP cut the streams, the DNS analyzer publishes the same transactions; a gap stops the
// direction it hit without pairing anything wrongly; over UDP answers pair by id and question in
// any order, and a query never answered is published as an Error when its flow times out.
import type { TransactionEvent } from '@wirebeat/applayer';
import { dnsProtocol } from '@wirebeat/protocol-dns';
import { PluginDriver, bytewise, everySplit } from '@wirebeat/testing';
import { buildMessage, rr, wireName } from './support/build';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const NAMES = ['a.example', 'bb.example', 'ccc.example', 'dddd.example'];
const query = (id: number, name: string) => buildMessage({ id, flags: [0x01, 0x00], questions: [[name, 1]] });
const answer = (id: number, name: string) =>
  buildMessage({ id, questions: [[name, 1]], answers: [rr(wireName('', 12), 1, 1, 60, [10, 0, 0, id])] });
const framed = (msgs: Uint8Array[]) =>
  Uint8Array.from(
    Buffer.concat(msgs.flatMap((m) => [Buffer.from([m.length >> 8, m.length & 255]), Buffer.from(m)])),
  );
const CLIENT = framed(NAMES.map((n, i) => query(i + 1, n)));
// The server answers out of order: 2, 1, 4, 3.
const SERVER = framed([1, 0, 3, 2].map((i) => answer(i + 1, NAMES[i])));
const essence = (d: Doc) => [d.dns.id, d.dns.question?.name, d.dns.resolved_ip?.join(), d.status, d.notes];

function tcp(client: Iterable<Uint8Array>, server: Iterable<Uint8Array>, gap?: [0 | 1, number, number]) {
  const d = new PluginDriver(dnsProtocol, {});
  const send = (dir: 0 | 1, chunks: Iterable<Uint8Array>) => {
    if (gap === undefined || gap[0] !== dir) return void d.chunks(dir, chunks);
    const bytes = Buffer.concat([...chunks]);
    d.data(dir, bytes.subarray(0, gap[1]));
    if (d.gap(dir, gap[2] - gap[1])) return;
    d.data(dir, bytes.subarray(gap[2]));
  };
  send(0, client);
  send(1, server);
  return d.close('fin').map((e: TransactionEvent) => e.fields as Doc);
}
const whole = tcp([CLIENT], [SERVER]).map(essence);

describe('dns over TCP: streams re-split', () => {
  it('pairs answers given out of order with their queries', () => {
    expect(whole).toEqual([
      [2, 'bb.example', '10.0.0.2', 'OK', undefined],
      [1, 'a.example', '10.0.0.1', 'OK', undefined],
      [4, 'dddd.example', '10.0.0.4', 'OK', undefined],
      [3, 'ccc.example', '10.0.0.3', 'OK', undefined],
    ]);
  });

  it('cut in two at every byte of either stream, or byte by byte', () => {
    for (const chunks of everySplit(CLIENT)) expect(tcp(chunks, [SERVER]).map(essence)).toEqual(whole);
    for (const chunks of everySplit(SERVER)) expect(tcp([CLIENT], chunks).map(essence)).toEqual(whole);
    expect(tcp(bytewise(CLIENT), bytewise(SERVER)).map(essence)).toEqual(whole);
  });
});

describe('dns over TCP: gaps', () => {
  it('wherever a 3-byte gap falls, nothing is paired wrongly and every query is published', () => {
    for (const dir of [0, 1] as const) {
      const length = (dir === 0 ? CLIENT : SERVER).length;
      for (let from = 0; from + 3 <= length; from++) {
        const docs = tcp([CLIENT], [SERVER], [dir, from, from + 3]);
        for (const d of docs) {
          const right = whole.find((e) => e[0] === d.dns.id)!;
          if (d.status === 'OK') expect([dir, from, ...essence(d)]).toEqual([dir, from, ...right]);
          else expect([dir, from, d.notes]).toEqual([dir, from, expect.any(Array)]);
        }
        // A query lost in the client's gap is not published; every other one is, once.
        const ids = docs
          .filter((d) => d.dns.question !== undefined && d.source?.bytes !== undefined)
          .map((d) => d.dns.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBeGreaterThanOrEqual(dir === 0 ? 0 : 4);
      }
    }
  });
});

describe('dns over UDP', () => {
  const udp = () =>
    new PluginDriver(dnsProtocol, { transaction_timeout: '2s' }, { tuple: { transport: 'udp' } });

  it('one datagram per message; answers pair by id and question in any order', () => {
    const d = udp();
    d.data(0, query(7, 'a.example')).data(0, query(7, 'bb.example')).data(0, query(8, 'a.example'));
    d.data(1, answer(7, 'bb.example')).data(1, answer(8, 'a.example')).data(1, answer(7, 'a.example'));
    expect(d.close('idle').map((e) => essence(e.fields as Doc))).toEqual([
      [7, 'bb.example', '10.0.0.7', 'OK', undefined],
      [8, 'a.example', '10.0.0.8', 'OK', undefined],
      [7, 'a.example', '10.0.0.7', 'OK', undefined],
    ]);
  });

  it('as Packetbeat 8: names without final dot, DO among header_flags, bytes of the datagram', () => {
    // An OPT record (root owner, type 41, UDP size 1232) whose TTL sets the DO bit (0x8000).
    const opt = [0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0];
    const q = buildMessage({
      id: 5,
      flags: [0x01, 0x00],
      questions: [['www.example.org', 1]],
      additionals: [opt],
    });
    const a = buildMessage({
      id: 5,
      questions: [['www.example.org', 1]],
      answers: [rr(wireName('', 12), 5, 1, 60, wireName('cdn.example.net'))],
      additionals: [opt],
    });
    const d = udp();
    d.data(0, q).data(1, a);
    const [doc] = d.close('idle').map((e) => e.fields as Doc);
    expect(doc.dns.question).toMatchObject({ name: 'www.example.org', etld_plus_one: 'example.org' });
    expect(doc.dns.answers[0]).toMatchObject({ name: 'www.example.org', data: 'cdn.example.net' });
    expect([doc.query, doc.resource]).toEqual(['class IN, type A, www.example.org', 'www.example.org']);
    expect(doc.dns.header_flags).toEqual(['RD', 'RA', 'DO']);
    expect([doc.source.bytes, doc.destination.bytes]).toEqual([q.length, a.length]);
  });

  it('over TCP source/destination.bytes count each message with its two-byte length prefix', () => {
    const docs = tcp([framed([query(1, 'a.example')])], [framed([answer(1, 'a.example')])]);
    expect([docs[0].source.bytes, docs[0].destination.bytes]).toEqual([
      query(1, 'a.example').length + 2,
      answer(1, 'a.example').length + 2,
    ]);
  });

  it('an answer to another question with the same id is not taken for the answer', () => {
    const d = udp();
    d.data(0, query(9, 'a.example')).data(1, answer(9, 'bb.example'));
    const docs = d.close('idle').map((e) => e.fields as Doc);
    expect(docs.map((x) => [x.dns.question.name, x.status, x.notes?.length])).toEqual([
      ['bb.example', 'Error', 1],
      ['a.example', 'Error', 1],
    ]);
  });

  it('a query without answer is published as Error once transaction_timeout passes', () => {
    const d = udp();
    d.data(0, query(5, 'a.example'), 1000);
    d.tick(4000);
    const [doc] = d.close('idle').map((e) => e.fields as Doc);
    expect(doc).toMatchObject({ status: 'Error', dns: { type: 'query', id: 5 }, method: 'QUERY' });
    expect(doc.notes.join()).toMatch(/response/);
  });
});

describe('dns: answers without their question', () => {
  it('a FORMERR answer that leaves the question out pairs with the query of its id', () => {
    const d = new PluginDriver(dnsProtocol, {}, { tuple: { transport: 'udp' } });
    d.data(0, query(3, 'a.example')).data(0, query(4, 'bb.example'));
    d.data(1, buildMessage({ id: 4, flags: [0x81, 0x81] })).data(1, answer(3, 'a.example'));
    const docs = d.close('idle').map((e) => e.fields as Doc);
    expect(docs.map((x) => [x.dns.id, x.dns.response_code, x.resource, x.status, x.notes])).toEqual([
      [4, 'FORMERR', 'bb.example', 'Error', undefined],
      [3, 'NOERROR', 'a.example', 'OK', undefined],
    ]);
  });
});
