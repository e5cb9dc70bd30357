// Resolves the config's protocol list into modules and validated options. Modules come from the
// beat's code (as the tutorial's main imports them) or from npm packages named in the config.
import path from 'path';
import {
  PortConflictError,
  findPortConflict,
  type ProtocolModule,
  type SharedProtocolConfig,
} from '@wirebeat/applayer';
import { isBeatsKey } from '../config/beats-keys';
import { formatIssues } from '../config/issues';
import type { ProtocolEntry } from '../config/schema';
import { ConfigValidationError, ProtocolSetupError } from '../errors';

/** A protocol ready to run: its module and its validated options. */
export interface ResolvedProtocol {
  module: ProtocolModule;
  config: SharedProtocolConfig;
}

/**
 * A protocol built into a beat, named by its npm package: the package loads only when the config
 * runs the protocol (a beat with many protocols starts faster when its config enables a few).
 * `name` is the protocol's type; the package is resolved from the beat's main module, then from
 * beat-runner. E.g. `{ name: 'http', package: '@wirebeat/protocol-http' }`.
 */
export interface ProtocolPackage {
  readonly name: string;
  readonly package: string;
}

/** A built-in protocol loaded on first need by `load`. */
export interface LazyProtocol {
  readonly name: string;
  load(): ProtocolModule;
}

/** A protocol a beat is built with: its module, its package, or a {@link LazyProtocol}. */
export type BuiltinProtocol = ProtocolModule | ProtocolPackage | LazyProtocol;

/** The module of a built-in protocol, loading it if it is not loaded yet. */
function moduleOf(b: BuiltinProtocol): ProtocolModule {
  if (isProtocolModule(b)) return b;
  const m = 'load' in b ? b.load() : protocolPackage(b.name, b.package).load();
  if (m.name !== b.name)
    throw new ProtocolSetupError(`built-in protocol ${b.name} loaded a module named ${m.name}`);
  return m;
}

/** The lazy protocol of a {@link ProtocolPackage}. */
export function protocolPackage(name: string, pkg: string): LazyProtocol {
  return {
    name,
    load: () => {
      const from = require.main?.filename;
      const paths = from === undefined ? [__dirname] : [path.dirname(from), __dirname];
      return protocolModuleOf(pkg, requirePackage(pkg, paths));
    },
  };
}

/** How `package:` entries are loaded; injectable for tests. */
export type ModuleLoader = (pkg: string) => unknown;

/** Loads a package with require, resolved from `paths` (default: the working directory first, then the beat itself). */
export function requirePackage(
  pkg: string,
  paths = [process.cwd(), path.join(process.cwd(), 'node_modules'), __dirname],
): unknown {
  let resolved: string;
  try {
    resolved = require.resolve(pkg, { paths });
  } catch {
    throw new ProtocolSetupError(
      `cannot find protocol package ${pkg} (install it next to the beat or give a path)`,
    );
  }
  try {
    // Loaded by name at start-up, as the config says: a static import cannot do that.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(resolved);
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new ProtocolSetupError(`cannot load protocol package ${pkg}: ${msg}`);
  }
}

/** True when the value has the shape of a ProtocolModule. */
export function isProtocolModule(v: unknown): v is ProtocolModule {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Partial<ProtocolModule>;
  return (
    typeof m.name === 'string' &&
    typeof m.create === 'function' &&
    Array.isArray(m.defaultPorts) &&
    typeof (m.configSchema as { safeParse?: unknown } | undefined)?.safeParse === 'function'
  );
}

/** Finds the protocol module a package exports: `default`, `protocol`, the module itself, or its only module export. */
export function protocolModuleOf(pkg: string, exported: unknown): ProtocolModule {
  const e = exported as Record<string, unknown> | null;
  for (const c of [e?.default, e?.protocol, e]) if (isProtocolModule(c)) return c;
  const found = e && typeof e === 'object' ? Object.values(e).filter(isProtocolModule) : [];
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    throw new ProtocolSetupError(
      `protocol package ${pkg} exports several protocol modules (${found.map((m) => m.name).join(', ')}); export one as default`,
    );
  }
  throw new ProtocolSetupError(
    `package ${pkg} does not export a protocol module (name, defaultPorts, configSchema, create)`,
  );
}

/** Protocols Packetbeat 8.x analyses: an entry of one the beat lacks is skipped with a warning. */
export const PACKETBEAT_PROTOCOLS = [
  'amqp',
  'cassandra',
  'dhcpv4',
  'dns',
  'http',
  'icmp',
  'memcache',
  'mongodb',
  'mysql',
  'nfs',
  'pgsql',
  'redis',
  'sip',
  'thrift',
  'tls',
];

