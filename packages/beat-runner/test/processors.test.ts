// Processors and Beats' `when` conditions on event objects shaped like wirebeat's events.
import * as os from 'os';
import { buildProcessors, compileCondition, ProcessorConfigError, runProcessors } from '../src/internal';

function event(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@timestamp': '2026-11-29T12:10:55.423Z',
    type: 'echo',
    status: 'OK',
    responsetime: 12,
    client: { ip: '127.0.0.1', port: 46180 },
    server: { ip: '10.1.2.3', port: 3030 },
    notes: ['gap in stream', 'response missing'],
    echo: { echoed: true, message: 'hello world' },
    ...over,
  };
}

describe('when conditions', () => {
  const holds = (spec: unknown, e = event()) => compileCondition(spec, 'when')(e);

  it('equals compares strings, numbers and booleans on dotted fields', () => {
    expect(holds({ equals: { type: 'echo' } })).toBe(true);
    expect(holds({ equals: { 'server.port': 3030 } })).toBe(true);
    expect(holds({ equals: { 'echo.echoed': true } })).toBe(true);
    expect(holds({ equals: { 'server.port': 3031 } })).toBe(false);
    expect(holds({ equals: { missing: 'x' } })).toBe(false);
  });

  it('contains looks into strings and into lists of strings', () => {
    expect(holds({ contains: { 'echo.message': 'world' } })).toBe(true);
    expect(holds({ contains: { notes: 'missing' } })).toBe(true);
    expect(holds({ contains: { notes: 'reset' } })).toBe(false);
  });

  it('regexp matches anywhere unless anchored', () => {
    expect(holds({ regexp: { 'echo.message': '^hel+o' } })).toBe(true);
    expect(holds({ regexp: { 'echo.message': '^world' } })).toBe(false);
  });

  it('range takes gte/gt/lte/lt bounds per field', () => {
    expect(holds({ range: { 'responsetime.gte': 12, 'responsetime.lt': 13 } })).toBe(true);
    expect(holds({ range: { 'responsetime.gt': 12 } })).toBe(false);
    expect(holds({ range: { 'missing.gt': 0 } })).toBe(false);
  });

  it('network takes CIDRs, named networks and lists of them', () => {
    expect(holds({ network: { 'client.ip': '127.0.0.0/8' } })).toBe(true);
    expect(holds({ network: { 'client.ip': 'loopback', 'server.ip': 'private' } })).toBe(true);
    expect(holds({ network: { 'server.ip': ['192.168.0.0/16', '10.1.0.0/16'] } })).toBe(true);
    expect(holds({ network: { 'server.ip': '10.2.0.0/16' } })).toBe(false);
    expect(holds({ network: { 'client.ip': '::1/128' } })).toBe(false);
  });

  it('has_fields, or, and, not combine', () => {
    expect(holds({ has_fields: ['echo.message', 'client.ip'] })).toBe(true);
    expect(holds({ has_fields: ['echo.nope'] })).toBe(false);
    expect(holds({ or: [{ equals: { type: 'http' } }, { equals: { status: 'OK' } }] })).toBe(true);
    expect(holds({ and: [{ equals: { type: 'echo' } }, { equals: { status: 'Error' } }] })).toBe(false);
    expect(holds({ not: { equals: { status: 'Error' } } })).toBe(true);
  });

  it('names the place of a malformed condition', () => {
    expect(() => compileCondition({ equal: { a: 1 } }, 'processors.0.drop_event.when')).toThrow(
      new ProcessorConfigError(
        'processors.0.drop_event.when.equal: unknown condition equal (equals, contains, regexp, range, network, has_fields, or, and, not)',
      ),
    );
    expect(() => compileCondition({ network: { 'client.ip': '10.0.0.0/33' } }, 'w')).toThrow(
      /w\.network\.client\.ip: "10\.0\.0\.0\/33" is not a CIDR/,
    );
    expect(() => compileCondition({ regexp: { a: '(' } }, 'w')).toThrow(
      /w\.regexp\.a: invalid regular expression/,
    );
    expect(() => compileCondition({ range: { responsetime: 3 } }, 'w')).toThrow(
      /expects <field>\.gte\|gt\|lte\|lt/,
    );
  });
});

