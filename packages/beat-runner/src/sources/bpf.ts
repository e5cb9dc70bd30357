// The capture filter built from the enabled protocols' ports: only their transports and ports
// reach JavaScript. UDP brings IP fragments along: a fragment after the first carries no UDP
// header (no port to match), and an IPv6 fragment hides the UDP header behind its own.

/** Server ports by transport. */
export interface TransportPorts {
  tcp: readonly number[];
  udp: readonly number[];
}

/** What the filter reads of a configured protocol. */
interface PortedProtocol {
  module: { transports?: readonly ('tcp' | 'udp')[] };
  config: { enabled: boolean; ports: readonly number[] };
}

/** The ports of the enabled protocols, on each transport they run on. */
export function portsByTransport(protocols: readonly PortedProtocol[]): TransportPorts {
  const tcp = new Set<number>();
  const udp = new Set<number>();
  for (const p of protocols) {
    if (!p.config.enabled) continue;
    const transports = p.module.transports ?? ['tcp'];
    for (const port of p.config.ports) {
      if (transports.includes('tcp')) tcp.add(port);
      if (transports.includes('udp')) udp.add(port);
    }
  }
  return { tcp: [...tcp], udp: [...udp] };
}

/** `tcp port 80`, `tcp and (port 80 or port 8080)`: one transport's part of the filter. */
function transportFilter(transport: string, ports: readonly number[]): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  if (sorted.length === 1) return `${transport} port ${sorted[0]}`;
  return `${transport} and (${sorted.map((p) => `port ${p}`).join(' or ')})`;
}

/** The filter when network flows are on: every IPv4 and IPv6 packet, whatever its port. */
export const ALL_IP_FILTER = 'ip or ip6';

/** Non-first IPv4 fragments and IPv6 fragments, which a port cannot select. */
const FRAGMENTS = '(ip[6:2] & 0x1fff != 0) or (ip6[6] == 44)';

/**
 * The capture filter for the configured ports: TCP ports alone (the form of a TCP-only beat), or
 * ports by transport (`tcp port 53 or udp port 53 or <fragments>`).
 */
export function buildBpfFilter(ports: readonly number[] | TransportPorts): string {
  const { tcp, udp } = isTransportPorts(ports) ? ports : { tcp: ports, udp: [] };
  if (udp.length === 0) return tcp.length === 0 ? 'tcp' : transportFilter('tcp', tcp);
  const parts = [transportFilter('udp', udp), FRAGMENTS];
  if (tcp.length > 0) parts.unshift(transportFilter('tcp', tcp));
  return parts.map((p) => (p.includes(' and ') || p === FRAGMENTS ? `(${p})` : p)).join(' or ');
}

function isTransportPorts(ports: readonly number[] | TransportPorts): ports is TransportPorts {
  return !Array.isArray(ports);
}

/**
 * The capture filter of a live run: the configured one, else every IP packet when network flows
 * are on (they count all traffic, not only the protocols' ports), else the protocols' ports.
 */
export function captureFilter(
  configured: string,
  flows: boolean,
  protocols: readonly PortedProtocol[],
): string {
  if (configured !== '') return configured;
  return flows ? ALL_IP_FILTER : buildBpfFilter(portsByTransport(protocols));
}
