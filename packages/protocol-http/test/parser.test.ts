// The HTTP parser on its own: framing of every body kind, heads, interim responses, limits, gaps.
import { makeTcpTuple } from '@wirebeat/applayer';
import {
  HttpNotes,
  HttpParser,
  headerValue,
  httpTransaction,
  parseHttpConfig,
  rootFields,
  type HttpMessage,
} from '@wirebeat/protocol-http';
import { bytewise } from '@wirebeat/testing';

const tuple = makeTcpTuple({
  ipVersion: 4,
  clientIp: '10.0.0.2',
  clientPort: 40000,
  serverIp: '10.0.0.1',
  serverPort: 80,
  openedAt: 0,
});
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function parser(dir: 0 | 1, method?: string, maxBodyBytes = 1024, maxHeadBytes = 4096) {
  const out: HttpMessage[] = [];
  const p = new HttpParser(tuple, dir, { maxHeadBytes, maxBodyBytes, requestMethod: () => method });
  const feed = (...chunks: string[]) => {
    for (const c of chunks) p.parse(enc(c), 1, (m) => out.push(m));
    return out;
  };
  return { p, out, feed, push: (m: HttpMessage) => out.push(m) };
}
const bodyText = (m: HttpMessage) => Buffer.concat(m.body).toString('latin1');

describe('HttpParser: requests', () => {
  it('reads a request line and headers', () => {
    const [m] = parser(0).feed('GET /a?b=1 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: t/1\r\n\r\n');
    expect(m).toMatchObject({ method: 'GET', target: '/a?b=1', version: '1.1', bodyBytes: 0, size: 64 });
    expect(headerValue(m, 'host')).toBe('example.com:8080');
    expect(m.headBytes).toBe(64);
  });

  it('reads a Content-Length body and a pipelined request after it', () => {
    const out = parser(0).feed('POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /y HTTP/1.1\r\n\r\n');
    expect(out.map((m) => [m.method, m.bodyBytes, bodyText(m)])).toEqual([
      ['POST', 5, 'hello'],
      ['GET', 0, ''],
    ]);
    expect(out[0].size).toBe(44);
  });

  it('reads a chunked body with extensions and trailers', () => {
    const wire =
      'POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: yes\r\n\r\n';
    const [m] = parser(0).feed(wire);
    expect(bodyText(m)).toBe('Wikipedia');
    expect(m.bodyBytes).toBe(9);
    expect(m.size).toBe(wire.length);
    expect(headerValue(m, 'x-trailer')).toBe('yes');
  });

  it('gives the same messages byte by byte', () => {
    const wire =
      'POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' +
      'PUT /d HTTP/1.0\r\nContent-Length: 3\r\n\r\nxyzGET / HTTP/1.1\r\n\r\n';
    const whole = parser(0).feed(wire);
    const split = parser(0);
    for (const chunk of bytewise(enc(wire))) split.p.parse(chunk, 1, split.push);
    expect(split.out.map((m) => [m.method, m.size, bodyText(m)])).toEqual(
      whole.map((m) => [m.method, m.size, bodyText(m)]),
    );
    expect(whole).toHaveLength(3);
  });

  it('skips garbage lines before a request line', () => {
    const [m] = parser(0).feed('\r\nnot http\r\nGET / HTTP/1.1\r\n\r\n');
    expect(m).toMatchObject({ method: 'GET', size: 18 });
  });

  it('keeps only max_body_bytes of the body but counts all of it', () => {
    const [m] = parser(0, undefined, 4).feed('POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123', '456789');
    expect(bodyText(m)).toBe('0123');
    expect(m.bodyBytes).toBe(10);
  });

  it('drops a head longer than max_message_size and resynchronises', () => {
    const out = parser(0, undefined, 0, 64).feed(
      'GET / HTTP/1.1\r\nX-Long: ' + 'a'.repeat(100) + '\r\n\r\nGET /next HTTP/1.1\r\n\r\n',
    );
    expect(out[0].notes).toContain(HttpNotes.headTooLong);
    expect(out[1]).toMatchObject({ target: '/next', truncated: false });
  });

  it('survives a segment holding a huge line without a newline', () => {
    const r = parser(0, undefined, 0, 1024);
    r.feed('GET / HTTP/1.1\r\nX-Big: ' + 'b'.repeat(200_000), 'bbb\r\n\r\nGET /after HTTP/1.1\r\n\r\n');
    expect(r.out.map((m) => [m.target, m.notes])).toEqual([
      ['/', [HttpNotes.headTooLong]],
      ['/after', undefined],
    ]);
  });
});

describe('HttpParser: responses', () => {
  it('reads a body until the connection closes', () => {
    const r = parser(1, 'GET');
    r.feed('HTTP/1.0 200 OK\r\n\r\nsome ', 'bytes');
    expect(r.out).toHaveLength(0);
    r.p.flush(r.push);
    expect(r.out[0]).toMatchObject({ statusCode: 200, bodyBytes: 10, truncated: false });
  });

  it('knows that HEAD, 204 and 304 responses have no body', () => {
    const head = parser(1, 'HEAD').feed(
      'HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nHTTP/1.1 200 OK\r\n\r\n',
    );
    expect(head.map((m) => m.bodyBytes)).toEqual([0, 0]);
    const r = parser(1, 'GET').feed(
      'HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n',
    );
    expect(r.map((m) => [m.statusCode, m.bodyBytes])).toEqual([
      [204, 0],
      [304, 0],
    ]);
  });

  it('marks 1xx responses as interim', () => {
    const out = parser(1, 'POST').feed(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok',
    );
    expect(out.map((m) => [m.statusCode, m.interim, m.statusPhrase])).toEqual([
      [100, true, 'Continue'],
      [201, false, 'Created'],
    ]);
  });

  it('stops after 101 Switching Protocols', () => {
    const r = parser(1, 'GET');
    r.feed('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello');
    expect(r.out).toHaveLength(1);
    expect(r.p.opaque).toBe(true);
  });
});

