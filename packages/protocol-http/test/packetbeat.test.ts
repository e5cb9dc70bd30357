// Packetbeat 8's HTTP fields and options, as its documentation describes them: what a Packetbeat
// user's dashboards, alerts and configs expect of an HTTP event.
import { deflateSync, gzipSync } from 'node:zlib';
import { PluginDriver } from '@wirebeat/testing';
import { httpProtocol } from '@wirebeat/protocol-http';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const OK_EMPTY = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';

/** One exchange through the HTTP analyzer (the real plugin, bytes in); the published document. */
function exchange(
  request: string | Uint8Array,
  response: string | Uint8Array = OK_EMPTY,
  config: Record<string, unknown> = {},
  serverPort = 80,
): Doc {
  const driver = new PluginDriver(httpProtocol, config, { tuple: { dstPort: serverPort } });
  driver.data(0, request);
  driver.data(1, response);
  driver.close();
  expect(driver.events).toHaveLength(1);
  return driver.events[0].fields as Doc;
}

const get = (path: string, headers = ''): string =>
  `GET ${path} HTTP/1.1\r\nHost: shop.example\r\n${headers}\r\n`;
const status = (code: number, phrase: string): string =>
  `HTTP/1.1 ${code} ${phrase}\r\nContent-Length: 0\r\n\r\n`;

