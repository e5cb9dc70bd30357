// HTTP options: defaults, header lists, and one clear error per bad option.
import { HttpConfigError, parseHttpConfig } from '@wirebeat/protocol-http';

describe('http config', () => {
  it('has Packetbeat-like defaults', () => {
    expect(parseHttpConfig()).toMatchObject({
      ports: [80, 8080, 8000],
      send_headers: [],
      redact_headers: ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'],
      max_body_bytes: 4096,
      transaction_timeout: 10_000,
    });
  });

  it('lower-cases header names', () => {
    expect(parseHttpConfig({ send_headers: ['Content-Type'] }).send_headers).toEqual(['content-type']);
  });

  it('names the bad option', () => {
    expect(() => parseHttpConfig({ max_body_bytes: -1 })).toThrow(HttpConfigError);
    expect(() => parseHttpConfig({ send_header: [] })).toThrow(/unknown option 'send_header'/);
  });
});
