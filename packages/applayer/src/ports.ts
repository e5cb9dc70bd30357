// Which protocol owns a server port. Two enabled protocols cannot both own a connection, so a
// port claimed twice on one transport is refused before anything starts (beat configuration and
// dispatcher alike). TCP port 53 and UDP port 53 are two ports.
import type { Transport } from './plugin';

/** A protocol's claim on server ports. */
export interface PortClaim {
  name: string;
  enabled: boolean;
  ports: readonly number[];
  /** Transports the ports are claimed on; default `['tcp']`. */
  transports?: readonly Transport[];
}

/** Two protocols claiming one port. */
export interface PortConflict {
  port: number;
  protocols: [string, string];
}

/** The first port two enabled protocols claim, or undefined (a protocol may list a port twice). */
export function findPortConflict(claims: Iterable<PortClaim>): PortConflict | undefined {
  const owners = { tcp: new Map<number, string>(), udp: new Map<number, string>() };
  for (const claim of claims) {
    if (!claim.enabled) continue;
    for (const transport of claim.transports ?? ['tcp']) {
      const owner = owners[transport];
      for (const port of claim.ports) {
        const other = owner.get(port);
        if (other !== undefined && other !== claim.name) return { port, protocols: [other, claim.name] };
        owner.set(port, claim.name);
      }
    }
  }
  return undefined;
}
