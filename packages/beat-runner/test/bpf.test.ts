// The capture filter built from the protocols' ports, checked by libpcap's own compiler (tcpdump -d).
import { execFileSync } from 'node:child_process';
import { buildBpfFilter, portsByTransport } from '../src/sources/bpf';

const tcp = (ports: number[], enabled = true) => ({ module: {}, config: { enabled, ports } });
const both = (ports: number[]) => ({
  module: { transports: ['tcp', 'udp'] as const },
  config: { enabled: true, ports },
});
const udp = (ports: number[]) => ({
  module: { transports: ['udp'] as const },
  config: { enabled: true, ports },
});

/** Compiles a filter for Ethernet with tcpdump; throws with libpcap's message when it is invalid. */
function compiles(filter: string): boolean {
  execFileSync('tcpdump', ['-y', 'EN10MB', '-d', filter], { stdio: ['ignore', 'pipe', 'pipe'] });
  return true;
}

describe('buildBpfFilter by transport', () => {
  it('keeps the TCP-only form of a TCP-only beat', () => {
    const ports = portsByTransport([tcp([80, 8080]), tcp([6379]), tcp([9999], false)]);
    expect(ports).toEqual({ tcp: [80, 8080, 6379], udp: [] });
    expect(buildBpfFilter(ports)).toBe('tcp and (port 80 or port 6379 or port 8080)');
  });

  it('covers each protocol on each of its transports, and the fragments of UDP datagrams', () => {
    const filter = buildBpfFilter(portsByTransport([both([53]), tcp([80])]));
    expect(filter).toBe(
      '(tcp and (port 53 or port 80)) or udp port 53 or ((ip[6:2] & 0x1fff != 0) or (ip6[6] == 44))',
    );
    expect(compiles(filter)).toBe(true);
    const udpOnly = buildBpfFilter(portsByTransport([udp([11211, 53])]));
    expect(udpOnly).toBe('(udp and (port 53 or port 11211)) or ((ip[6:2] & 0x1fff != 0) or (ip6[6] == 44))');
    expect(compiles(udpOnly)).toBe(true);
  });
});
