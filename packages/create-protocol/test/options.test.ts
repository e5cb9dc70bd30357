// Command-line flags and the answers they give.
import {
  InvalidNameError,
  InvalidOptionError,
  UsageError,
  parseCliOptions,
  parseFraming,
  parsePairing,
  parseTransport,
  parsePort,
  completeLengthFraming,
  DEFAULT_LENGTH_FRAMING,
} from '../src';

describe('parseCliOptions', () => {
  it('takes the name as a positional argument or --name', () => {
    expect(parseCliOptions(['ping']).name).toBe('ping');
    expect(parseCliOptions(['--name', 'ping']).name).toBe('ping');
    expect(parseCliOptions(['ping', '--name', 'ping']).name).toBe('ping');
  });

  it('reads every flag', () => {
    expect(
      parseCliOptions([
        'ping',
        '--port',
        '4040',
        '--description',
        'Ping it.',
        '--framing',
        'length',
        '--dir',
        '/x',
        '--scope',
        '@acme',
        '--yes',
      ]),
    ).toEqual({
      name: 'ping',
      port: 4040,
      description: 'Ping it.',
      framing: 'length',
      dir: '/x',
      scope: 'acme',
      yes: true,
      help: false,
    });
  });

  it('refuses unknown flags, extra arguments and two different names', () => {
    expect(() => parseCliOptions(['ping', '--colour'])).toThrow(UsageError);
    expect(() => parseCliOptions(['ping', 'pong'])).toThrow(/unexpected arguments: pong/);
    expect(() => parseCliOptions(['ping', '--name', 'pong'])).toThrow(/two different names/);
  });

  it('validates the name, port, framing and description as it reads them', () => {
    expect(() => parseCliOptions(['Bad-Name'])).toThrow(InvalidNameError);
    expect(() => parseCliOptions(['ping', '--port', '70000'])).toThrow(/invalid port "70000"/);
    expect(() => parseCliOptions(['ping', '--framing', 'xml'])).toThrow(
      /expected one of newline, length, custom/,
    );
    expect(() => parseCliOptions(['ping', '--description', ' '])).toThrow(InvalidOptionError);
    expect(() => parseCliOptions(['ping', '--scope', '@Bad Scope'])).toThrow(/not a valid npm scope/);
  });
});

describe('parsePort / parseFraming', () => {
  it('accepts 1..65535 only', () => {
    expect(parsePort('1')).toBe(1);
    expect(parsePort(' 65535 ')).toBe(65535);
    for (const bad of ['0', '65536', '-1', '3.5', 'http', ''])
      expect(() => parsePort(bad)).toThrow(InvalidOptionError);
  });

  it('accepts the framings and their long names', () => {
    expect(parseFraming('newline-delimited')).toBe('newline');
    expect(parseFraming('Length-Prefixed')).toBe('length');
    expect(parseFraming('fixed-header')).toBe('custom');
    expect(parseFraming('custom')).toBe('custom');
  });
});

describe('transport and pairing options', () => {
  it('take tcp | udp | both and fifo | key, and refuse others naming the choices', () => {
    expect(parseCliOptions(['x', '--transport', 'both', '--pairing', 'key'])).toMatchObject({
      transport: 'both',
      pairing: 'key',
    });
    expect(parseTransport('UDP')).toBe('udp');
    expect(() => parseTransport('sctp')).toThrow(/expected one of tcp, udp, both/);
    expect(() => parsePairing('lifo')).toThrow(/expected one of fifo, key/);
  });
});

describe('length-prefixed framing flags', () => {
  it('are read, imply --framing length and complete to a framing whose header holds the length', () => {
    const options = parseCliOptions([
      'x',
      '--length-size',
      '2',
      '--length-offset',
      '2',
      '--byte-order',
      'LE',
    ]);
    expect(options).toMatchObject({
      framing: 'length',
      lengthFraming: { lengthSize: 2, lengthOffset: 2, byteOrder: 'little' },
    });
    expect(completeLengthFraming(options.lengthFraming!)).toEqual({
      headerSize: 4,
      lengthOffset: 2,
      lengthSize: 2,
      byteOrder: 'little',
      lengthIncludesHeader: false,
    });
    expect(parseCliOptions(['x', '--length-includes-header']).lengthFraming).toEqual({
      lengthIncludesHeader: true,
    });
    expect(completeLengthFraming({})).toEqual(DEFAULT_LENGTH_FRAMING);
  });

  it('refuse bad values with one line naming what is expected', () => {
    expect(() => parseCliOptions(['x', '--length-size', '8'])).toThrow(
      new InvalidOptionError('invalid length size "8": expected 1, 2, 3 or 4 (bytes)'),
    );
    expect(() => parseCliOptions(['x', '--length-offset=-1'])).toThrow(
      /invalid length offset "-1": expected 0\.\.1024/,
    );
    expect(() => parseCliOptions(['x', '--header-size', '0'])).toThrow(
      /invalid header size "0": expected 1\.\.1024/,
    );
    expect(() => parseCliOptions(['x', '--byte-order', 'middle'])).toThrow(/expected big or little/);
    expect(() => completeLengthFraming({ headerSize: 3, lengthOffset: 1, lengthSize: 4 })).toThrow(
      'invalid header size 3: a 4-byte length at offset 1 needs at least 5',
    );
    expect(() => parseCliOptions(['x', '--framing', 'newline', '--length-size', '2'])).toThrow(UsageError);
  });
});
