// http.expected.ndjson checked against tshark's HTTP dissector rather than the analyzer that wrote
// it: per connection, the requests and final responses in order give each event's endpoints,
// method, URI, status code and phrase (lower case, as Packetbeat 8), byte counts, @timestamp,
// event.start/end, event.duration (to the nanosecond the capture holds) and responsetime. A
// message's time is that of its first segment.
import * as path from 'node:path';
import {
  fieldsLike,
  goldenPathFor,
  nsToIso,
  readGolden,
  tsharkFields,
  tsharkFrameTimes,
  type JsonRecord,
} from '@wirebeat/testing';

const CAPTURE = path.join(__dirname, 'fixtures/http.pcap');

interface Message {
  stream: number;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  tsNs: bigint;
  /** Bytes of the message on the wire, when tshark tells them apart (not for pipelined ones). */
  bytes?: number;
  method?: string;
  uri?: string;
  code?: number;
  /** Reason phrase as sent (the golden holds it in lower case, as Packetbeat 8 publishes it). */
  phrase?: string;
}

/** Requests and final (>= 200) responses per connection, in order, as tshark dissects them. */
function dissect(): Map<number, { requests: Message[]; responses: Message[] }> {
  const times = tsharkFrameTimes(CAPTURE);
  const rows = tsharkFields(CAPTURE, 'http', [
    'frame.number',
    'tcp.stream',
    'ip.src',
    'tcp.srcport',
    'ip.dst',
    'tcp.dstport',
    'http.request.method',
    'http.request.uri',
    'http.response.code',
    'tcp.segment',
    'tcp.len',
    'http.response.phrase',
  ]);
  const out = new Map<number, { requests: Message[]; responses: Message[] }>();
  for (const [frame, stream, src, sport, dst, dport, methods, uris, codes, segments, len, phrases] of rows) {
    const entry = out.get(Number(stream)) ?? { requests: [], responses: [] };
    out.set(Number(stream), entry);
    const first = segments ? Number(segments.split(',')[0]) : Number(frame);
    const tsNs = times.get(first)!;
    if (methods) {
      const m = methods.split(',');
      const u = uris.split(',');
      const client = { ip: src, port: Number(sport) };
      const server = { ip: dst, port: Number(dport) };
      for (let i = 0; i < m.length; i++)
        entry.requests.push({
          stream: Number(stream),
          client,
          server,
          tsNs,
          method: m[i],
          uri: u[i],
          bytes: m.length === 1 && !segments ? Number(len) : undefined,
        });
    }
    if (codes) {
      const phraseList = (phrases ?? '').split(',');
      codes.split(',').forEach((c, i) => {
        const code = Number(c);
        if (code >= 200)
          entry.responses.push({
            stream: Number(stream),
            client: { ip: dst, port: Number(dport) },
            server: { ip: src, port: Number(sport) },
            tsNs,
            code,
            phrase: phraseList[i],
            bytes: codes.split(',').length === 1 && !segments ? Number(len) : undefined,
          });
      });
    }
  }
  return out;
}

/** What tshark's view says of the event of `request` answered by `response` (if any). */
function expected(request: Message, response: Message | undefined): JsonRecord {
  const fields: JsonRecord = {
    client: { ip: request.client.ip, port: request.client.port },
    server: { ip: request.server.ip, port: request.server.port },
    method: request.method,
    url: { original: request.uri },
    '@timestamp': nsToIso(request.tsNs),
  };
  if (request.bytes !== undefined) fields.source = { bytes: request.bytes };
  if (response !== undefined) {
    const elapsed = response.tsNs - request.tsNs;
    fields.http = { response: { status_code: response.code, status_phrase: response.phrase?.toLowerCase() } };
    fields.event = { start: nsToIso(request.tsNs), end: nsToIso(response.tsNs), duration: Number(elapsed) };
    fields.responsetime = Number(elapsed / 1_000_000n);
    if (response.bytes !== undefined) fields.destination = { bytes: response.bytes };
  }
  return fields;
}

describe('http.expected.ndjson against tshark', () => {
  const golden = readGolden(goldenPathFor(CAPTURE));
  const streams = dissect();

  it('has one golden event per request tshark finds, in the same order per connection', () => {
    const requests = [...streams.values()].flatMap((s) => s.requests);
    expect(requests.length).toBeGreaterThanOrEqual(15);
    expect(golden).toHaveLength(requests.length);
  });

  it('each event has the endpoints, method, URI, status, bytes, times and duration tshark shows', () => {
    let withBytes = 0;
    for (const { requests, responses } of streams.values()) {
      const port = requests[0].client.port;
      const events = golden.filter((g) => (g.client as JsonRecord).port === port);
      expect(events).toHaveLength(requests.length);
      requests.forEach((request, i) => {
        const want = expected(request, responses[i]);
        if (want.source !== undefined) withBytes++;
        expect({ [`${port} ${request.uri}`]: fieldsLike(events[i], want) }).toEqual({
          [`${port} ${request.uri}`]: want,
        });
        if (responses[i] === undefined) expect(events[i].status).toBe('Error');
      });
    }
    expect(withBytes).toBeGreaterThanOrEqual(8);
  });
});
