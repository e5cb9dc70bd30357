// Debug output per selector, as `-d <selector>` gives it in Packetbeat: `pcapread` logs every
// packet read, `tcp` every TCP segment decoded, `<protocol>` (http, redis, ...) every transaction
// that protocol publishes. Nothing is computed unless the selector is on.
import { decodeFrame, DecodedPacket, DecodeStatus, UNDECODABLE_REASONS } from '@wirebeat/tcp-reassembly';
import type { Frame } from '@wirebeat/tcp-reassembly';
import type { BeatLogger } from './logger';

/** True when the selectors turn `name` on (`*` turns every one on). */
export function selected(selectors: readonly string[], name: string): boolean {
  return selectors.includes('*') || selectors.includes(name);
}

const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

function ipText(p: DecodedPacket, data: Uint8Array, which: 'src' | 'dst'): string {
  if (p.ipVersion === 4) {
    const v = (which === 'src' ? p.src4 : p.dst4) >>> 0;
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const at = p.ipOffset + (which === 'src' ? 8 : 24);
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((data[at + i] << 8) | data[at + i + 1]).toString(16));
  return groups.join(':');
}

/** The per-frame debug tap for `pcapread` and `tcp`, or undefined when neither is selected. */
export function frameDebugTap(
  logger: BeatLogger,
  selectors: readonly string[],
): ((f: Frame) => void) | undefined {
  const pcap = selected(selectors, 'pcapread') ? logger.child({ selector: 'pcapread' }) : undefined;
  const tcp = selected(selectors, 'tcp') ? logger.child({ selector: 'tcp' }) : undefined;
  if (pcap === undefined && tcp === undefined) return undefined;
  const packet = new DecodedPacket();
  let n = 0;
  return (f) => {
    n++;
    pcap?.debug(
      {
        packet: n,
        ts: new Date(f.ts).toISOString(),
        caplen: f.data.length,
        len: f.origLen,
        linktype: f.linktype,
      },
      'packet read',
    );
    if (tcp === undefined) return;
    const status = decodeFrame(f.data, f.linktype, packet, f.origLen);
    if (status !== DecodeStatus.OK) {
      tcp.debug({ packet: n, reason: UNDECODABLE_REASONS[status] }, 'packet not decoded as TCP');
      return;
    }
    const flags = FLAG_NAMES.filter((_, i) => (packet.flags & (1 << i)) !== 0);
    tcp.debug(
      {
        packet: n,
        src: `${ipText(packet, f.data, 'src')}:${packet.srcPort}`,
        dst: `${ipText(packet, f.data, 'dst')}:${packet.dstPort}`,
        flags,
        seq: packet.seq >>> 0,
        ack: packet.ack >>> 0,
        len: packet.payloadLength,
      },
      'tcp segment',
    );
  };
}

/** Per-protocol debug loggers for the selected protocol names, or undefined when none is selected. */
export function eventDebugTap(
  logger: BeatLogger,
  selectors: readonly string[],
  protocols: readonly string[],
): ((doc: Record<string, unknown>) => void) | undefined {
  const loggers = new Map(
    protocols.filter((p) => selected(selectors, p)).map((p) => [p, logger.child({ selector: p })]),
  );
  if (loggers.size === 0) return undefined;
  return (d) => {
    const l = typeof d.type === 'string' ? loggers.get(d.type) : undefined;
    if (l === undefined) return;
    const ep = (v: unknown) => {
      const o = v as { ip?: string; port?: number } | undefined;
      return o?.ip === undefined ? undefined : `${o.ip}:${o.port}`;
    };
    l.debug(
      {
        client: ep(d.client),
        server: ep(d.server),
        status: d.status,
        method: d.method,
        query: d.query,
        responsetime: d.responsetime,
      },
      'transaction',
    );
  };
}
