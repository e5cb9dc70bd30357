// Beats' `when` conditions: equals, contains, regexp, range, network, has_fields, or, and, not.
// A condition is compiled once from the config into a predicate on the event object.
import net from 'net';
import { ipv4Of } from '@wirebeat/applayer';
import { ProcessorConfigError } from '../errors';
import { getField, isObj } from './field-path';

export { ipv4Of };

/** A compiled condition. */
export type Condition = (event: Record<string, unknown>) => boolean;

type Obj = Record<string, unknown>;

function fail(where: string, msg: string): never {
  throw new ProcessorConfigError(`${where}: ${msg}`);
}

/**
 * The `field: value` pairs of a condition. The loader expands dotted keys (go-ucfg does too), so
 * `equals.http.response.status_code: 200` arrives nested: leaves are joined back into field names.
 */
function fieldMap(where: string, v: unknown): Array<[string, unknown]> {
  if (!isObj(v) || Object.keys(v).length === 0) fail(where, 'expects a mapping of field: value');
  const out: Array<[string, unknown]> = [];
  const walk = (node: Obj, prefix: string): void => {
    for (const [k, val] of Object.entries(node)) {
      const name = prefix === '' ? k : `${prefix}.${k}`;
      if (isObj(val) && Object.keys(val).length > 0) walk(val, name);
      else out.push([name, val]);
    }
  };
  walk(v, '');
  return out;
}

/** Compiles a `when` mapping (`{equals: {type: echo}}`, `{or: [...]}`...); `where` names it in errors. */
export function compileCondition(spec: unknown, where: string): Condition {
  if (!isObj(spec)) fail(where, 'a condition is a mapping such as {equals: {status: Error}}');
  const parts = Object.entries(spec).map(([kind, arg]) => compileOne(kind, arg, `${where}.${kind}`));
  if (parts.length === 0) fail(where, 'empty condition');
  // Several kinds in one mapping must all hold (as in Beats).
  return parts.length === 1 ? parts[0] : (e) => parts.every((p) => p(e));
}

function compileOne(kind: string, arg: unknown, where: string): Condition {
  switch (kind) {
    case 'equals':
      return all(fieldMap(where, arg).map(([f, want]) => equalsOne(f, want, where)));
    case 'contains':
      return all(fieldMap(where, arg).map(([f, want]) => containsOne(f, String(want))));
    case 'regexp':
      return all(fieldMap(where, arg).map(([f, pattern]) => regexpOne(f, pattern, where)));
    case 'range':
      return all(rangeChecks(arg, where));
    case 'network':
      return all(fieldMap(where, arg).map(([f, nets]) => networkOne(f, nets, `${where}.${f}`)));
    case 'has_fields': {
      if (!Array.isArray(arg) || arg.length === 0 || !arg.every((x) => typeof x === 'string'))
        fail(where, 'expects a list of field names');
      return (e) => (arg as string[]).every((f) => getField(e, f) !== undefined);
    }
    case 'or':
    case 'and': {
      if (!Array.isArray(arg) || arg.length === 0) fail(where, 'expects a list of conditions');
      const subs = arg.map((c, i) => compileCondition(c, `${where}.${i}`));
      return kind === 'or' ? (e) => subs.some((s) => s(e)) : all(subs);
    }
    case 'not': {
      const sub = compileCondition(arg, where);
      return (e) => !sub(e);
    }
    default:
      return fail(
        where,
        `unknown condition ${kind} (equals, contains, regexp, range, network, has_fields, or, and, not)`,
      );
  }
}

function all(conds: Condition[]): Condition {
  return (e) => conds.every((c) => c(e));
}

