// HTTP options: defaults, header lists, and one clear error per bad option.
import { HttpConfigError, parseHttpConfig } from '@wirebeat/protocol-http';

describe('http config', () => {
  it('has Packetbeat-like defaults', () => {
    expect(parseHttpConfig()).toMatchObject({
      ports: [80, 8080, 8000],
      redact_headers: ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'],
      redact_authorization: true,
      split_cookie: false,
      hide_keywords: [],
      include_body_for: [],
      decode_body: true,
      max_body_bytes: 4096,
      transaction_timeout: 10_000,
    });
  });

  it('lower-cases header names', () => {
    expect(parseHttpConfig({ send_headers: ['Content-Type'] }).send_headers).toEqual(['content-type']);
  });

  it('send_headers is true, false or a list, as Packetbeat', () => {
    expect(parseHttpConfig().send_headers).toBeUndefined();
    expect(parseHttpConfig({ send_headers: true }).send_headers).toBe(true);
    expect(parseHttpConfig({ send_headers: false }).send_headers).toBe(false);
    expect(() => parseHttpConfig({ send_headers: 'yes' })).toThrow(/true, false or a list of header names/);
  });

  it('names the bad option', () => {
    expect(() => parseHttpConfig({ max_body_bytes: -1 })).toThrow(HttpConfigError);
    expect(() => parseHttpConfig({ send_header: [] })).toThrow(/unknown option 'send_header'/);
  });
});
