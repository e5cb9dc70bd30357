// The flows of a capture as tshark sees them, independently of the code under test: tshark's
// per-packet fields (frame length and time, VLAN ids, IP addresses and protocol, ports) grouped by
// flow key, each flow's source being the sender of its first packet; and the reports Packetbeat's
// rules give for them (a flow idle for more than the timeout is final at its last packet plus the
// timeout, every flow alive is reported at each multiple of the period, the rest is final at the
// end of the input).
import { execFileSync } from 'child_process';

/** One packet as tshark decodes it. */
interface TsharkPacket {
  /** Capture time, ns since the epoch. */
  ns: bigint;
  len: number;
  key: string;
  /** Endpoint text `ip|port` of the sender and the receiver. */
  from: string;
  to: string;
}

/** A flow report as expected from tshark's packets. */
export interface ExpectedReport {
  /** `@timestamp` in ns. */
  at: bigint;
  final: boolean;
  source: { ip: string; port?: number; packets: number; bytes: number };
  destination: { ip: string; port?: number; packets: number; bytes: number };
  vlans: number[];
  start: bigint;
  end: bigint;
}

const FIELDS = [
  'frame.time_epoch',
  'frame.len',
  'ieee8021ad.id',
  'vlan.id',
  'ip.src',
  'ip.dst',
  'ip.proto',
  'ipv6.src',
  'ipv6.dst',
  'ipv6.nxt',
  'tcp.srcport',
  'tcp.dstport',
  'udp.srcport',
  'udp.dstport',
];

/** `1796542983.759251000` -> ns. */
function epochNs(text: string): bigint {
  const [s, frac = ''] = text.split('.');
  return BigInt(s) * 1_000_000_000n + BigInt(frac.padEnd(9, '0').slice(0, 9));
}

/** First of tshark's comma-separated values (an ICMP error repeats the inner header's fields). */
const first = (v: string): string => v.split(',')[0];

/** tshark's packets by capture: each file is dissected once per test file. */
const dissected = new Map<string, TsharkPacket[]>();

/** Every IP packet of the capture, in capture order. */
export function tsharkPackets(capture: string): TsharkPacket[] {
  const known = dissected.get(capture);
  if (known !== undefined) return known;
  const args = ['-r', capture, '-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=a'];
  for (const f of FIELDS) args.push('-e', f);
  const text = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const out: TsharkPacket[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [time, len, qinq, vlan, s4, d4, p4, s6, d6, p6, ts, td, us, ud] = line.split('|');
    const v4 = s4 !== '';
    if (!v4 && s6 === '') continue;
    const src = first(v4 ? s4 : s6);
    const dst = first(v4 ? d4 : d6);
    const proto = Number(first(v4 ? p4 : p6));
    const [sp, dp] = proto === 6 ? [ts, td] : proto === 17 ? [us, ud] : ['0', '0'];
    const vlans = [qinq, vlan].filter((v) => v !== '').flatMap((v) => v.split(','));
    const from = `${src}|${Number(first(sp))}`;
    const to = `${dst}|${Number(first(dp))}`;
    const ends = [from, to].sort();
    out.push({
      ns: epochNs(time),
      len: Number(len),
      key: [vlans.join('.'), proto, ...ends].join(' '),
      from,
      to,
    });
  }
  dissected.set(capture, out);
  return out;
}

/** Reports Packetbeat's rules give for tshark's packets with `timeoutMs` and `periodMs` (-1: none). */
export function expectedReports(capture: string, timeoutMs: number, periodMs: number): ExpectedReport[] {
  const packets = tsharkPackets(capture);
  const timeout = BigInt(timeoutMs) * 1_000_000n;
  const last = packets[packets.length - 1].ns;
  // Split each key's packets into flows wherever the silence exceeds the timeout.
  const flows: TsharkPacket[][] = [];
  const open = new Map<string, TsharkPacket[]>();
  for (const p of packets) {
    let f = open.get(p.key);
    if (f === undefined || p.ns - f[f.length - 1].ns > timeout) {
      f = [];
      flows.push(f);
      open.set(p.key, f);
    }
    f.push(p);
  }
  const out: ExpectedReport[] = [];
  for (const f of flows) {
    const end = f[f.length - 1].ns;
    const expiry = end + timeout;
    const finalAt = expiry < last ? expiry : last;
    const report = (at: bigint, final: boolean, upTo: TsharkPacket[]): ExpectedReport => {
      const [srcIp, srcPort] = f[0].from.split('|');
      const [dstIp, dstPort] = f[0].to.split('|');
      const sent = upTo.filter((p) => p.from === f[0].from);
      const back = upTo.filter((p) => p.from !== f[0].from);
      const side = (ip: string, port: string, ps: TsharkPacket[]) => ({
        ip,
        ...(port === '0' ? {} : { port: Number(port) }),
        packets: ps.length,
        bytes: ps.reduce((n, p) => n + p.len, 0),
      });
      return {
        at,
        final,
        source: side(srcIp, srcPort, sent),
        destination: side(dstIp, dstPort, back),
        vlans: f[0].key
          .split(' ')[0]
          .split('.')
          .filter((v) => v !== '')
          .map(Number),
        start: f[0].ns,
        end: upTo[upTo.length - 1].ns,
      };
    };
    if (periodMs > 0) {
      const period = BigInt(periodMs) * 1_000_000n;
      for (let b = (f[0].ns / period + 1n) * period; b <= last && b <= finalAt; b += period)
        out.push(
          report(
            b,
            false,
            f.filter((p) => p.ns < b),
          ),
        );
    }
    out.push(report(finalAt, true, f));
  }
  return out;
}
