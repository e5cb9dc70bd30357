// Counters of a TcpReassembler: what came in, what became of it.

/** Counters of a TcpReassembler (plain numbers, safe to serialize). */
export interface ReassemblyCounters {
  packets: number;
  /** Captured bytes of all frames. */
  bytes: number;
  /** Frames decoded down to a TCP segment. */
  decoded: number;
  /** Frames not decoded, by reason (not_ip, not_tcp, ip_fragment, truncated_tcp, ...). */
  undecodable: Record<string, number>;
  /** Decoded segments carrying SYN, FIN and RST flags. */
  synSegments: number;
  finSegments: number;
  rstSegments: number;
  /** TCP segments of no known connection that cannot open one (pure ACK, RST, FIN without data). */
  segmentsWithoutConnection: number;
  connectionsOpened: number;
  connectionsClosed: number;
  connectionsActive: number;
  connectionsTimedOut: number;
  connectionsReset: number;
  /** Connections closed with reason 'evicted': maxConnections reached, or replaced (see connectionsReused). */
  connectionsEvicted: number;
  /** Connections replaced by a new SYN on the same 4-tuple (closed with reason 'evicted'). */
  connectionsReused: number;
  /** Bytes received again after they were delivered or buffered (dropped). */
  retransmittedBytes: number;
  /** Segments that partly overlapped delivered or buffered bytes. */
  overlaps: number;
  gaps: number;
  gapBytes: number;
  /** Bytes the capture did not hold (snaplen cut, or frames shorter than their IP length): gaps. */
  snaplenCutBytes: number;
  /** Out-of-order bytes buffered now, and the largest amount buffered by one connection at once. */
  bufferedBytes: number;
  reorderHighWater: number;
  /** Times a buffer limit forced a hole to be skipped. */
  bufferLimitHits: number;
  /** Frames whose IP length exceeds the captured bytes without a snaplen cut (the rest is a gap). */
  shortFrames: number;
  /** Segments of connections in TIME_WAIT (final ACKs, late retransmissions, duplicate SYNs): dropped. */
  timeWaitSegments: number;
  /** Connections kept in TIME_WAIT now. */
  connectionsTimeWait: number;
  /** RSTs outside the receiver's window (RFC 5961): ignored. */
  rstIgnored: number;
  /** SYNs with another sequence number inside an established connection: ignored. */
  synInConnection: number;
  /** Segments whose sequence number jumped 2^31 or more away from their stream: dropped. */
  sequenceJumps: number;
}

/** The counters the reassembler increments in place (the derived ones are filled by counters()). */
export type MutableCounters = Omit<
  ReassemblyCounters,
  'undecodable' | 'connectionsActive' | 'connectionsTimeWait'
>;

/** Fresh zeroed counters. */
export function newCounters(): MutableCounters {
  return {
    packets: 0,
    bytes: 0,
    decoded: 0,
    synSegments: 0,
    finSegments: 0,
    rstSegments: 0,
    segmentsWithoutConnection: 0,
    connectionsOpened: 0,
    connectionsClosed: 0,
    connectionsTimedOut: 0,
    connectionsReset: 0,
    connectionsEvicted: 0,
    connectionsReused: 0,
    retransmittedBytes: 0,
    overlaps: 0,
    gaps: 0,
    gapBytes: 0,
    snaplenCutBytes: 0,
    bufferedBytes: 0,
    reorderHighWater: 0,
    bufferLimitHits: 0,
    shortFrames: 0,
    timeWaitSegments: 0,
    rstIgnored: 0,
    synInConnection: 0,
    sequenceJumps: 0,
  };
}
