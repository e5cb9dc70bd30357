// network.direction as Packetbeat 8 computes it on every event: `ingress` when the destination is
// this host (one of its addresses, or a loopback or link-local address), else `egress` when the
// source is; else, from `interfaces.internal_networks`, `internal` (both inside), `outbound` (only
// the source inside), `inbound` (only the destination inside) or `external` (neither); without
// internal networks, `unknown`.
import net from 'net';
import os from 'os';
import { compileCondition, ipv4Of } from '../processors/conditions';

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
    // A dotted quad is canonical already (no regular expression per new pair).
    const c = ipv4Of(ip) >= 0 ? ip : canonical(ip);
    return locals.has(c) || hostScoped({ ip: c });
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
