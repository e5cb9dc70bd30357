// The quick paths of header, host and URL work (common header names matched in place, values
// trimmed by hand, plain host names, IP checks skipped for names) agree with the general string
// operations they stand for, whatever the input.
import fc from 'fast-check';
import { addHeaderLine, splitHost, urlFields } from '@wirebeat/protocol-http';

/** What addHeaderLine did before its quick path: slice, trim, lower-case. */
function referenceHeader(line: string): [string, string] | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0) return undefined;
  return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
}

/** splitHost by its regular expression alone. */
function referenceHost(host: string): { domain: string; port?: number } | undefined {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(host.trim());
  if (m === null || m[1] === '') return undefined;
  const domain = m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
  return m[2] === undefined ? { domain } : { domain, port: Number(m[2]) };
}

const NAMES = [
  'Host',
  'HOST',
  'host',
  'User-Agent',
  'content-TYPE',
  'Content-Length',
  'X-Other',
  'Hos',
  'Hostt',
];
// Characters trim() removes or keeps at the edges: ASCII and Latin-1 spaces, controls, Unicode spaces.
const EDGES = [' ', '\t', '\v', '\f', '\r', '\u00a0', '\u0085', '\u2000', '\ufeff', '\u3000', 'a', 'É', ''];
const edge = fc.array(fc.constantFrom(...EDGES), { maxLength: 3 }).map((a) => a.join(''));
const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)) });

describe('addHeaderLine quick path', () => {
  it('gives the names and values slicing, trimming and lower-casing give', () => {
    const line = fc.oneof(
      fc
        .tuple(edge, fc.constantFrom(...NAMES), edge, edge, latin1, edge)
        .map((p) => `${p[0]}${p[1]}${p[2]}:${p[3]}${p[4]}${p[5]}`),
      latin1,
      fc.string(),
    );
    fc.assert(
      fc.property(line, (text) => {
        if (text.charCodeAt(0) === 0x20 || text.charCodeAt(0) === 0x09) return; // folding: its own path
        const headers: string[] = [];
        addHeaderLine(headers, text);
        const want = referenceHeader(text);
        expect(headers).toEqual(want === undefined ? [] : want);
      }),
      { numRuns: 3000 },
    );
  });

  it('matches a common name in any case, and nothing that only starts like one', () => {
    const headers: string[] = [];
    for (const line of ['HoSt: a', 'USER-AGENT:\tb ', 'Hostx: c', 'Hos: d', 'Content-Type :e'])
      addHeaderLine(headers, line);
    expect(headers).toEqual(['host', 'a', 'user-agent', 'b', 'hostx', 'c', 'hos', 'd', 'content-type', 'e']);
  });
});

describe('host and URL quick paths', () => {
  it('splitHost agrees with its regular expression', () => {
    const host = fc.oneof(
      fc
        .tuple(
          edge,
          fc.constantFrom('example.com', '[::1]', 'a:80', '[fe80::1]:8080', 'x:99999', ':1', '', '[a'),
          edge,
        )
        .map((p) => p.join('')),
      latin1,
    );
    fc.assert(
      fc.property(host, (h) => expect(splitHost(h)).toEqual(referenceHost(h))),
      { numRuns: 3000 },
    );
  });

  it('url.extension is the last segment extension', () => {
    const path = fc
      .array(fc.constantFrom('/', '.', 'a', 'b.c', '..', 'x.tar.gz', '/.'), { maxLength: 6 })
      .map((a) => '/' + a.join(''));
    fc.assert(
      fc.property(path, (p) => {
        const segment = p.slice(p.lastIndexOf('/') + 1);
        const dot = segment.lastIndexOf('.');
        const want = dot < 0 || dot === segment.length - 1 ? undefined : segment.slice(dot + 1);
        expect(urlFields('GET', p, 'h').extension).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });
});