/** Removes the Packetbeat protocol options the module's schema does not know; returns their names. */
function stripPacketbeatOptions(
  module: ProtocolModule,
  options: Record<string, unknown>,
): { options: Record<string, unknown>; removed: string[] } {
  const res = module.configSchema.safeParse(options);
  if (res.success) return { options, removed: [] };
  const removed: string[] = [];
  const kept = { ...options };
  for (const issue of res.error.issues) {
    if (issue.code !== 'unrecognized_keys' || issue.path.length > 0) continue;
    for (const k of issue.keys) {
      if (isBeatsKey(`<beat>.protocols[].${k}`)) {
        removed.push(k);
        delete kept[k];
      }
    }
  }
  return { options: kept, removed };
}

/**
 * Turns the config's protocol entries into validated protocols. Without entries every built-in
 * protocol runs with its defaults. Checks duplicate types and port collisions between enabled protocols.
 */
export function resolveProtocols(
  beatName: string,
  entries: ProtocolEntry[] | undefined,
  builtins: readonly BuiltinProtocol[],
  load: ModuleLoader = requirePackage,
  unsupported?: string[],
): ResolvedProtocol[] {
  const list: ProtocolEntry[] = entries ?? builtins.map((m) => ({ type: m.name }));
  const resolved: ResolvedProtocol[] = [];
  const problems: string[] = [];
  const skipped: string[] = [];
  list.forEach((entry, i) => {
    const at = `${beatName}.protocols[${i}]`;
    const { type, package: pkg, ...given } = entry;
    let module: ProtocolModule | undefined;
    if (pkg !== undefined) {
      module = protocolModuleOf(pkg, load(pkg));
      if (type !== undefined && type !== module.name) {
        throw new ProtocolSetupError(`${at}: package ${pkg} provides protocol ${module.name}, not ${type}`);
      }
    } else if (type !== undefined) {
      const builtin = builtins.find((m) => m.name === type);
      module = builtin && moduleOf(builtin);
      if (!module && unsupported !== undefined && PACKETBEAT_PROTOCOLS.includes(type)) {
        unsupported.push(`${at} (type ${type})`);
        skipped.push(type);
        return;
      }
      if (!module) {
        const known = builtins.map((m) => m.name).join(', ') || 'none';
        throw new ProtocolSetupError(
          `${at}: unknown protocol type ${JSON.stringify(type)} (built in: ${known}; use package: to load one)`,
        );
      }
    } else {
      const keys = Object.keys(entry);
      const got = keys.length > 0 ? ` (got ${keys.map((k) => JSON.stringify(k)).join(', ')})` : '';
      throw new ProtocolSetupError(`${at}: a protocol entry needs type: or package:${got}`);
    }
    let options: Record<string, unknown> = given;
    if (unsupported !== undefined) {
      const stripped = stripPacketbeatOptions(module, given);
      options = stripped.options;
      for (const k of stripped.removed) unsupported.push(`${at}.${k}`);
    }
    const res = module.configSchema.safeParse(options);
    if (!res.success) {
      problems.push(...formatIssues(res.error.issues, [beatName, 'protocols', i]));
      return;
    }
    if (resolved.some((r) => r.module.name === module.name)) {
      throw new ProtocolSetupError(`${at}: protocol ${module.name} is configured twice`);
    }
    resolved.push({ module, config: res.data });
  });
  if (problems.length > 0) throw new ConfigValidationError(problems);
  if (resolved.length === 0 && skipped.length > 0) {
    const known = builtins.map((m) => m.name).join(', ') || 'none';
    throw new ProtocolSetupError(
      `no protocol left to run: this beat is not built with ${skipped.join(', ')} (built in: ${known})`,
    );
  }
  checkPortCollisions(resolved);
  return resolved;
}

/**
 * Two enabled protocols on one port of one transport cannot both own the connection: refuse to
 * start. A UDP-only and a TCP-only protocol on the same port number do not conflict.
 */
export function checkPortCollisions(protocols: readonly ResolvedProtocol[]): void {
  const conflict = findPortConflict(
    protocols.map((p) => ({ name: p.module.name, ...p.config, transports: p.module.transports })),
  );
  if (conflict !== undefined) throw new PortConflictError(conflict.port, conflict.protocols);
}

/** Ports of every enabled protocol, sorted, without duplicates. */
export function enabledPorts(protocols: readonly ResolvedProtocol[]): number[] {
  const set = new Set<number>();
  for (const p of protocols) if (p.config.enabled) for (const port of p.config.ports) set.add(port);
  return [...set].sort((a, b) => a - b);
}
