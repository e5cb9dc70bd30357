import fc from 'fast-check';
import { compileSerialiser, jsonString, type FieldDefinition } from '../src';

const defs: FieldDefinition[] = [
  { name: 'ns.version', type: 'keyword', description: '' },
  { name: 'ns.request.bytes', type: 'long', description: '' },
  { name: 'ns.request.ok', type: 'boolean', description: '' },
  { name: 'ns.request.headers', type: 'object', description: '' },
  { name: 'ns.response.code', type: 'long', description: '' },
  { name: 'url.scheme', type: 'keyword', description: '' },
  { name: 'url.original', type: 'keyword', description: '' },
  { name: 'method', type: 'keyword', description: '' },
];

describe('compileSerialiser', () => {
  const s = compileSerialiser(defs, 'ns');

  it('writes the namespace object in the declared order, whatever order the object was built in', () => {
    const text = s.namespace({ response: { code: 200 }, request: { ok: true, bytes: 12 }, version: '1.1' });
    expect(text).toBe('{"version":"1.1","request":{"bytes":12,"ok":true},"response":{"code":200}}');
  });

  it('leaves undefined values out and writes an empty object as {}', () => {
    expect(s.namespace({ version: undefined, request: undefined })).toBe('{}');
    expect(s.namespace({ request: { bytes: 1, ok: undefined } })).toBe('{"request":{"bytes":1}}');
  });

  it('writes top-level fields as members after a comma, in the declared order', () => {
    expect(s.rootMembers({ method: 'GET', url: { original: '/a"b', scheme: 'http' } })).toBe(
      ',"url":{"scheme":"http","original":"/a\\"b"},"method":"GET"',
    );
    expect(s.rootMembers({})).toBe('');
  });

  it('writes undeclared keys after the declared ones, and objects and arrays generically', () => {
    const text = s.namespace({ extra: [1, 'x'], request: { headers: { a: 'b' }, bytes: 2 } });
    expect(text).toBe('{"request":{"bytes":2,"headers":{"a":"b"}},"extra":[1,"x"]}');
  });

  it('writes non-finite numbers as null, as JSON.stringify does', () => {
    expect(s.namespace({ request: { bytes: NaN } })).toBe('{"request":{"bytes":null}}');
  });

  it('gives the same document as JSON.stringify for any values (parsed back)', () => {
    const side = fc.record(
      { bytes: fc.option(fc.double(), { nil: undefined }), ok: fc.option(fc.boolean(), { nil: undefined }) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.record(
          { version: fc.option(fc.string(), { nil: undefined }), request: side },
          { requiredKeys: [] },
        ),
        (obj) => {
          expect(JSON.parse(s.namespace(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
        },
      ),
    );
  });

  it('writes exactly the text of JSON.stringify for objects built in the declared order', () => {
    // Every kind of string: control characters, quotes, backslashes, lone and paired surrogates.
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const side = fc.record(
      {
        bytes: fc.option(fc.oneof(fc.integer(), fc.double()), { nil: undefined }),
        ok: fc.option(fc.boolean(), { nil: undefined }),
        headers: fc.option(fc.dictionary(text, fc.oneof(text, fc.integer())), { nil: undefined }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.record({ version: fc.option(text, { nil: undefined }), request: side }, { requiredKeys: [] }),
        (obj) => {
          expect(s.namespace(obj)).toBe(JSON.stringify(obj));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('jsonString', () => {
  it('quotes any string exactly as JSON.stringify does', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'binary', minLength: 250, maxLength: 300 }),
        ),
        (v) => {
          expect(jsonString(v)).toBe(JSON.stringify(v));
        },
      ),
      { numRuns: 500 },
    );
    for (const v of [
      '',
      'plain',
      '\u0000',
      '\u001f',
      '"',
      '\\',
      '\ud800',
      '\udfff',
      '\ud83d\ude00',
      'é€',
      'x'.repeat(300),
    ])
      expect(jsonString(v)).toBe(JSON.stringify(v));
  });
});
