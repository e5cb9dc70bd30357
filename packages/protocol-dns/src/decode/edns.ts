// The OPT pseudo-record of EDNS (RFC 6891) and its options, as Packetbeat's `dns.opt.*`: the
// requestor's UDP payload size, version, DO bit, extended response code and each option known.
import { ipv4Text, ipv6Text, charText } from './text';
import { algorithmName, digestName, rcodeName } from './types';

/** `dns.opt`: EDNS fields of a message. */
export interface DnsOpt {
  version: string;
  do: boolean;
  ext_rcode: string;
  udp_size: number;
  nsid?: string;
  subnet?: string;
  cookie?: string;
  tcp_keepalive?: number;
  padding?: number;
  ede?: string;
  expire?: number;
  dau?: string;
  dhu?: string;
  n3u?: string;
  ul?: number;
  llq?: string;
  chain?: string;
  key_tag?: string;
  local?: string;
}

/** Extended DNS Error codes (RFC 8914). */
const EDE = [
  'Other',
  'Unsupported DNSKEY Algorithm',
  'Unsupported DS Digest Type',
  'Stale Answer',
  'Forged Answer',
  'DNSSEC Indeterminate',
  'DNSSEC Bogus',
  'Signature Expired',
  'Signature Not Yet Valid',
  'DNSKEY Missing',
  'RRSIGs Missing',
  'No Zone Key Bit Set',
  'NSEC Missing',
  'Cached Error',
  'Not Ready',
  'Blocked',
  'Censored',
  'Filtered',
  'Prohibited',
  'Stale NXDOMAIN Answer',
  'Not Authoritative',
  'Not Supported',
  'No Reachable Authority',
  'Network Error',
  'Invalid Data',
];

/**
 * Decodes an OPT record: `udpSize` is its class, `ttl` its TTL field (extended rcode, version, DO),
 * its options in msg[from, to). A malformed option ends the list (what came before is kept).
 */
export function decodeOpt(msg: Uint8Array, udpSize: number, ttl: number, from: number, to: number): DnsOpt {
  const opt: DnsOpt = {
    version: String((ttl >>> 16) & 0xff),
    do: (ttl & 0x8000) !== 0,
    ext_rcode: rcodeName((ttl >>> 24) << 4),
    udp_size: udpSize,
  };
  let pos = from;
  while (pos + 4 <= to) {
    const code = (msg[pos] << 8) | msg[pos + 1];
    const len = (msg[pos + 2] << 8) | msg[pos + 3];
    const at = pos + 4;
    if (at + len > to) break;
    option(opt, msg, code, at, at + len);
    pos = at + len;
  }
  return opt;
}

/** Upper bits of the response code an OPT record's TTL field carries. */
export function extendedRcodeBits(ttl: number): number {
  return (ttl >>> 24) << 4;
}

function option(opt: DnsOpt, msg: Uint8Array, code: number, from: number, to: number): void {
  const len = to - from;
  const u16 = (at: number) => (msg[at] << 8) | msg[at + 1];
  const hex = () => Buffer.from(msg.buffer, msg.byteOffset + from, len).toString('hex');
  const list = (name: (n: number) => string) => Array.from(msg.subarray(from, to), name).join(' ');
  switch (code) {
    case 1:
      opt.llq = hex();
      return;
    case 2:
      if (len >= 4) opt.ul = ((msg[from] << 24) >>> 0) + ((msg[from + 1] << 16) | u16(from + 2));
      return;
    case 3:
      opt.nsid = hex();
      return;
    case 5:
      opt.dau = list(algorithmName);
      return;
    case 6:
      opt.dhu = list(digestName);
      return;
    case 7:
      opt.n3u = list((n) => (n === 1 ? 'SHA1' : String(n)));
      return;
    case 8:
      if (len >= 4) opt.subnet = clientSubnet(msg, from, to);
      return;
    case 9:
      if (len >= 4) opt.expire = ((msg[from] << 24) >>> 0) + ((msg[from + 1] << 16) | u16(from + 2));
      return;
    case 10:
      opt.cookie = hex();
      return;
    case 11:
      if (len >= 2) opt.tcp_keepalive = u16(from) * 100;
      return;
    case 12:
      opt.padding = len;
      return;
    case 13:
      opt.chain = hex();
      return;
    case 14: {
      const tags: string[] = [];
      for (let at = from; at + 2 <= to; at += 2) tags.push(String(u16(at)));
      opt.key_tag = tags.join(' ');
      return;
    }
    case 15: {
      if (len < 2) return;
      const info = u16(from);
      const text = charText(msg, from + 2, to);
      opt.ede = `${info} ${EDE[info] ?? 'Unknown'}` + (text === '' ? '' : `: ${text}`);
      return;
    }
    default:
      opt.local = `${code}:${hex()}`;
  }
}

/** EDNS Client Subnet (RFC 7871) as address/source-prefix/scope-prefix. */
function clientSubnet(msg: Uint8Array, from: number, to: number): string {
  const family = (msg[from] << 8) | msg[from + 1];
  const source = msg[from + 2];
  const scope = msg[from + 3];
  const size = family === 2 ? 16 : 4;
  const addr = new Uint8Array(size);
  addr.set(msg.subarray(from + 4, Math.min(to, from + 4 + size)));
  const text = size === 16 ? ipv6Text(addr, 0) : ipv4Text(addr, 0);
  return `${text}/${source}/${scope}`;
}
