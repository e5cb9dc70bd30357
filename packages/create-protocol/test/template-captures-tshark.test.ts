// The protocol template's sample captures (one per framing) and their golden events, checked
// against tshark's view of the captures rather than the template's analyzer: each connection's
// bytes, cut by a framer of this test (lines, 4-byte length prefix, 8-byte custom header), paired in
// order, give each event's endpoints, request and response text, byte counts, @timestamp,
// event.start/end, event.duration and responsetime. Kept here, not in the template's test/, so that
// generated packages do not need tshark.
import * as path from 'node:path';
import {
  fieldsLike,
  goldenPathFor,
  nsToIso,
  readGolden,
  tsharkTcpStreams,
  type JsonRecord,
  type TsharkChunk,
} from '@wirebeat/testing';

const CAPTURES = path.resolve(__dirname, '../../protocol-template/test/captures');
const PORT = 7357;

/** Where the message at `pos` ends and its body, or undefined when `buf` is too short. */
type Framer = (buf: Buffer, pos: number) => { end: number; body: string } | undefined;

const FRAMERS: Record<string, Framer> = {
  newline: (buf, pos) => {
    const nl = buf.indexOf(10, pos);
    return nl < 0 ? undefined : { end: nl + 1, body: buf.toString('utf8', pos, nl) };
  },
  length: (buf, pos) => {
    if (buf.length < pos + 4) return undefined;
    const end = pos + 4 + buf.readUInt32BE(pos);
    return end > buf.length ? undefined : { end, body: buf.toString('utf8', pos + 4, end) };
  },
  custom: (buf, pos) => {
    if (buf.length < pos + 8) return undefined;
    const end = pos + 8 + buf.readUInt32BE(pos + 4);
    return end > buf.length ? undefined : { end, body: buf.toString('utf8', pos + 8, end) };
  },
};

interface Message {
  body: string;
  size: number;
  tsNs: bigint;
}

function messages(chunks: TsharkChunk[], framer: Framer): Message[] {
  const bytes = Buffer.concat(chunks.map((c) => c.bytes));
  const out: Message[] = [];
  for (let pos = 0, m = framer(bytes, 0); m !== undefined; pos = m.end, m = framer(bytes, pos)) {
    const tsNs = chunks.filter((c) => c.offset <= pos).pop()!.tsNs;
    out.push({ body: m.body, size: m.end - pos, tsNs });
  }
  return out;
}

describe.each(Object.keys(FRAMERS))('sample-%s.pcap: golden events against tshark', (framing) => {
  const capture = path.join(CAPTURES, `sample-${framing}.pcap`);

  it('every request is one golden event with the fields tshark shows', () => {
    const golden = readGolden(goldenPathFor(capture));
    const want: JsonRecord[] = [];
    for (const s of tsharkTcpStreams(capture, [PORT])) {
      const requests = messages(s.toServer, FRAMERS[framing]);
      const responses = messages(s.toClient, FRAMERS[framing]);
      requests.forEach((req, i) => {
        const resp = responses[i];
        const fields: JsonRecord = {
          client: { ip: s.client.ip, port: s.client.port, bytes: req.size },
          server: { ip: s.server.ip, port: s.server.port, bytes: resp?.size ?? 0 },
          bytes_in: req.size,
          bytes_out: resp?.size ?? 0,
          request: req.body,
          '@timestamp': nsToIso(req.tsNs),
        };
        if (resp !== undefined) {
          const elapsed = resp.tsNs - req.tsNs;
          fields.response = resp.body;
          fields.event = { start: nsToIso(req.tsNs), end: nsToIso(resp.tsNs), duration: Number(elapsed) };
          fields.responsetime = Number(elapsed / 1_000_000n);
        } else fields.status = 'Error';
        want.push(fields);
      });
    }
    expect(want.length).toBeGreaterThanOrEqual(6);
    expect(golden.map((g, i) => fieldsLike(g, want[i] ?? {}))).toEqual(want);
  });
});
