import fc from 'fast-check';
import { Notes } from '@wirebeat/applayer';
import { EchoHarness, T0 } from './harness';

describe('echo after a gap in the stream', () => {
  it('a gap inside a request: what was seen of it pairs with its response, as an Error with a note', () => {
    const h = new EchoHarness()
      .send(0, '>one\n>tw', T0)
      .gap(0, 3, T0 + 1)
      .send(0, 'o-tail\n>three\n', T0 + 2)
      .send(1, '<one\n<two-tail\n<three\n', T0 + 3);
    expect(h.summary()).toEqual([
      'one>one OK',
      `tw>two-tail Error [${Notes.messageHitByGap}]`,
      'three>three OK',
    ]);
    expect(h.docs()[1]).not.toHaveProperty('echo');
    expect(h.docs()[1]).toMatchObject({ source: { bytes: 3 }, destination: { bytes: 10 } });
    expect(h.counters().gaps).toBe(1);
  });

  it('a gap inside a response: what was seen of it pairs with its request; later pairs are right', () => {
    const h = new EchoHarness()
      .send(0, '>one\n>two\n>three\n', T0)
      .send(1, '<one\n<t', T0 + 1)
      .gap(1, 2, T0 + 2)
      .send(1, 'o\n<three\n', T0 + 3);
    expect(h.summary()).toEqual(['one>one OK', `two>t Error [${Notes.messageHitByGap}]`, 'three>three OK']);
    expect(h.docs()[1]).toMatchObject({ source: { bytes: 5 }, destination: { bytes: 2 } });
  });

  it('a large request and its response both cut by gaps (snaplen) make one transaction; the next pair too', () => {
    const big = 'x'.repeat(5000);
    const h = new EchoHarness()
      .send(0, '>a\n', T0)
      .send(1, '<a\n', T0 + 1)
      .send(0, '>' + big.slice(0, 61), T0 + 2)
      .gap(0, 5001 - 62, T0 + 2)
      .send(1, '<' + big.slice(0, 61), T0 + 3)
      .gap(1, 5001 - 62, T0 + 3)
      .send(0, '>b\n>c\n', T0 + 4)
      .send(1, '<b\n<c\n', T0 + 5);
    expect(h.summary()).toEqual([
      'a>a OK',
      `${big.slice(0, 61)}>${big.slice(0, 61)} Error [${Notes.messageHitByGap}]`,
      `b>b OK [${Notes.messageAfterGap}]`,
      'c>c OK',
    ]);
    expect(h.docs()[1]).toMatchObject({ source: { bytes: 62 }, destination: { bytes: 62 } });
  });

  it('a gap cutting a request and swallowing whole ones after it: later responses still pair by echo', () => {
    const h = new EchoHarness()
      .send(0, '>one\n>tw', T0)
      .gap(0, 15, T0 + 1) // 'o\n>three\n>fou' lost
      .send(0, 'r\n>five\n', T0 + 2)
      .send(1, '<one\n<two\n<three\n<four\n<five\n', T0 + 3);
    const s = h.summary();
    expect(s[0]).toBe('one>one OK');
    expect(s).toContain(`tw>two Error [${Notes.messageHitByGap}]`);
    expect(s[s.length - 1]).toBe('five>five OK');
    // three and four: their responses alone, never paired with five
    expect(s.filter((l) => l.startsWith('->'))).toHaveLength(2);
    expect(s).toHaveLength(5);
  });

  it('a gap cutting a response and swallowing whole ones after it: skipped requests get a note', () => {
    const h = new EchoHarness()
      .send(0, '>one\n>two\n>three\n>four\n', T0)
      .send(1, '<one\n<t', T0 + 1)
      .gap(1, 11, T0 + 2) // 'wo\n<three\n' lost
      .send(1, '<four\n', T0 + 3);
    expect(h.summary()).toEqual([
      'one>one OK',
      `two>t Error [${Notes.messageHitByGap}]`,
      `three>- Error [${Notes.responseLostInGap}]`,
      `four>four OK [${Notes.messageAfterGap}]`,
    ]);
  });

  it('a gap between messages (lost segments of whole lines) costs only the lost lines', () => {
    const h = new EchoHarness()
      .send(0, '>one\n', T0)
      .send(1, '<one\n', T0 + 1)
      .send(1, '<two\n', T0 + 3) // its request was lost: the gap is only seen with the next request
      .gap(0, 5, T0 + 4)
      .send(0, '>three\n', T0 + 4)
      .send(1, '<three\n', T0 + 5)
      .gap(1, 7, T0 + 6) // '<four\n' lost
      .send(0, '>four\n>five\n', T0 + 6)
      .send(1, '<five\n', T0 + 7);
    expect(h.summary()).toEqual([
      'one>one OK',
      `->two Error [${Notes.responseWithoutRequest}]`,
      `three>three OK [${Notes.messageAfterGap}]`,
      `four>- Error [${Notes.responseLostInGap}]`,
      `five>five OK [${Notes.messageAfterGap}]`,
    ]);
  });

  it('a gap that swallows several whole responses never shifts the pairing', () => {
    const h = new EchoHarness()
      .send(0, '>a\n>b\n>c\n>d\n', T0)
      .gap(1, 9, T0 + 1) // '<a\n<b\n<c' lost: resynchronises after the newline of c
      .send(1, '\n<d\n', T0 + 2);
    expect(h.summary()).toEqual([
      `a>- Error [${Notes.responseLostInGap}]`,
      `b>- Error [${Notes.responseLostInGap}]`,
      `c>- Error [${Notes.responseLostInGap}]`,
      'd>d OK',
    ]);
  });

  it('a gap that swallows several whole requests leaves their responses unpaired', () => {
    const h = new EchoHarness()
      .send(0, '>a\n', T0)
      .gap(0, 12, T0 + 1) // '>b\n>c\n>d-hal' lost
      .send(0, 'f\n>e\n', T0 + 2)
      .send(1, '<a\n<b\n<c\n<d-half\n<e\n', T0 + 3);
    const s = h.summary();
    expect(s[0]).toBe('a>a OK');
    expect(s[s.length - 1]).toBe('e>e OK');
    expect(s.slice(1, -1).every((l) => l.startsWith('->') && l.includes('Error ['))).toBe(true);
    expect(s).toHaveLength(5);
  });

  it('property: whatever the gaps hit, no request is ever paired with another request\u2019s response', () => {
    // Requests are unique, the server echoes them in order; the capture loses random byte ranges.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 }), fc.boolean()), { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (n, gaps, cuts) => {
          // Each text starts with its own letter, so even a message cut short by a gap names its origin.
          const reqs = Array.from({ length: n }, (_, i) => `>${String.fromCharCode(97 + i)}-msg\n`).join('');
          const resps = reqs.replace(/>/g, '<');
          const h = new EchoHarness();
          for (const [dir, stream] of [
            [0, reqs],
            [1, resps],
          ] as const) {
            // Cut the stream into segments, then replace some byte ranges by gaps.
            const lost = new Set<number>();
            for (const [at, len, inDir] of gaps) {
              if ((inDir ? 1 : 0) !== dir) continue;
              const start = at % stream.length;
              for (let i = start; i < Math.min(stream.length, start + len); i++) lost.add(i);
            }
            const bounds = new Set<number>([0, stream.length, ...cuts.map((c) => c % stream.length)]);
            for (const i of lost) {
              bounds.add(i);
              bounds.add(i + 1);
            }
            const edges = [...bounds].sort((a, b) => a - b);
            let pendingGap = 0;
            for (let k = 0; k + 1 < edges.length; k++) {
              const [from, to] = [edges[k], edges[k + 1]];
              if (lost.has(from)) {
                pendingGap += to - from;
                continue;
              }
              if (pendingGap) h.gap(dir, pendingGap, T0 + dir);
              pendingGap = 0;
              h.send(dir, stream.slice(from, to), T0 + dir);
            }
            if (pendingGap) h.gap(dir, pendingGap, T0 + dir);
          }
          h.close('eof');
          for (const d of h.docs()) {
            if (d.request !== undefined && d.response !== undefined) {
              if (!(d.notes ?? []).includes(Notes.messageHitByGap)) expect(d.response).toBe(d.request);
              // A cut message is a prefix of its whole text: the shorter must begin the longer.
              else if (d.request.length <= d.response.length)
                expect(d.response.startsWith(d.request)).toBe(true);
              else expect(d.request.startsWith(d.response)).toBe(true);
            }
            // A complete OK transaction may only note that it follows a gap.
            if (d.status === 'OK')
              expect((d.notes ?? []).filter((n) => n !== Notes.messageAfterGap)).toEqual([]);
          }
          // With no gap in the request direction every request is published exactly once.
          if (!gaps.some(([, , inDir]) => !inDir)) {
            expect(h.docs().filter((d) => d.request !== undefined)).toHaveLength(n);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
