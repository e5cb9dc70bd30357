// Which protocol owns a server port. Two enabled protocols cannot both own a connection, so a
// port claimed twice is refused before anything starts (beat configuration and dispatcher alike).

/** A protocol's claim on server ports. */
export interface PortClaim {
  name: string;
  enabled: boolean;
  ports: readonly number[];
}

/** Two protocols claiming one port. */
export interface PortConflict {
  port: number;
  protocols: [string, string];
}

/** The first port two enabled protocols claim, or undefined (a protocol may list a port twice). */
export function findPortConflict(claims: Iterable<PortClaim>): PortConflict | undefined {
  const owner = new Map<number, string>();
  for (const claim of claims) {
    if (!claim.enabled) continue;
    for (const port of claim.ports) {
      const other = owner.get(port);
      if (other !== undefined && other !== claim.name) return { port, protocols: [other, claim.name] };
      owner.set(port, claim.name);
    }
  }
  return undefined;
}
