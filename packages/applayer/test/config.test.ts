import { z } from 'zod';
import {
  ProtocolConfigError,
  durationSchema,
  parseDuration,
  parseProtocolConfig,
  protocolConfigSchema,
  type ProtocolModule,
} from '@wirebeat/applayer';

describe('durations', () => {
  it.each([
    ['10s', 10_000],
    ['500ms', 500],
    ['1m', 60_000],
    ['2h', 7_200_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    [3, 3000],
    ['7', 7000],
  ])('%p is %p ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
    expect(durationSchema.parse(input)).toBe(ms);
  });

  it.each(['10 parsecs', '', 's', '-1s', '1d'])('rejects %p with the expected forms', (input) => {
    const r = durationSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toMatch(
      /expected a duration such as '10s', '500ms', '1m', '2h' or a number of seconds/,
    );
  });

  it('rejects a boolean', () => {
    expect(durationSchema.safeParse(true).success).toBe(false);
  });
});

describe('protocolConfigSchema', () => {
  const schema = protocolConfigSchema([3030], { depth: z.number().default(2) });
  const module = { name: 'demo', configSchema: schema } as unknown as ProtocolModule;

  it('applies the shared defaults, ports from the protocol', () => {
    expect(schema.parse({})).toEqual({
      enabled: true,
      ports: [3030],
      send_request: false,
      send_response: false,
      transaction_timeout: 10_000,
      max_pending_bytes: 128 * 1024 * 1024,
      depth: 2,
    });
  });

  it('parses a configured transaction_timeout to ms', () => {
    expect(schema.parse({ transaction_timeout: '250ms' }).transaction_timeout).toBe(250);
  });

  it('names an unknown option and lists the valid ones', () => {
    expect(() => parseProtocolConfig(module, { send_requests: true })).toThrow(
      new ProtocolConfigError('demo', [
        "unknown option 'send_requests'; valid options: enabled, ports, send_request, send_response, transaction_timeout, max_pending_bytes, depth",
      ]),
    );
  });

  it('names a mistyped option and the expected value', () => {
    try {
      parseProtocolConfig(module, { ports: [3030, 'http'], send_request: 'yes' });
      throw new Error('expected a ProtocolConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ProtocolConfigError);
      expect((err as ProtocolConfigError).problems).toEqual([
        'ports[1]: expected a port number from 1 to 65535',
        'send_request: expected true or false',
      ]);
    }
  });

  it('rejects out-of-range ports', () => {
    expect(() => parseProtocolConfig(module, { ports: [70000] })).toThrow(
      /ports\[0\]: expected a port number from 1 to 65535/,
    );
    expect(() => parseProtocolConfig(module, { ports: [] })).toThrow(/ports: expected at least one port/);
  });
});
