// What a flow's transport is called (ECS network.transport, IANA keywords in lower case) and the
// ICMP request/response type pairs Community ID v1 folds into one flow.

/** ECS network.transport of the IP protocols that have a common name. */
const TRANSPORT_NAMES: Record<number, string> = {
  1: 'icmp',
  2: 'igmp',
  6: 'tcp',
  17: 'udp',
  41: 'ipv6',
  47: 'gre',
  50: 'esp',
  51: 'ah',
  58: 'ipv6-icmp',
  89: 'ospf',
  103: 'pim',
  112: 'vrrp',
  132: 'sctp',
};

/** The name of an IP protocol for network.transport, undefined when it has none we know. */
export function transportName(protocol: number): string | undefined {
  return TRANSPORT_NAMES[protocol];
}

/** ICMPv4 type -> the type answering it (both ways). */
const ICMP4_PAIRS: Record<number, number> = {
  8: 0,
  0: 8,
  13: 14,
  14: 13,
  15: 16,
  16: 15,
  10: 9,
  9: 10,
  17: 18,
  18: 17,
};
/** ICMPv6 type -> the type answering it (both ways). */
const ICMP6_PAIRS: Record<number, number> = {
  128: 129,
  129: 128,
  133: 134,
  134: 133,
  135: 136,
  136: 135,
  130: 131,
  131: 130,
  144: 145,
  145: 144,
};

/**
 * The two "ports" Community ID hashes for an ICMP message: its type and the type answering it
 * (so a request and its reply hash alike), or its type and code when it has no counterpart.
 */
export function icmpPorts(protocol: number, type: number, code: number): [number, number] {
  const pair = (protocol === 1 ? ICMP4_PAIRS : ICMP6_PAIRS)[type];
  return pair === undefined ? [type, code] : [type, pair];
}
