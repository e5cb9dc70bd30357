// Options: defaults, validation, and one clear line per bad option.
import { DEFAULT_PORTS, TemplateConfigError, parseTemplateConfig, templateProtocol } from '../src';
import { parserOptions } from '../src/parser';

/** Defaults of the options the framing adds (the length-prefixed one adds `framing`). */
const framingDefaults = Object.fromEntries(
  Object.entries(parserOptions as Record<string, { parse(value: undefined): unknown }>).map(
    ([key, option]) => [key, option.parse(undefined)],
  ),
);

describe('template options', () => {
  it('applies the defaults', () => {
    expect(parseTemplateConfig({})).toEqual({
      enabled: true,
      ports: DEFAULT_PORTS,
      send_request: false,
      send_response: false,
      transaction_timeout: 10_000,
      max_pending_bytes: 128 * 1024 * 1024,
      max_message_size: 1024 * 1024,
      max_pending_requests: 1000,
      ...framingDefaults,
    });
    expect(templateProtocol.defaultPorts).toEqual(DEFAULT_PORTS);
  });

  it('parses durations and keeps given values', () => {
    const config = parseTemplateConfig({ ports: [1, 2], transaction_timeout: '1m', max_message_size: 4096 });
    expect(config).toMatchObject({ ports: [1, 2], transaction_timeout: 60_000, max_message_size: 4096 });
  });

  it('names each bad option and unknown keys', () => {
    expect(() => parseTemplateConfig({ ports: [0] })).toThrow(TemplateConfigError);
    expect(() => parseTemplateConfig({ ports: [0] })).toThrow(/ports\[0\]: expected a port number/);
    expect(() => parseTemplateConfig({ max_message_size: 0 })).toThrow(
      /max_message_size: expected a number of bytes/,
    );
    expect(() => parseTemplateConfig({ colour: 'red' })).toThrow(/unknown option 'colour'/);
  });
});
