// network.direction as Packetbeat 8 computes it on every event: `ingress` when the destination is
// this host (one of its addresses, or a loopback or link-local address), else `egress` when the
// source is; else, from `interfaces.internal_networks`, `internal` (both inside), `outbound` (only
// the source inside), `inbound` (only the destination inside) or `external` (neither); without
// internal networks, `unknown`.
import * as net from 'net';
import * as os from 'os';
import { compileCondition } from '../processors/conditions';

/** Computes the direction of a source -> destination pair; undefined when an address is missing. */
export type DirectionOf = (source: string | undefined, destination: string | undefined) => string | undefined;

/** This host's addresses (every interface, loopback included, as Packetbeat lists them). */
export function localAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => a !== undefined)
    .map((a) => a.address.replace(/%.*$/, ''));
}

/**
 * Builds the direction rule from the internal networks (CIDRs or the named ranges of the `network`
 * condition: private, loopback, ...) and the host's addresses.
 */
export function directionRule(internalNetworks: readonly string[], local: readonly string[]): DirectionOf {
  const isInternal =
    internalNetworks.length === 0
      ? undefined
      : compileCondition({ network: { ip: [...internalNetworks] } }, 'interfaces.internal_networks');
  const locals = new Set(local.map(canonical));
  // Loopback, link-local unicast and link-local multicast count as this host, as in Packetbeat.
  const hostScoped = compileCondition(
    { network: { ip: ['loopback', 'link_local_unicast', '224.0.0.0/24', 'ff02::/16'] } },
    'direction',
  );
  const isHost = (ip: string) => {
    // Plain IPv4 (nearly every address seen) is classified by arithmetic: the generic condition
    // builds socket addresses for its block list, microseconds per new connection.
    const v4 = ipv4Of(ip);
    if (v4 >= 0) return locals.has(ip) || hostScopedV4(v4);
    return locals.has(canonical(ip)) || hostScoped({ ip: canonical(ip) });
  };
  const decide = (src: string, dst: string): string => {
    if (isHost(dst)) return 'ingress';
    if (isHost(src)) return 'egress';
    if (isInternal === undefined) return 'unknown';
    const s = isInternal({ ip: src });
    const d = isInternal({ ip: dst });
    return s && d ? 'internal' : s ? 'outbound' : d ? 'inbound' : 'external';
  };
  // Traffic repeats the same address pairs: their answers are kept (cleared whole when full).
  const known = new Map<string, string>();
  return (src, dst) => {
    if (src === undefined || dst === undefined) return undefined;
    const key = src + ' ' + dst;
    let direction = known.get(key);
    if (direction === undefined) {
      if ((ipv4Of(src) < 0 && net.isIP(src) === 0) || (ipv4Of(dst) < 0 && net.isIP(dst) === 0))
        return undefined;
      if (known.size >= KNOWN_PAIRS) known.clear();
      direction = decide(src, dst);
      known.set(key, direction);
    }
    return direction;
  };
}

/** Address pairs whose direction is remembered. */
const KNOWN_PAIRS = 4096;

/** One spelling per address (`::ffff:10.0.0.1` and `10.0.0.1` are the same host). */
function canonical(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return (m ? m[1] : ip).toLowerCase();
}

/**
 * A dotted-quad IPv4 address as an unsigned number; -1 for anything else (IPv6, leading zeros,
 * out-of-range octets), which then takes the generic path.
 */
export function ipv4Of(ip: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - 0x30);
      if (++digits > 3 || octet > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/** Loopback (127/8), link-local unicast (169.254/16) or link-local multicast (224.0.0/24). */
function hostScopedV4(n: number): boolean {
  const a = Math.floor(n / 0x1000000);
  return a === 127 || Math.floor(n / 0x10000) === 0xa9fe || Math.floor(n / 0x100) === 0xe00000;
}
