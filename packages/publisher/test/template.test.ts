import { buildIndexTemplate, buildProperties, FieldMappingError, IndexNamer } from '@wirebeat/publisher';

describe('index template', () => {
  it('turns dotted names into nested properties with their types', () => {
    expect(
      buildProperties([
        { name: 'source.ip', type: 'ip', description: '' },
        { name: 'source.port', type: 'long', description: '' },
        { name: 'echo.message', type: 'text', description: '' },
        { name: 'echo.kind', type: 'keyword', description: '' },
      ]),
    ).toEqual({
      source: { properties: { ip: { type: 'ip' }, port: { type: 'long' } } },
      echo: { properties: { message: { type: 'text' }, kind: { type: 'keyword', ignore_above: 1024 } } },
    });
  });

  it('rejects a field nested under a leaf', () => {
    expect(() =>
      buildProperties([
        { name: 'a', type: 'keyword', description: '' },
        { name: 'a.b', type: 'long', description: '' },
      ]),
    ).toThrow(FieldMappingError);
  });

  it('maps the common fields and the protocol fields, for the given pattern', () => {
    const t = buildIndexTemplate([{ name: 'echo.message_count', type: 'long', description: '' }], {
      pattern: 'pb_echo-1.0.0-*',
      beatName: 'pb_echo',
      beatVersion: '1.0.0',
      numberOfShards: 1,
      refreshInterval: '5s',
    }) as {
      index_patterns: string[];
      template: {
        mappings: { properties: Record<string, { properties: Record<string, { type: string }> }> };
      };
    };
    expect(t.index_patterns).toEqual(['pb_echo-1.0.0-*']);
    const props = t.template.mappings.properties;
    expect(props.source.properties.ip.type).toBe('ip');
    expect(props.event.properties.duration.type).toBe('long');
    expect(props.event.properties.start.type).toBe('date');
    expect(props.echo.properties.message_count.type).toBe('long');
    expect((props['@timestamp'] as unknown as { type: string }).type).toBe('date');
  });
});

describe('IndexNamer', () => {
  it('names daily indices from the event time in UTC', () => {
    const n = new IndexNamer('%{beat}-%{version}-%{+yyyy.MM.dd}', 'pb_echo', '0.1.0');
    expect(n.nameFor(Date.UTC(2026, 0, 2, 23, 59, 59))).toBe('pb_echo-0.1.0-2026.01.02');
    expect(n.nameFor(Date.UTC(2026, 0, 3, 0, 0, 0))).toBe('pb_echo-0.1.0-2026.01.03');
    expect(new IndexNamer('X-%{+yyyy.MM.dd.HH}', 'b', 'v').nameFor(Date.UTC(2026, 4, 6, 7))).toBe(
      'x-2026.05.06.07',
    );
  });
});
