// Secrets and hostile header names: what an HTTP event shows of them.
import { PluginDriver } from '@wirebeat/testing';
import { headerFieldName, httpProtocol, redactTarget } from '@wirebeat/protocol-http';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One exchange through the HTTP analyzer; the published document. */
function exchange(request: string, config: Record<string, unknown> = {}): Doc {
  const driver = new PluginDriver(httpProtocol, config);
  driver.data(0, request);
  driver.data(1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
  driver.close();
  expect(driver.events).toHaveLength(1);
  return driver.events[0].fields as Doc;
}

describe('http: secrets', () => {
  it('the password of a URL (absolute-form target) is published as REDACTED, never kept', () => {
    const doc = exchange(
      'GET http://alice:hunter2@example.com:8080/p?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n',
      {
        send_request: true,
      },
    );
    expect(doc.url).toMatchObject({
      original: 'http://alice:REDACTED@example.com:8080/p?q=1',
      domain: 'example.com',
      port: 8080,
      full: 'http://example.com:8080/p?q=1',
    });
    expect(doc.query).toBe('GET http://alice:REDACTED@example.com:8080/p?q=1');
    expect(JSON.stringify(doc)).not.toContain('hunter2');
  });

  it('a user without a password is kept as is', () => {
    expect(redactTarget('http://alice@example.com/')).toBe('http://alice@example.com/');
    expect(redactTarget('/a:b@c')).toBe('/a:b@c');
  });

  it('a folded (continued) Authorization line is redacted in the request text', () => {
    const doc = exchange(
      'GET / HTTP/1.1\r\nHost: h\r\nAuthorization: Basic\r\n YWxpY2U6aHVudGVyMg==\r\nAccept: */*\r\n\r\n',
      { send_request: true, send_all_headers: true },
    );
    expect(doc.request).toBe('GET / HTTP/1.1\r\nHost: h\r\nAuthorization: REDACTED\r\nAccept: */*\r\n\r\n');
    expect(doc.http.request.headers.authorization).toBe('REDACTED');
    expect(JSON.stringify(doc)).not.toContain('YWxpY2U6aHVudGVyMg');
  });
});

describe('http: hostile header names', () => {
  it('headers named constructor, __proto__ or toString are plain headers', () => {
    const doc = exchange(
      'GET / HTTP/1.1\r\nHost: h\r\nconstructor: c1\r\n__proto__: p1\r\ntoString: t1\r\nconstructor: c2\r\n\r\n',
      { send_all_headers: true },
    );
    const headers = doc.http.request.headers;
    expect(Object.getOwnPropertyDescriptor(headers, 'constructor')?.value).toBe('c1, c2');
    expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toBe('p1');
    expect(Object.getOwnPropertyDescriptor(headers, 'tostring')?.value).toBe('t1');
    expect(({} as Doc).polluted).toBeUndefined();
  });

  it('dots in header names become underscores (Elasticsearch reads dots as object paths)', () => {
    expect(headerFieldName('host.x')).toBe('host_x');
    const doc = exchange('GET / HTTP/1.1\r\nHost: h\r\nHost.x: y\r\n\r\n', { send_all_headers: true });
    expect(doc.http.request.headers).toEqual({ host: 'h', host_x: 'y' });
  });
});