describe('HttpParser: gaps', () => {
  it('a gap inside a body of known length only shortens it', () => {
    const r = parser(1, 'GET');
    r.feed('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789');
    expect(r.p.gap(80, r.push)).toBe('absorbed');
    r.feed('0123456789HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    expect(r.out.map((m) => [m.statusCode, m.bodyBytes, m.truncated])).toEqual([
      [200, 100, false],
      [404, 0, false],
    ]);
    expect(r.out[0].notes).toEqual([HttpNotes.bodyHitByGap]);
  });

  it('a gap inside a chunk shortens the chunk', () => {
    const r = parser(1, 'GET');
    r.feed('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123');
    expect(r.p.gap(8, r.push)).toBe('absorbed');
    r.feed('4567\r\n0\r\n\r\n');
    expect(r.out[0]).toMatchObject({ bodyBytes: 16, truncated: false });
  });

  it('a gap beyond the body ends the message and resyncs at the next status line', () => {
    const r = parser(1, 'GET');
    r.feed('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01');
    expect(r.p.gap(50, r.push)).toBe('lost');
    r.feed('tail of something\r\nbody tailHTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n');
    expect(r.out.map((m) => [m.statusCode, m.truncated, m.bodyBytes])).toEqual([
      [200, false, 10],
      [500, false, 0],
    ]);
    expect(r.out[1].size).toBe('HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n'.length);
    expect(r.out[1].notes).toEqual(['message follows a gap in the stream']);
  });

  it('a gap inside a chunk size line cuts the message', () => {
    const r = parser(0);
    r.feed('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1');
    expect(r.p.gap(3, r.push)).toBe('cut');
    expect(r.out[0]).toMatchObject({ truncated: true, notes: ['message hit by a gap in the stream'] });
  });

  it('a gap in a head loses the message', () => {
    const r = parser(0);
    r.feed('GET / HTTP/1.1\r\nHost: a');
    expect(r.p.gap(10, r.push)).toBe('lost');
    r.feed('b\r\n\r\nGET /2 HTTP/1.1\r\n\r\n');
    expect(r.out.map((m) => m.target)).toEqual(['/2']);
  });
});

describe('size options at the boundary', () => {
  const post = (body: string) => `POST / HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

  it('max_body_bytes: a body of exactly the limit is kept whole, one byte more is cut to it', () => {
    const [atLimit] = parser(0, undefined, 4).feed(post('0123'));
    expect([bodyText(atLimit), atLimit.bodyBytes]).toEqual(['0123', 4]);
    const [past] = parser(0, undefined, 4).feed(post('01234'));
    expect([bodyText(past), past.bodyBytes]).toEqual(['0123', 5]);
  });

  it('max_message_size: a head of exactly the limit is read, one byte more is dropped as too long', () => {
    const head = (size: number) => {
      const base = 'GET / HTTP/1.1\r\nX: \r\n\r\n';
      return base.replace('X: ', 'X: ' + 'a'.repeat(size - base.length));
    };
    expect(head(64)).toHaveLength(64);
    const [atLimit] = parser(0, undefined, 0, 64).feed(head(64).slice(0, 30), head(64).slice(30));
    expect(atLimit.notes ?? []).not.toContain(HttpNotes.headTooLong);
    const [past] = parser(0, undefined, 0, 64).feed(head(65).slice(0, 30), head(65).slice(30));
    expect(past.notes).toContain(HttpNotes.headTooLong);
  });
});

// Quick paths of the event fields (names skip isIP, no form means no joining), on parsed requests.
describe('HTTP events of parsed requests', () => {
  it('destination.domain is the Host when it is a name, never when it is an address', () => {
    const cfg = parseHttpConfig({});
    const domainOf = (host: string) => {
      const [req] = parser(0).feed(`GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      return httpTransaction({ request: req, response: undefined, notes: undefined, index: 0 }, cfg).domain;
    };
    expect(domainOf('shop.example.com')).toBe('shop.example.com');
    expect(domainOf('host1')).toBe('host1');
    expect(domainOf('10.0.0.1')).toBeUndefined();
    expect(domainOf('10.0.0.1:8080')).toBeUndefined();
    expect(domainOf('[::1]:8080')).toBeUndefined();
    expect(domainOf('[fe80::1]')).toBeUndefined();
    expect(domainOf('999.1.1.1')).toBe('999.1.1.1');
  });

  it('url.query of a request without a form is its target query, keywords hidden', () => {
    const cfg = parseHttpConfig({ hide_keywords: ['pass'] });
    const query = (target: string) => {
      const [req] = parser(0).feed(`GET ${target} HTTP/1.1\r\nHost: h\r\n\r\n`);
      const root = httpTransaction(
        { request: req, response: undefined, notes: undefined, index: 0 },
        cfg,
      ).root;
      return (root as ReturnType<typeof rootFields>).url.query;
    };
    expect(query('/a?user=x&pass=y')).toBe('user=x&pass=xxxxx');
    expect(query('/a?')).toBe('');
    expect(query('/a')).toBeUndefined();
  });
});
