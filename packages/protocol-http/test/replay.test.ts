// The HTTP analyzer on a capture recorded from a real node:http server (scripts/record-captures.js):
// golden events, and the same requests and status codes as tshark's HTTP dissector finds.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { compareWithGolden, goldenPathFor, replayCaptureDetailed } from '@wirebeat/testing';
import { httpProtocol } from '@wirebeat/protocol-http';

const CAPTURE = path.join(__dirname, 'fixtures/http.pcap');
export const FIXTURE_OPTIONS = {
  send_request: true,
  send_response: true,
  max_body_bytes: 64,
  send_headers: ['content-type', 'authorization', 'cookie', 'set-cookie', 'etag', 'x-checksum'],
};

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function replay(): Promise<Doc[]> {
  const { events, logged } = await replayCaptureDetailed(CAPTURE, [
    { module: httpProtocol, config: FIXTURE_OPTIONS },
  ]);
  expect(logged).toEqual([]);
  return events.map((e) => e.fields as Doc);
}

describe('http.pcap (node:http server on loopback)', () => {
  it('replays to its reviewed golden events', async () => {
    const { events } = await replayCaptureDetailed(CAPTURE, [
      { module: httpProtocol, config: FIXTURE_OPTIONS },
    ]);
    const { expected, actual } = compareWithGolden(goldenPathFor(CAPTURE), events);
    expect(actual).toEqual(expected);
  });

  it('covers every case: HEAD, 204, 304, chunked, 500, 100-continue, pipelining, close-delimited, no response', async () => {
    const docs = await replay();
    const byPath = (p: string) => docs.filter((d) => d.url?.path === p);
    const hello = docs.find((d) => d.url?.query === 'name=wirebeat&lang=en')!;
    // Packetbeat masks Authorization with `*`; content-length is always there, as a number.
    expect(hello.http.request.headers).toEqual({
      authorization: '*',
      cookie: 'REDACTED',
      'content-length': 0,
    });
    expect(hello.http.response.headers['content-length']).toBe(15);
    expect(hello.query).toBe('GET /hello');
    expect(hello.http.response.headers['set-cookie']).toBe('REDACTED');
    expect(hello.request).not.toContain('secret');
    expect(hello.response).not.toContain('secret');
    expect(hello.user_agent).toEqual({ original: 'wirebeat-fixture/1.0' });
    expect(hello.url.full).toMatch(/^http:\/\/127\.\d+\.\d+\.\d+\/hello\?name=wirebeat&lang=en$/);
    expect(hello.http.response).toMatchObject({
      status_code: 200,
      body: { bytes: 15 },
      mime_type: 'text/plain',
    });

    const head = docs.find((d) => d.method === 'HEAD')!;
    expect(head.http.response.body.bytes).toBe(0);
    expect(byPath('/empty')[0].http.response.status_code).toBe(204);
    expect(byPath('/cached')[0].http.response).toMatchObject({ status_code: 304, body: { bytes: 0 } });
    const chunked = byPath('/chunked')[0];
    expect(chunked.http.response.body.bytes).toBe('first chunk\nsecond chunk\n'.length);
    expect(chunked.http.response.headers['x-checksum']).toBe('abc123');
    expect(byPath('/error')[0]).toMatchObject({ status: 'Error', event: { outcome: 'failure' } });
    // As Packetbeat, a 4xx is an Error.
    expect(byPath('/missing').map((d) => [d.http.response.status_code, d.status, d.event.outcome])).toEqual([
      [404, 'Error', 'failure'],
      [404, 'Error', 'failure'],
    ]);

    const upload = byPath('/upload')[0];
    expect(upload.http.response.status_code).toBe(201);
    expect(upload.http.request.body.bytes).toBe(11);
    expect(byPath('/echo')[0].http.request.body.bytes).toBe('part one, part two'.length);
    const large = byPath('/large')[0];
    expect(large.http.response.body.bytes).toBe(300_000);
    expect(large.response.length).toBeLessThan(400);

    const pipelined = docs.filter((d) => /name=(one|three)/.test(d.url?.query ?? ''));
    expect(pipelined.map((d) => [d.url.query, d.http.response.status_code])).toEqual([
      ['name=one', 200],
      ['name=three', 200],
    ]);
    const stream = byPath('/stream')[0];
    expect(stream.http).toMatchObject({ version: '1.0', response: { body: { bytes: 32 } } });
    expect(stream.status).toBe('OK');
    const hang = byPath('/hang')[0];
    expect(hang).toMatchObject({ status: 'Error', notes: [expect.stringMatching(/^response missing/)] });
    expect(hang.error).toEqual({ message: 'Unmatched request' });
    expect(hang.http.response).toBeUndefined();
    expect(docs).toHaveLength(15);
  });

  it('finds the requests and final status codes tshark finds, connection by connection', async () => {
    let out: string;
    try {
      out = execFileSync(
        'tshark',
        ['-r', CAPTURE, '-Y', 'http', '-T', 'fields', '-E', 'separator=|'].concat([
          '-e',
          'tcp.srcport',
          '-e',
          'tcp.dstport',
          '-e',
          'http.request.uri',
          '-e',
          'http.response.code',
        ]),
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (err) {
      throw new Error(`tshark is needed for this test (apt-get install tshark): ${(err as Error).message}`);
    }
    const expected = new Map<number, { uris: string[]; codes: number[] }>();
    for (const line of out.trim().split('\n')) {
      const [src, dst, uris, code] = line.split('|');
      const client = Number(uris ? src : dst);
      const entry = expected.get(client) ?? { uris: [], codes: [] };
      expected.set(client, entry);
      // Pipelined requests in one segment come as one comma-separated field.
      if (uris) entry.uris.push(...uris.split(','));
      if (code && Number(code) >= 200) entry.codes.push(Number(code));
    }
    const actual = new Map<number, { uris: string[]; codes: number[] }>();
    for (const d of await replay()) {
      const entry = actual.get(d.client.port) ?? { uris: [], codes: [] };
      actual.set(d.client.port, entry);
      entry.uris.push(d.url.original);
      if (d.http.response) entry.codes.push(d.http.response.status_code);
    }
    expect(actual).toEqual(expected);
  });
});
