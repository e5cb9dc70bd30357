// Gaps in HTTP streams: inside a body of known length they only shorten what is seen; elsewhere
// the hit message is published with a note and parsing resumes at the next request/status line,
// never pairing a response with the wrong request.
import { Notes, type TransactionEvent } from '@wirebeat/applayer';
import { HttpNotes, httpProtocol } from '@wirebeat/protocol-http';
import { PluginDriver } from '@wirebeat/testing';

const REQUESTS = ['/one', '/two', '/three', '/four'].map((p) => `GET ${p} HTTP/1.1\r\nHost: h\r\n\r\n`);
const CODES = [200, 201, 202, 203];
const RESPONSES = CODES.map(
  (code, i) => `HTTP/1.1 ${code} X\r\nContent-Length: ${40 + i}\r\n\r\n${String(i).repeat(40 + i)}`,
);
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Sends `stream` of direction `dir` with bytes [from, to) replaced by a gap; the other direction whole. */
function withGap(dir: 0 | 1, from: number, to: number): Doc[] {
  const d = new PluginDriver(httpProtocol, {});
  const client = REQUESTS.join('');
  const server = RESPONSES.join('');
  const send = (which: 0 | 1, text: string) => {
    if (which !== dir) return void d.data(which, text);
    if (from > 0) d.data(which, text.slice(0, from));
    if (to > from) d.gap(which, to - from);
    if (to < text.length) d.data(which, text.slice(to));
  };
  send(0, client);
  send(1, server);
  d.fin(0).fin(1);
  return d.close('fin').map((e: TransactionEvent) => e.fields as Doc);
}

const offsetOf = (parts: string[], i: number) => parts.slice(0, i).join('').length;

describe('http gaps', () => {
  it('a gap inside a response body keeps every transaction, with a note on the hit one', () => {
    const start = offsetOf(RESPONSES, 1) + RESPONSES[1].indexOf('\r\n\r\n') + 10;
    const docs = withGap(1, start, start + 20);
    expect(docs.map((d) => [d.url.path, d.http.response.status_code, d.http.response.body.bytes])).toEqual([
      ['/one', 200, 40],
      ['/two', 201, 41],
      ['/three', 202, 42],
      ['/four', 203, 43],
    ]);
    expect(docs[1].notes).toEqual([HttpNotes.bodyHitByGap]);
    expect(docs.filter((d) => d.notes === undefined)).toHaveLength(3);
  });

  it('a gap in a response head loses that response only', () => {
    const start = offsetOf(RESPONSES, 1) + 5;
    const docs = withGap(1, start, start + 10);
    const two = docs.find((d) => d.url.path === '/two')!;
    expect(two).toMatchObject({ status: 'Error', notes: [Notes.responseLostInGap] });
    expect(docs.filter((d) => d.status === 'OK').map((d) => d.url.path)).toEqual(['/one', '/three', '/four']);
  });

  it('a gap over a whole request leaves its response unpaired', () => {
    const docs = withGap(0, offsetOf(REQUESTS, 1), offsetOf(REQUESTS, 2));
    const orphan = docs.find((d) => d.url === undefined)!;
    expect(orphan).toMatchObject({ status: 'Error', notes: [Notes.requestLostInGap] });
    expect(orphan.http.response.status_code).toBe(201);
    expect(
      docs.filter((d) => d.status === 'OK').map((d) => [d.url.path, d.http.response.status_code]),
    ).toEqual([
      ['/one', 200],
      ['/three', 202],
      ['/four', 203],
    ]);
  });

  // A gap across the end of one head and the start of the next can swallow two messages where
  // the analyzer sees one (HTTP gives no proof of which request a response answers): such gaps
  // are left out here, the README says so.
  it('wherever a 7-byte gap falls inside one message, no response pairs with the wrong request', () => {
    for (const dir of [0, 1] as const) {
      const parts = dir === 0 ? REQUESTS : RESPONSES;
      const ends = parts.map((_, i) => offsetOf(parts, i + 1));
      for (let from = 0; from + 7 <= ends[ends.length - 1]; from++) {
        const straddles = ends.some((end) => from < end && from + 7 > end);
        if (straddles && dir === 0) continue;
        for (const d of withGap(dir, from, from + 7)) {
          if (d.url === undefined || d.http.response === undefined) continue;
          const i = ['/one', '/two', '/three', '/four'].indexOf(d.url.path);
          expect([dir, from, d.http.response.status_code]).toEqual([dir, from, CODES[i]]);
        }
      }
    }
  });
});
