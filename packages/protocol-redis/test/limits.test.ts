// max_bulk_bytes at its boundary, through the plugin as a beat runs it: a bulk string of exactly
// max_bulk_bytes is published whole, one byte more is cut to max_bulk_bytes and counted.
import { redisProtocol } from '@wirebeat/protocol-redis';
import { PluginDriver, bytewise } from '@wirebeat/testing';

const LIMIT = 8;

function returnValue(bulk: string, split: boolean): unknown {
  const d = new PluginDriver(redisProtocol, {
    send_request: true,
    send_response: true,
    max_bulk_bytes: LIMIT,
  });
  const enc = (s: string) => new TextEncoder().encode(s);
  const reply = enc(`$${bulk.length}\r\n${bulk}\r\n`);
  d.chunks(0, [enc('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n')]);
  d.chunks(1, split ? bytewise(reply) : [reply]);
  const [event] = d.close('fin');
  return (event.fields.redis as Record<string, unknown>).return_value;
}

describe.each([false, true])('max_bulk_bytes at the boundary (one byte a segment: %s)', (split) => {
  it('publishes a bulk string of exactly max_bulk_bytes whole', () => {
    expect(returnValue('12345678', split)).toBe('12345678');
  });

  it('cuts a bulk string one byte longer to max_bulk_bytes and says how long it was', () => {
    expect(returnValue('123456789', split)).toBe('12345678... (9 bytes)');
  });

  it('publishes one byte less whole', () => {
    expect(returnValue('1234567', split)).toBe('1234567');
  });
});
