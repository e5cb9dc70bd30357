/** LINKTYPE_* values (tcpdump.org/linktypes.html) understood by the decoder. */
export const LinkType = {
  /** BSD loopback: 4-byte address family in host byte order. */
  NULL: 0,
  ETHERNET: 1,
  /** Raw IP, version taken from the first nibble. */
  RAW: 101,
  /** OpenBSD loopback: 4-byte address family in network byte order. */
  LOOP: 108,
  /** Linux cooked capture v1 (`tcpdump -i any` on older libpcap). */
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  /** Linux cooked capture v2 (`tcpdump -i any` on libpcap >= 1.10). */
  LINUX_SLL2: 276,
} as const;

/** A LINKTYPE_* number. */
export type LinkTypeValue = (typeof LinkType)[keyof typeof LinkType];
