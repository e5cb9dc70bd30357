import { EchoConfigError, echoProtocol, parseEchoConfig } from '@wirebeat/protocol-echo';

describe('echo configuration', () => {
  it('has documented defaults', () => {
    expect(parseEchoConfig({})).toEqual({
      enabled: true,
      ports: [3030],
      send_request: false,
      send_response: false,
      transaction_timeout: 10_000,
      max_pending_bytes: 128 * 1024 * 1024,
      max_message_size: 1024 * 1024,
      max_pending_requests: 1000,
    });
    expect(echoProtocol.defaultPorts).toEqual([3030]);
  });

  it('accepts the shared options', () => {
    expect(
      parseEchoConfig({ ports: [3030, 4040], send_request: true, transaction_timeout: '2m' }),
    ).toMatchObject({
      ports: [3030, 4040],
      send_request: true,
      transaction_timeout: 120_000,
    });
  });

  it('a wrong type names the option and the expected value', () => {
    expect(() => parseEchoConfig({ send_response: 'yes' })).toThrow(
      new EchoConfigError('invalid echo configuration: send_response: expected true or false'),
    );
    expect(() => parseEchoConfig({ ports: 3030 })).toThrow(
      'invalid echo configuration: ports: expected a list of port numbers, e.g. [3030]',
    );
    expect(() => parseEchoConfig({ transaction_timeout: 'soon' })).toThrow(
      `invalid echo configuration: transaction_timeout: expected a duration such as '10s', '500ms', '1m', '2h' or a number of seconds, got "soon"`,
    );
    expect(() => parseEchoConfig({ max_message_size: -5 })).toThrow(
      'invalid echo configuration: max_message_size: expected a number of bytes (a positive integer)',
    );
  });

  it('an unknown key names the key and the valid options', () => {
    expect(() => parseEchoConfig({ port: 3030 })).toThrow(
      "invalid echo configuration: unknown option 'port'; valid options: enabled, ports, send_request, send_response, " +
        'transaction_timeout, max_pending_bytes, max_message_size, max_pending_requests',
    );
  });

  it('the module schema is strict too (what beat-runner validates with)', () => {
    const r = echoProtocol.configSchema.safeParse({ sendrequest: true });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toMatch(/unknown option 'sendrequest'/);
  });
});