describe('Packetbeat 8 HTTP semantics', () => {
  it('publishes the reason phrase in lower case and the Referer as http.request.referrer', () => {
    const d = exchange(get('/', 'Referer: http://ref.example/p\r\n'), status(404, 'Not Found'));
    expect(d.http.response.status_phrase).toBe('not found');
    expect(d.http.request.referrer).toBe('http://ref.example/p');
    expect(exchange(get('/')).http.request).not.toHaveProperty('referrer');
  });

  it('url.extension is the extension of the last path segment', () => {
    const ext = (target: string) => exchange(`GET ${target} HTTP/1.1\r\nHost: a\r\n\r\n`).url.extension;
    expect(ext('/static/app.min.js?v=2')).toBe('js');
    expect(ext('/archive.tar.gz')).toBe('gz');
    expect(ext('/dir.d/file')).toBeUndefined();
    expect(ext('/trailing.')).toBeUndefined();
    expect(ext('/')).toBeUndefined();
  });

  it('url.port and url.full carry the connection port when Host names none (80 left out)', () => {
    const url = (host: string, serverPort: number) =>
      exchange(`GET /p?q=1 HTTP/1.1\r\nHost: ${host}\r\n\r\n`, OK_EMPTY, {}, serverPort).url;
    expect(url('www.example.test', 8080)).toMatchObject({
      domain: 'www.example.test',
      port: 8080,
      full: 'http://www.example.test:8080/p?q=1',
    });
    const onDefault = url('www.example.test', 80);
    expect(onDefault.full).toBe('http://www.example.test/p?q=1');
    expect(onDefault).not.toHaveProperty('port');
    expect(url('www.example.test:9999', 8080)).toMatchObject({
      port: 9999,
      full: 'http://www.example.test:9999/p?q=1',
    });
    const explicit80 = url('www.example.test:80', 8080);
    expect(explicit80.full).toBe('http://www.example.test/p?q=1');
    expect(explicit80).not.toHaveProperty('port');
    expect(url('[::1]', 8000)).toMatchObject({ domain: '::1', port: 8000, full: 'http://[::1]:8000/p?q=1' });
  });

  it('status is Error (event.outcome failure) for every status >= 400, OK below', () => {
    const outcome = (code: number) => {
      const d = exchange(get('/'), status(code, 'X'));
      return [code, d.status, d.event.outcome];
    };
    expect([301, 399, 400, 404, 499, 500, 503].map(outcome)).toEqual([
      [301, 'OK', 'success'],
      [399, 'OK', 'success'],
      [400, 'Error', 'failure'],
      [404, 'Error', 'failure'],
      [499, 'Error', 'failure'],
      [500, 'Error', 'failure'],
      [503, 'Error', 'failure'],
    ]);
  });

  it('event.category is [network_traffic, network]; bytes are in source/destination.bytes only', () => {
    const d = exchange(get('/'), status(200, 'OK'));
    expect(d.event.category).toEqual(['network_traffic', 'network']);
    expect(d.source.bytes).toBeGreaterThan(0);
    expect(d).not.toHaveProperty('bytes_in');
    expect(d).not.toHaveProperty('bytes_out');
  });

  it('publishes content-length (a number) and content-type by default; send_headers false switches them off', () => {
    const resp = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello';
    const d = exchange(get('/'), resp);
    expect(d.http.request.headers).toEqual({ 'content-length': 0 });
    expect(d.http.response.headers).toEqual({ 'content-type': 'text/html', 'content-length': 5 });
    const off = exchange(get('/'), resp, { send_headers: false });
    expect(off.http.response.headers).toBeUndefined();
    const all = exchange(get('/'), resp, { send_headers: true });
    expect(all.http.response.headers).toEqual({
      'content-type': 'text/html',
      'content-length': 5,
      server: 'x',
    });
    const listed = exchange(get('/'), resp, { send_headers: ['Server'] });
    expect(listed.http.response.headers).toEqual({
      'content-type': 'text/html',
      'content-length': 5,
      server: 'x',
    });
  });

  it('masks Authorization as Packetbeat does: * in the headers, every character * in the request text', () => {
    const auth = 'Authorization: Basic YWxpY2U6aHVudGVyMg==\r\n';
    const d = exchange(get('/', auth), OK_EMPTY, { send_request: true, send_headers: ['authorization'] });
    expect(d.http.request.headers.authorization).toBe('*');
    expect(d.request).toContain(`Authorization:${'*'.repeat(' Basic YWxpY2U6aHVudGVyMg=='.length)}\r\n`);
    expect(JSON.stringify(d)).not.toContain('YWxpY2U6aHVudGVyMg');
    const open = exchange(get('/', auth), OK_EMPTY, {
      send_headers: ['authorization'],
      redact_authorization: false,
    });
    expect(open.http.request.headers.authorization).toBe('Basic YWxpY2U6aHVudGVyMg==');
  });

  it('user.name (and related.user) is the user of Basic authentication (never the password)', () => {
    const d = exchange(get('/', 'Authorization: Basic YWxpY2U6aHVudGVyMg==\r\n'));
    expect(d.user).toEqual({ name: 'alice' });
    expect(d.related.user).toEqual(['alice']);
    const bearer = exchange(get('/', 'Authorization: Bearer abc\r\n'));
    expect(bearer.user).toBeUndefined();
    expect(bearer.related).not.toHaveProperty('user');
  });

  it('query is METHOD and path without the query string; url.query keeps it', () => {
    const d = exchange(get('/search?q=shoes&page=2'));
    expect(d.query).toBe('GET /search');
    expect(d.url).toMatchObject({ path: '/search', query: 'q=shoes&page=2' });
  });

  it('url.query takes the parameters of a URL-encoded POST body; hide_keywords masks query and form values', () => {
    const body = 'user=alice&password=hunter2';
    const post =
      'POST /login?next=%2Fhome&token=t0k HTTP/1.1\r\nHost: shop.example\r\n' +
      `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    expect(exchange(post).url.query).toBe('next=%2Fhome&token=t0k&user=alice&password=hunter2');
    const hidden = exchange(post, OK_EMPTY, { hide_keywords: ['password', 'TOKEN'] });
    expect(hidden.url.query).toBe('next=%2Fhome&token=xxxxx&user=alice&password=xxxxx');
    expect(hidden.url.original).toBe('/login?next=%2Fhome&token=xxxxx');
    expect(hidden.url.full).toBe('http://shop.example/login?next=%2Fhome&token=xxxxx');
    expect(JSON.stringify(hidden)).not.toMatch(/hunter2|t0k/);
    // Not a form: the body is no parameter list.
    const json = post.replace('application/x-www-form-urlencoded', 'application/json');
    expect(exchange(json).url.query).toBe('next=%2Fhome&token=t0k');
  });

  it('destination.domain, server.domain and related.hosts come from the Host header (a name, not an address)', () => {
    const d = exchange(get('/'));
    expect(d.destination.domain).toBe('shop.example');
    expect(d.server.domain).toBe('shop.example');
    expect(d.related).toEqual({ ip: [d.client.ip, d.server.ip], hosts: ['shop.example'] });
    const byAddress = exchange('GET / HTTP/1.1\r\nHost: 10.1.2.3:8080\r\n\r\n');
    expect(byAddress.destination).not.toHaveProperty('domain');
    expect(byAddress.related).not.toHaveProperty('hosts');
  });

  it('real_ip_header: its first address is network.forwarded_ip, also in related.ip', () => {
    const req = get('/', 'X-Forwarded-For: 203.0.113.7, 10.0.0.1\r\n');
    const forwarded = exchange(req, OK_EMPTY, { real_ip_header: 'X-Forwarded-For' });
    expect(forwarded.network.forwarded_ip).toBe('203.0.113.7');
    expect(forwarded.related.ip).toEqual([forwarded.client.ip, forwarded.server.ip, '203.0.113.7']);
    expect(exchange(req).network).not.toHaveProperty('forwarded_ip');
    const junk = get('/', 'X-Forwarded-For: unknown\r\n');
    expect(exchange(junk, OK_EMPTY, { real_ip_header: 'x-forwarded-for' }).network).not.toHaveProperty(
      'forwarded_ip',
    );
  });

  it('split_cookie publishes Cookie and Set-Cookie as objects of cookie names', () => {
    const resp = 'HTTP/1.1 200 OK\r\nSet-Cookie: sid="abc"; Path=/\r\nContent-Length: 0\r\n\r\n';
    const d = exchange(get('/', 'Cookie: Theme=dark; lang=en\r\n'), resp, {
      send_headers: ['cookie', 'set-cookie'],
      redact_headers: [],
      split_cookie: true,
    });
    expect(d.http.request.headers.cookie).toEqual({ theme: 'dark', lang: 'en' });
    expect(d.http.response.headers['set-cookie']).toEqual({ sid: 'abc', path: '/' });
    // Redacted cookies still show their names, never their values.
    const redacted = exchange(get('/', 'Cookie: sid=secret\r\n'), OK_EMPTY, {
      send_headers: ['cookie'],
      split_cookie: true,
    });
    expect(redacted.http.request.headers.cookie).toEqual({ sid: 'REDACTED' });
  });

  it('include_body_for publishes bodies of those content types, decoded from gzip and deflate (decode_body)', () => {
    const text = '{"items":[1,2,3]}';
    const coded = (coding: string, body: Buffer): Buffer =>
      Buffer.concat([
        Buffer.from(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: ${coding}\r\n` +
            `Content-Length: ${body.length}\r\n\r\n`,
        ),
        body,
      ]);
    const cfg = { include_body_for: ['application/json'] };
    expect(exchange(get('/'), coded('gzip', gzipSync(text)), cfg).http.response.body).toEqual({
      bytes: gzipSync(text).length,
      content: text,
    });
    expect(exchange(get('/'), coded('deflate', deflateSync(text)), cfg).http.response.body.content).toBe(
      text,
    );
    const raw = exchange(get('/'), coded('gzip', gzipSync(text)), { ...cfg, decode_body: false });
    expect(raw.http.response.body.content).not.toBe(text);
    // Other content types, and requests unless include_request_body_for names them: no content.
    const html = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nhi';
    expect(exchange(get('/'), html, cfg).http.response.body).toEqual({ bytes: 2 });
    const put = `PUT /x HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: ${text.length}\r\n\r\n${text}`;
    expect(exchange(put, OK_EMPTY, { include_response_body_for: ['json'] }).http.request.body).toEqual({
      bytes: text.length,
    });
    expect(exchange(put, OK_EMPTY, { include_request_body_for: ['json'] }).http.request.body.content).toBe(
      text,
    );
  });

  it('max_message_size bounds the body content kept; max_body_bytes still bounds the request text', () => {
    const body = 'x'.repeat(3000);
    const resp = `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const d = exchange(get('/'), resp, {
      include_body_for: ['text/plain'],
      max_message_size: 1000,
      send_response: true,
      max_body_bytes: 10,
    });
    expect(d.http.response.body).toEqual({ bytes: 3000, content: 'x'.repeat(1000) });
    expect(d.response.endsWith('\r\n\r\n' + 'x'.repeat(10))).toBe(true);
  });

  it('error.message says what Packetbeat says of an unmatched request, beside the notes', () => {
    const driver = new PluginDriver(httpProtocol, {});
    driver.data(0, get('/hang'));
    driver.close();
    const d = driver.events[0].fields as Doc;
    expect(d.status).toBe('Error');
    expect(d.error).toEqual({ message: 'Unmatched request' });
    expect(d.notes).toEqual([expect.stringMatching(/^response missing/)]);
  });
});
