import fc from 'fast-check';
import { EchoHarness, T0 } from './harness';

/** The echo server's answer to a line, as the tutorial's server computes it. */
const answer = (line: string): string => (line.startsWith('>') ? '<' + line.slice(1) : '!' + line);

/** Feeds both streams split at the given cuts (requests first, at T0+1; responses at T0+2) and returns the JSON events. */
function events(requests: Buffer, responses: Buffer, reqCuts: number[], respCuts: number[]): string[] {
  const h = new EchoHarness();
  for (const [dir, stream, cuts, ts] of [
    [0, requests, reqCuts, T0 + 1],
    [1, responses, respCuts, T0 + 2],
  ] as const) {
    let prev = 0;
    for (const cut of [...cuts, stream.length]) {
      if (cut > prev) h.send(dir, stream.subarray(prev, cut), ts);
      prev = Math.max(prev, cut);
    }
  }
  h.close('eof');
  return h.events.map((e) => e.json!);
}

describe('echo: splitting the streams anywhere gives identical events', () => {
  const lines = [
    '>hello',
    'no marker',
    '>',
    '>héllo wörld ✓',
    '>a longer message, with punctuation: !<>',
    '',
  ];
  const requests = Buffer.from(lines.map((l) => l + '\n').join('') + '>unanswered\n');
  const responses = Buffer.from(lines.map((l) => answer(l) + '\n').join(''));
  const whole = events(requests, responses, [], []);

  it('the reference stream gives one event per line plus the unanswered request', () => {
    expect(whole).toHaveLength(lines.length + 1);
    const docs = whole.map((j) => JSON.parse(j));
    expect(docs.map((d) => d.status)).toEqual(['OK', 'Error', 'OK', 'OK', 'OK', 'Error', 'Error']);
    expect(docs[3].request).toBe('héllo wörld ✓');
  });

  it('at every byte boundary of the request stream', () => {
    for (let cut = 1; cut < requests.length; cut++)
      expect(events(requests, responses, [cut], [])).toEqual(whole);
  });

  it('at every byte boundary of the response stream', () => {
    for (let cut = 1; cut < responses.length; cut++)
      expect(events(requests, responses, [], [cut])).toEqual(whole);
  });

  it('byte by byte', () => {
    const all = (b: Buffer): number[] => Array.from({ length: b.length }, (_, i) => i);
    expect(events(requests, responses, all(requests), all(responses))).toEqual(whole);
  });

  it('at random boundaries, for random message lists', () => {
    const line = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => '>' + s.replace(/\n/g, ' ')),
      fc.string({ maxLength: 10 }).map((s) => s.replace(/\n/g, ' ')),
    );
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 15 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (msgs, rc, pc) => {
          const req = Buffer.from(msgs.map((l) => l + '\n').join(''));
          const resp = Buffer.from(msgs.map((l) => answer(l) + '\n').join(''));
          const sortCuts = (c: number[], len: number): number[] =>
            [...new Set(c.map((x) => x % len))].sort((a, b) => a - b);
          const reference = events(req, resp, [], []);
          expect(reference).toHaveLength(msgs.length);
          expect(events(req, resp, sortCuts(rc, req.length), sortCuts(pc, resp.length))).toEqual(reference);
        },
      ),
      { numRuns: 200 },
    );
  });
});
