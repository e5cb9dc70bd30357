// Protocol names must work as a package name, a file name, an identifier and an event field.
import { InvalidNameError, constantCase, pascalCase, validateProtocolName } from '../src';

describe('validateProtocolName', () => {
  it.each(['ping', 'echo2', 'my_proto', 'a1_b2', 'redis'])('accepts %s', (name) => {
    expect(() => validateProtocolName(name)).not.toThrow();
  });

  it.each([
    ['', /empty/],
    ['Ping', /lowercase/],
    ['2ping', /lowercase letter/],
    ['my-proto', /underscores/],
    ['my__proto', /single underscores/],
    ['trailing_', /underscores/],
    ['has space', /lowercase/],
    ['a'.repeat(41), /longer than 40/],
    ['class', /reserved word/],
    ['delete', /reserved word/],
    ['source', /common event field/],
    ['event', /common event field/],
    ['template', /reserved/],
  ])('refuses %j', (name, reason) => {
    expect(() => validateProtocolName(name)).toThrow(InvalidNameError);
    expect(() => validateProtocolName(name)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_NAME' }));
    expect(() => validateProtocolName(name)).toThrow(reason);
  });
});

describe('name casing', () => {
  it('derives class and constant names from snake_case', () => {
    expect(pascalCase('ping')).toBe('Ping');
    expect(pascalCase('my_proto2')).toBe('MyProto2');
    expect(constantCase('my_proto2')).toBe('MY_PROTO2');
  });
});