/** Values of a field as a list: an array's elements, or the value itself. */
function valuesOf(e: Obj, f: string): unknown[] {
  const v = getField(e, f);
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function equalsOne(f: string, want: unknown, where: string): Condition {
  if (typeof want !== 'string' && typeof want !== 'number' && typeof want !== 'boolean')
    fail(`${where}.${f}`, 'equals compares with a string, a number or a boolean');
  return (e) =>
    valuesOf(e, f).some((v) => v === want || (typeof want === 'number' && Number(v) === want && v !== ''));
}

function containsOne(f: string, want: string): Condition {
  return (e) => valuesOf(e, f).some((v) => typeof v === 'string' && v.includes(want));
}

function regexpOne(f: string, pattern: unknown, where: string): Condition {
  let re: RegExp;
  try {
    re = new RegExp(String(pattern));
  } catch (err) {
    return fail(`${where}.${f}`, `invalid regular expression: ${(err as Error).message}`);
  }
  return (e) => valuesOf(e, f).some((v) => typeof v === 'string' && re.test(v));
}

/** `range: {responsetime.gte: 10, source.bytes.lt: 100}` (Beats' syntax: the bound after the last dot). */
function rangeChecks(arg: unknown, where: string): Condition[] {
  const byField = new Map<string, Array<(n: number) => boolean>>();
  for (const [key, bound] of fieldMap(where, arg)) {
    const m = /^(.+)\.(gte|gt|lte|lt)$/.exec(key);
    if (!m) fail(`${where}.${key}`, 'expects <field>.gte|gt|lte|lt');
    if (typeof bound !== 'number') fail(`${where}.${key}`, 'the bound is a number');
    const b = bound as number;
    const test =
      m[2] === 'gte'
        ? (n: number) => n >= b
        : m[2] === 'gt'
          ? (n: number) => n > b
          : m[2] === 'lte'
            ? (n: number) => n <= b
            : (n: number) => n < b;
    byField.set(m[1], [...(byField.get(m[1]) ?? []), test]);
  }
  return [...byField].map(([f, tests]) => (e) => {
    const v = getField(e, f);
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return !Number.isNaN(n) && tests.every((t) => t(n));
  });
}

/** Named ranges Beats' network condition knows. */
const NAMED_NETWORKS: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  link_local_unicast: ['169.254.0.0/16', 'fe80::/10'],
  multicast: ['224.0.0.0/4', 'ff00::/8'],
  unspecified: ['0.0.0.0/32', '::/128'],
};

/** Adds a subnet; false when BlockList refuses the address. */
function addSubnet(blocks: net.BlockList, address: string, prefix: number, family: 4 | 6): boolean {
  try {
    blocks.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
    return true;
  } catch {
    return false;
  }
}

/** The IPv4-mapped IPv6 range (::ffff:0:0/96): BlockList matches IPv4 values against subnets over it. */
const MAPPED = new net.BlockList();
MAPPED.addSubnet('::ffff:0:0', 96, 'ipv6');

/** True when the IPv6 subnet shares addresses with the IPv4-mapped range. */
function overlapsMapped(address: string, prefix: number): boolean {
  if (prefix > 96) return MAPPED.check(address, 'ipv6');
  const subnet = new net.BlockList();
  subnet.addSubnet(address, prefix, 'ipv6');
  return subnet.check('::ffff:0:0', 'ipv6');
}

function networkOne(f: string, nets: unknown, where: string): Condition {
  const list = Array.isArray(nets) ? nets : [nets];
  const blocks = new net.BlockList();
  // IPv4 values (nearly all) are matched by arithmetic on [first, last] ranges: BlockList builds a
  // socket address per check, microseconds each. Unless an IPv6 subnet covers mapped IPv4 addresses,
  // which only BlockList matches.
  const v4Ranges: number[] = [];
  let v4ByArithmetic = true;
  for (const n of list) {
    if (typeof n !== 'string') fail(where, 'expects a CIDR, a named network or a list of them');
    for (const cidr of NAMED_NETWORKS[n] ?? [n]) {
      const m = /^(.+)\/(\d+)$/.exec(cidr);
      // An IPv6 address is told by its ':' and checked by BlockList (inet_pton): net.isIPv6 would
      // compile its regular expression, 15-30 ms of a beat's start-up (net.isIPv4's, 1-2 ms).
      const family = !m ? 0 : m[1].includes(':') ? 6 : ipv4Of(m[1]) >= 0 ? 4 : 0;
      if (
        !m ||
        family === 0 ||
        Number(m[2]) > (family === 4 ? 32 : 128) ||
        !addSubnet(blocks, m[1], Number(m[2]), family)
      )
        fail(
          where,
          `${JSON.stringify(n)} is not a CIDR (10.0.0.0/8) nor one of ${Object.keys(NAMED_NETWORKS).join(', ')}`,
        );
      const prefix = Number(m[2]);
      if (family === 6) {
        if (overlapsMapped(m[1], prefix)) v4ByArithmetic = false;
        continue;
      }
      const base = ipv4Of(m[1]);
      if (base < 0) v4ByArithmetic = false;
      const size = 2 ** (32 - prefix);
      const first = base - (base % size);
      v4Ranges.push(first, first + size - 1);
    }
  }
  return (e) =>
    valuesOf(e, f).some((v) => {
      if (typeof v !== 'string') return false;
      const v4 = v4ByArithmetic ? ipv4Of(v) : -1;
      if (v4 >= 0) {
        for (let i = 0; i < v4Ranges.length; i += 2)
          if (v4 >= v4Ranges[i] && v4 <= v4Ranges[i + 1]) return true;
        return false;
      }
      const family = net.isIP(v);
      return family !== 0 && blocks.check(v, family === 4 ? 'ipv4' : 'ipv6');
    });
}