describe('processors', () => {
  const run = (entries: Array<Record<string, unknown>>, e = event()) => ({
    kept: runProcessors(buildProcessors(entries), e),
    e,
  });

  it('add_fields adds under fields by default, under a target, or at the root', () => {
    expect(run([{ add_fields: { fields: { env: 'prod' } } }]).e.fields).toEqual({ env: 'prod' });
    expect(run([{ add_fields: { target: 'project', fields: { id: 7 } } }]).e.project).toEqual({ id: 7 });
    const { e } = run([{ add_fields: { target: '', fields: { echo: { extra: 1 } } } }]);
    expect(e.echo).toEqual({ echoed: true, message: 'hello world', extra: 1 });
  });

  it('drop_event drops only the events its condition selects', () => {
    const p = [{ drop_event: { when: { equals: { status: 'Error' } } } }];
    expect(run(p).kept).toBe(true);
    expect(run(p, event({ status: 'Error' })).kept).toBe(false);
  });

  it('drop_fields removes fields (and objects left empty) but never @timestamp or type', () => {
    const { e } = run([
      { drop_fields: { fields: ['echo.message', 'echo.echoed', 'notes', '@timestamp', 'type'] } },
    ]);
    expect(e.echo).toBeUndefined();
    expect(e.notes).toBeUndefined();
    expect(e['@timestamp']).toBeDefined();
    expect(e.type).toBe('echo');
  });

  it('include_fields keeps only the listed fields plus @timestamp and type', () => {
    const { e } = run([{ include_fields: { fields: ['client.ip', 'echo'] } }]);
    expect(e).toEqual({
      '@timestamp': '2026-11-29T12:10:55.423Z',
      type: 'echo',
      client: { ip: '127.0.0.1' },
      echo: { echoed: true, message: 'hello world' },
    });
  });

  it('rename moves a field and leaves an existing target alone', () => {
    const { e } = run([
      {
        rename: {
          fields: [
            { from: 'echo.message', to: 'message' },
            { from: 'type', to: 'status' },
          ],
        },
      },
    ]);
    expect(e.message).toBe('hello world');
    expect((e.echo as Record<string, unknown>).message).toBeUndefined();
    expect(e.type).toBe('echo');
    expect(e.status).toBe('OK');
  });

  it('add_host_metadata adds hostname, architecture, os, ip and mac beside host.name', () => {
    const { e } = run([{ add_host_metadata: null }], event({ host: { name: 'x' } }));
    const host = e.host as Record<string, unknown>;
    expect(host).toMatchObject({
      name: 'x',
      hostname: os.hostname(),
      architecture: expect.any(String),
      os: { type: process.platform, kernel: os.release() },
    });
    expect(Array.isArray(host.ip) && Array.isArray(host.mac)).toBe(true);
  });

  it('runs in order, each with its own when', () => {
    const { e } = run([
      { add_fields: { target: '', fields: { label: 'slow' } } },
      { drop_fields: { fields: ['label'], when: { range: { 'responsetime.lt': 100 } } } },
    ]);
    expect(e.label).toBeUndefined();
  });

  it('refuses unknown processors and options with the entry named', () => {
    expect(() => buildProcessors([{ drop_field: { fields: ['a'] } }])).toThrow(
      /^processors\.0\.drop_field: unknown processor/,
    );
    expect(() =>
      buildProcessors([{ add_fields: { fields: {} } }, { rename: { fields: [{ from: 'a' }] } }]),
    ).toThrow('processors.1.rename.fields: expects a list of {from: field, to: field}');
    expect(() => buildProcessors([{ drop_fields: { fields: ['a'], ignore: true } }])).toThrow(
      /processors\.0\.drop_fields: unknown option ignore/,
    );
  });
});
