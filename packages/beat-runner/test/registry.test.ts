import * as path from 'path';
import { z } from 'zod';
import { PortConflictError, type ProtocolModule } from '@wirebeat/applayer';
import {
  checkPortCollisions,
  ConfigValidationError,
  enabledPorts,
  isProtocolModule,
  ProtocolSetupError,
  requirePackage,
  resolveProtocols,
} from '../src/internal';

const packages = path.join(__dirname, 'fixtures', 'protocol-packages');
const linecountPkg = path.join(packages, 'wirebeat-protocol-linecount');

/** A built-in protocol for these tests: the registry only needs the module's shape and schema. */
function fakeModule(name: string, defaultPorts: number[]): ProtocolModule {
  const configSchema = z.strictObject({
    enabled: z.boolean().default(true),
    ports: z.array(z.number().int().min(1).max(65535)).default(defaultPorts),
    send_request: z.boolean().default(false),
    send_response: z.boolean().default(false),
    transaction_timeout: z.number().default(10_000),
    greeting: z.string().default('hi'),
  });
  return {
    name,
    description: name,
    defaultPorts,
    configSchema,
    fields: [],
    create: () => {
      throw new Error('not used');
    },
  } as unknown as ProtocolModule;
}

const echo = fakeModule('echo', [3030]);
const other = fakeModule('other', [4040]);

describe('resolveProtocols', () => {
  it('runs every built-in protocol with its defaults when the config lists none', () => {
    const r = resolveProtocols('pb', undefined, [echo, other]);
    expect(r.map((p) => [p.module.name, p.config.ports])).toEqual([
      ['echo', [3030]],
      ['other', [4040]],
    ]);
    expect(r[0].config).toMatchObject({ enabled: true, send_request: false, greeting: 'hi' });
  });

  it('validates each entry with its protocol schema and names the path of a bad option', () => {
    expect(() => resolveProtocols('pb', [{ type: 'echo', ports: ['x'] }], [echo])).toThrow(
      ConfigValidationError,
    );
    expect(() => resolveProtocols('pb', [{ type: 'echo', ports: ['x'] }], [echo])).toThrow(
      /pb\.protocols\[0\]\.ports\[0\]: /,
    );
    expect(() =>
      resolveProtocols('pb', [{ type: 'echo' }, { type: 'other', colour: 'red' }], [echo, other]),
    ).toThrow('invalid config: unknown key pb.protocols[1].colour');
  });

  it('refuses an unknown type, listing the built-in ones', () => {
    expect(() => resolveProtocols('pb', [{ type: 'http' }], [echo, other])).toThrow(
      new ProtocolSetupError(
        'pb.protocols[0]: unknown protocol type "http" (built in: echo, other; use package: to load one)',
      ),
    );
  });

  it('refuses an entry with neither type nor package, and a protocol listed twice', () => {
    expect(() => resolveProtocols('pb', [{ ports: [1] }], [echo])).toThrow(
      'pb.protocols[0]: a protocol entry needs type: or package: (got "ports")',
    );
    expect(() => resolveProtocols('pb', [{ type: 'echo' }, { type: 'echo', ports: [9] }], [echo])).toThrow(
      'pb.protocols[1]: protocol echo is configured twice',
    );
  });

  it('loads a protocol from a package at start-up and validates its own options', () => {
    const r = resolveProtocols('pb', [{ package: linecountPkg, ports: [7000], max_line: 10 }], [echo]);
    expect(r).toHaveLength(1);
    expect(r[0].module.name).toBe('linecount');
    expect(r[0].config).toMatchObject({ ports: [7000], max_line: 10 });
    expect(() => resolveProtocols('pb', [{ package: linecountPkg, max_line: -1 }], [echo])).toThrow(
      /pb\.protocols\[0\]\.max_line: /,
    );
  });

  it('checks that type and package agree', () => {
    expect(() => resolveProtocols('pb', [{ type: 'echo', package: linecountPkg }], [echo])).toThrow(
      `pb.protocols[0]: package ${linecountPkg} provides protocol linecount, not echo`,
    );
  });

  it('refuses a package that is missing or exports no protocol module', () => {
    expect(() => resolveProtocols('pb', [{ package: 'wirebeat-no-such-package-xyz' }], [])).toThrow(
      /^cannot find protocol package wirebeat-no-such-package-xyz/,
    );
    const notProto = path.join(packages, 'not-a-protocol');
    expect(() => resolveProtocols('pb', [{ package: notProto }], [])).toThrow(
      `package ${notProto} does not export a protocol module`,
    );
  });

  it('refuses two enabled protocols on one port, naming both', () => {
    expect(() => resolveProtocols('pb', [{ type: 'echo' }, { package: linecountPkg }], [echo])).toThrow(
      new PortConflictError(3030, ['echo', 'linecount']),
    );
    expect(new PortConflictError(3030, ['echo', 'linecount']).message).toBe(
      'port 3030 is configured for both protocol echo and protocol linecount',
    );
  });

  it('refuses a port only when two protocols claim it on the same transport', () => {
    const on = (name: string, transports: Array<'tcp' | 'udp'>) => ({
      ...fakeModule(name, [5000]),
      transports,
    });
    const udpOnly = on('udponly', ['udp']);
    const tcpOnly = on('tcponly', ['tcp']);
    const both = on('both', ['tcp', 'udp']);
    const resolve = (mods: ProtocolModule[]) =>
      resolveProtocols(
        'pb',
        mods.map((m) => ({ type: m.name })),
        mods,
      );
    expect(() => resolve([udpOnly, tcpOnly])).not.toThrow();
    expect(() => resolve([udpOnly, both])).toThrow(new PortConflictError(5000, ['udponly', 'both']));
    expect(() => resolve([both, tcpOnly])).toThrow(new PortConflictError(5000, ['both', 'tcponly']));
  });

  it('allows the same port when one of the protocols is disabled', () => {
    const r = resolveProtocols('pb', [{ type: 'echo' }, { package: linecountPkg, enabled: false }], [echo]);
    expect(() => checkPortCollisions(r)).not.toThrow();
    expect(enabledPorts(r)).toEqual([3030]);
  });
});

describe('module loading', () => {
  it('recognises a protocol module by its shape', () => {
    expect(isProtocolModule(echo)).toBe(true);
    expect(isProtocolModule({ name: 'x' })).toBe(false);
    expect(isProtocolModule(null)).toBe(false);
  });

  it('loads packages relative to the working directory', () => {
    const cwd = process.cwd();
    process.chdir(packages);
    try {
      expect(requirePackage('./wirebeat-protocol-linecount')).toHaveProperty('default.name', 'linecount');
    } finally {
      process.chdir(cwd);
    }
  });
});
