// A flow report as an event: Packetbeat 8's flow document (type flow, event.*, flow.*, source and
// destination with their packets and bytes, network totals and community_id), built only when a
// flow is reported, so its cost is per report and not per packet.
import { communityId, elapsedNanos, formatTimestampNanos, type TransactionEvent } from '@wirebeat/applayer';
import { ipv4ToString, ipv6ToString } from '@wirebeat/tcp-reassembly';
import type { Flow } from './flow';
import { icmpPorts, transportName } from './icmp';

/** The flow's addresses as text. */
function addresses(f: Flow): [string, string] {
  if (f.ipVersion === 4) return [ipv4ToString(f.src4), ipv4ToString(f.dst4)];
  return [ipv6ToString(f.src6, 0), ipv6ToString(f.dst6, 0)];
}

/** flow.id: the flow's key in its own direction, base64url (the same for every report of the flow). */
function flowId(f: Flow): string {
  const ipLen = f.ipVersion === 4 ? 4 : 16;
  const b = Buffer.alloc(7 + 2 * ipLen + 4);
  b[0] = f.ipVersion;
  b[1] = f.protocol;
  b[2] = f.vlanCount;
  b.writeUInt16BE(f.vlanOuter, 3);
  b.writeUInt16BE(f.vlanInner, 5);
  if (f.ipVersion === 4) {
    b.writeInt32BE(f.src4, 7);
    b.writeInt32BE(f.dst4, 11);
  } else {
    b.set(f.src6, 7);
    b.set(f.dst6, 23);
  }
  b.writeUInt16BE(f.srcPort, 7 + 2 * ipLen);
  b.writeUInt16BE(f.dstPort, 9 + 2 * ipLen);
  return b.toString('base64url');
}

/** network.community_id (Community ID v1; ICMP types stand for ports, other transports hash ports 0). */
function communityOf(f: Flow, src: string, dst: string): string {
  if (f.icmpType >= 0) {
    const [a, b] = icmpPorts(f.protocol, f.icmpType, f.icmpCode);
    return communityId(src, a, dst, b, f.protocol);
  }
  return communityId(src, f.srcPort, dst, f.dstPort, f.protocol);
}

/** One endpoint's fields; packets and bytes only when it sent any (as Packetbeat). */
function endpoint(ip: string, port: number, packets: number, bytes: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ip };
  if (port !== 0) out.port = port;
  if (packets > 0) {
    out.packets = packets;
    out.bytes = bytes;
  }
  return out;
}

/** Packet time in µs, base 36: the time parts of event ids. */
const micros36 = (ms: number): string => Math.round(ms * 1000).toString(36);

// A periodic report publishes every flow at the same time: its texts are made once, not per flow
// (formatting a time of another second costs a Date#toISOString).
let lastAt = NaN;
let lastAtText = '';
let lastAtId = '';

/** The event reporting `f` at packet time `at`; `final` when the flow ends with this report. */
export function flowEvent(f: Flow, at: number, final: boolean): TransactionEvent {
  const [src, dst] = addresses(f);
  f.id ??= flowId(f);
  f.eventIdPrefix ??= f.id + '-' + micros36(f.start);
  f.communityId ??= communityOf(f, src, dst);
  f.startText ??= formatTimestampNanos(f.start, 0);
  if (at !== lastAt) {
    lastAt = at;
    lastAtText = formatTimestampNanos(at, 0);
    lastAtId = micros36(at);
  }
  const network: Record<string, unknown> = { type: f.ipVersion === 4 ? 'ipv4' : 'ipv6' };
  const transport = transportName(f.protocol);
  if (transport !== undefined) network.transport = transport;
  network.iana_number = String(f.protocol);
  network.community_id = f.communityId;
  network.bytes = f.srcBytes + f.dstBytes;
  network.packets = f.srcPackets + f.dstPackets;
  const flow: Record<string, unknown> = { id: f.id, final };
  if (f.vlanCount > 0) {
    // Packetbeat lists the tags outermost first (one tag: a number); ECS has the outer and inner tag.
    flow.vlan = f.vlanCount > 1 ? [f.vlanOuter, f.vlanInner] : f.vlanOuter;
    network.vlan = { id: String(f.vlanOuter) };
    if (f.vlanCount > 1) network.inner = { vlan: { id: String(f.vlanInner) } };
  }
  const fields: Record<string, unknown> = {
    '@timestamp': lastAtText,
    type: 'flow',
    event: {
      kind: 'event',
      category: ['network'],
      type: final ? ['connection', 'end'] : ['connection'],
      action: 'network_flow',
      dataset: 'flow',
      start: f.startText,
      end: formatTimestampNanos(f.end, 0),
      duration: elapsedNanos(f.start, 0, f.end, 0),
    },
    flow,
    source: endpoint(src, f.srcPort, f.srcPackets, f.srcBytes),
    destination: endpoint(dst, f.dstPort, f.dstPackets, f.dstBytes),
    network,
    related: { ip: src === dst ? [src] : [src, dst] },
  };
  return { id: `${f.eventIdPrefix}-${lastAtId}${final ? '-f' : ''}`, timestamp: at, fields };
}
