// Processors and Beats' `when` conditions on event objects shaped like wirebeat's events.
import * as net from 'net';
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

  it('rename moves a field and leaves an existing target alone (fail_on_error: false)', () => {
    const { e } = run([
      {
        rename: {
          fail_on_error: false,
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

describe('rename and drop_fields options, as Beats defines them', () => {
  const failures: string[] = [];
  const run = (entries: Array<Record<string, unknown>>, e = event()) => {
    failures.length = 0;
    const kept = runProcessors(buildProcessors(entries), e, (kind, msg) => failures.push(`${kind}: ${msg}`));
    return { kept, e };
  };

  it('rename: a missing source fails by default, restores the event and sets error.message', () => {
    const before = event();
    const { kept, e } = run([
      {
        rename: {
          fields: [
            { from: 'echo.message', to: 'message' },
            { from: 'nope', to: 'other' },
          ],
        },
      },
    ]);
    expect(kept).toBe(true);
    expect(e).toEqual({
      ...before,
      error: {
        message: 'Failed to rename fields in processor: could not fetch value for key: nope: key not found',
      },
    });
    expect(failures).toEqual([expect.stringMatching(/^rename: Failed to rename fields in processor/)]);
  });

  it('rename: ignore_missing skips a missing source without a failure', () => {
    const { e } = run([
      {
        rename: {
          ignore_missing: true,
          fields: [
            { from: 'nope', to: 'other' },
            { from: 'echo.message', to: 'message' },
          ],
        },
      },
    ]);
    expect(e.message).toBe('hello world');
    expect(e.other).toBeUndefined();
    expect(e.error).toBeUndefined();
    expect(failures).toEqual([]);
  });

  it('rename: an existing target fails; fail_on_error false skips that pair and renames the others', () => {
    const entry = (failOnError: boolean) => ({
      rename: {
        fail_on_error: failOnError,
        fields: [
          { from: 'echo.message', to: 'message' },
          { from: 'type', to: 'status' },
          { from: 'responsetime', to: 'rt' },
        ],
      },
    });
    const lenient = run([entry(false)]).e;
    expect(lenient).toMatchObject({ message: 'hello world', type: 'echo', status: 'OK', rt: 12 });
    expect(lenient.error).toBeUndefined();
    expect(failures).toEqual([
      'rename: Failed to rename fields in processor: target field status already exists, drop or rename this field first',
    ]);
    const strict = run([entry(true)]).e;
    expect(strict.message).toBeUndefined();
    expect(strict.responsetime).toBe(12);
    expect((strict.echo as Record<string, unknown>).message).toBe('hello world');
    expect((strict.error as Record<string, unknown>).message).toMatch(/target field status already exists/);
  });

  it('rename: a failure does not stop the chain (the next processor still runs)', () => {
    const { e } = run([
      { rename: { fields: [{ from: 'nope', to: 'x' }] } },
      { add_fields: { target: '', fields: { after: 1 } } },
    ]);
    expect(e.after).toBe(1);
  });

  it('drop_fields: a missing field is a failure unless ignore_missing; the others are dropped all the same', () => {
    const strict = run([{ drop_fields: { fields: ['nope', 'notes'] } }]);
    expect(strict.kept).toBe(true);
    expect(strict.e.notes).toBeUndefined();
    expect(failures).toEqual(['drop_fields: failed to drop fields [nope]: key not found']);
    const lenient = run([{ drop_fields: { fields: ['nope', 'notes'], ignore_missing: true } }]);
    expect(lenient.e.notes).toBeUndefined();
    expect(failures).toEqual([]);
  });

  it('refuses an option that is not a boolean', () => {
    expect(() =>
      buildProcessors([{ rename: { fields: [{ from: 'a', to: 'b' }], fail_on_error: 'no' } }]),
    ).toThrow('processors.0.rename.fail_on_error: expects true or false');
    expect(() => buildProcessors([{ drop_fields: { fields: ['a'], ignore_missing: 1 } }])).toThrow(
      'processors.0.drop_fields.ignore_missing: expects true or false',
    );
  });
});

describe('field paths never reach Object.prototype (issue 24)', () => {
  afterEach(() => {
    for (const k of ['polluted', 'x', 'dc']) delete (Object.prototype as Record<string, unknown>)[k];
  });

  it('rename to __proto__.polluted makes a field named __proto__, not a prototype property', () => {
    const e = event();
    runProcessors(
      buildProcessors([{ rename: { fields: [{ from: 'echo.message', to: '__proto__.polluted' }] } }]),
      e,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(e)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(e)).__proto__).toEqual({ polluted: 'hello world' });
    // And back: the field can be read and renamed like any other.
    runProcessors(
      buildProcessors([{ rename: { fields: [{ from: '__proto__.polluted', to: 'message' }] } }]),
      e,
    );
    expect(e.message).toBe('hello world');
    expect(Object.prototype.hasOwnProperty.call(e, '__proto__')).toBe(false);
  });

  it('constructor.prototype paths, add_fields, include_fields and drop_fields stay on the event', () => {
    const e = event();
    runProcessors(
      buildProcessors([
        { rename: { fields: [{ from: 'type', to: 'constructor.prototype.x' }] } },
        { add_fields: { target: '__proto__', fields: { dc: 'par1' } } },
        { add_fields: { target: '', fields: JSON.parse('{"__proto__": {"polluted": 1}}') } },
        { drop_fields: { fields: ['__proto__.toString', 'constructor.name'], ignore_missing: true } },
      ]),
      e,
    );
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(({} as Record<string, unknown>).dc).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof Object.prototype.toString).toBe('function');
    expect(Object.getPrototypeOf(e)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(e)).__proto__).toEqual({ dc: 'par1', polluted: 1 });
    const kept = event();
    runProcessors(buildProcessors([{ include_fields: { fields: ['__proto__', 'client.ip'] } }]), kept);
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
  });
});

describe("network condition: Beats' named ranges", () => {
  const inRange = (name: string, ip: string) =>
    compileCondition({ network: { 'client.ip': name } }, 'when')(event({ client: { ip } }));

  it.each([
    ['link_local_unicast', '169.254.0.1', '169.255.0.1'],
    ['link_local_unicast', '169.254.255.254', '169.253.255.255'],
    ['link_local_unicast', 'fe80::1', 'fec0::1'],
    ['link_local_unicast', 'febf:ffff::1', 'fe7f::1'],
    ['multicast', '224.0.0.1', '223.255.255.255'],
    ['multicast', '239.255.255.255', '240.0.0.0'],
    ['multicast', 'ff02::1', 'fe80::1'],
    ['unspecified', '0.0.0.0', '0.0.0.1'],
    ['unspecified', '::', '::1'],
    ['loopback', '127.255.255.254', '128.0.0.1'],
    ['private', '172.31.255.255', '172.32.0.0'],
    ['private', 'fd00::1', 'fe00::1'],
  ])('%s holds for %s (and not for %s, just outside)', (name, inside, outside) => {
    expect(inRange(name, inside)).toBe(true);
    expect(inRange(name, outside)).toBe(false);
  });
});

describe('network condition on IPv4 values (matched by arithmetic)', () => {
  const holdsFor = (nets: string | string[], ip: string) =>
    compileCondition({ network: { 'client.ip': nets } }, 'when')(event({ client: { ip } }));

  it('agrees with BlockList on random addresses and subnets, at every prefix length', () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const quad = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    for (let i = 0; i < 2000; i++) {
      const prefix = i % 33;
      const subnet = quad(next());
      // Half the addresses share the subnet's top bits, so both answers occur at every length.
      const ip = i % 2 === 0 ? quad(next()) : subnet.split('.').slice(0, 3).join('.') + `.${i % 256}`;
      const blocks = new net.BlockList();
      blocks.addSubnet(subnet, prefix, 'ipv4');
      expect([subnet, prefix, ip, holdsFor(`${subnet}/${prefix}`, ip)]).toEqual([
        subnet,
        prefix,
        ip,
        blocks.check(ip, 'ipv4'),
      ]);
    }
  });

  it('still matches IPv4 values against IPv6 subnets over mapped addresses, as BlockList does', () => {
    expect(holdsFor('::ffff:10.0.0.0/104', '10.1.2.3')).toBe(true);
    expect(holdsFor('::ffff:10.0.0.0/104', '11.1.2.3')).toBe(false);
    expect(holdsFor(['192.168.0.0/16', '::/0'], '8.8.8.8')).toBe(true);
    expect(holdsFor(['private', 'loopback'], '8.8.8.8')).toBe(false);
    expect(holdsFor('10.0.0.0/8', '::ffff:10.1.2.3')).toBe(true);
  });

  it('takes odd spellings (leading zeros) by the generic path', () => {
    expect(holdsFor('10.0.0.0/8', '010.1.2.3')).toBe(false);
    expect(holdsFor('10.0.0.0/8', '10.1.2.3 ')).toBe(false);
  });
});

describe('add_host_metadata netinfo.enabled', () => {
  const hostOf = (opts: unknown) => {
    const e = event({ host: { name: 'x' } });
    runProcessors(buildProcessors([{ add_host_metadata: opts }]), e);
    return e.host as Record<string, unknown>;
  };

  it('adds host.ip and host.mac by default and with netinfo.enabled: true', () => {
    for (const opts of [null, { netinfo: { enabled: true } }]) {
      const host = hostOf(opts);
      expect(host.ip).toEqual(expect.arrayContaining([expect.any(String)]));
      expect(Array.isArray(host.mac)).toBe(true);
    }
  });

  it('leaves them out with netinfo.enabled: false, keeping the rest', () => {
    const host = hostOf({ netinfo: { enabled: false } });
    expect(host).not.toHaveProperty('ip');
    expect(host).not.toHaveProperty('mac');
    expect(host).toMatchObject({ name: 'x', hostname: os.hostname(), architecture: expect.any(String) });
  });
});
