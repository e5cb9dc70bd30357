// The capture filter built from the protocols' ports, checked by libpcap's own compiler (tcpdump -d).
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { buildBpfFilter, captureFilter, portsByTransport } from '../src/sources/bpf';

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

/** Frames of a capture a filter keeps, counted by tcpdump (libpcap runs the filter). */
function kept(capture: string, filter: string): number {
  const out = execFileSync('tcpdump', ['-r', capture, '-n', filter], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n').filter((l) => l !== '').length;
}

describe('captureFilter', () => {
  const capture = path.join(__dirname, '../../flows/test/fixtures/loopback-flows.pcap');
  const protocols = [tcp([80]), both([53])];

  it('widens to every IP packet when network flows are on (ICMP, GRE and other ports included)', () => {
    const all = kept(capture, 'ip or ip6 or not ip');
    expect(kept(capture, captureFilter('', true, protocols))).toBe(all);
    expect(kept(capture, captureFilter('', false, protocols))).toBe(0);
    expect(captureFilter('', false, protocols)).toBe(buildBpfFilter(portsByTransport(protocols)));
  });

  it('keeps a configured filter as written, flows or not', () => {
    expect(captureFilter('tcp port 80', true, protocols)).toBe('tcp port 80');
  });
});
