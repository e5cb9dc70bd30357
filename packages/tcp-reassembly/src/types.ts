// Contract between tcp-reassembly and its consumers (beat-runner, @wirebeat/testing).
// Direction and the connection shape come from @wirebeat/core, which applayer uses too.
import type { Direction, StreamConnection } from '@wirebeat/core';

export type { Direction };

/** A captured frame as read from a file or a live interface. */
export interface Frame {
  /**
   * Capture time in milliseconds since the Unix epoch, to the microsecond (a double of ms holds no
   * more: its step is about 0.24 µs at today's dates).
   */
  ts: number;
  /**
   * Nanoseconds below `ts`'s microsecond (0..999) when the capture has finer than microsecond
   * times; undefined for microsecond (or coarser) captures.
   */
  tsNanos?: number | undefined;
  /** Link-layer type, a LINKTYPE_* value (1 Ethernet, 0 NULL, 101 raw IP, 113 SLL, 276 SLL2, ...). */
  linktype: number;
  /** Captured bytes. May be a view into a buffer that is reused for the next frame. */
  data: Uint8Array;
  /** Length of the packet on the wire; larger than data.length when the snaplen cut it. */
  origLen: number;
}

/**
 * Why a connection left the table: 'evicted' when the table was full (or the tuple was reused),
 * 'memory' when its owner closed it to keep within the beat's memory budget.
 */
export type CloseReason = 'fin' | 'rst' | 'timeout' | 'eof' | 'evicted' | 'memory';

/** One TCP connection as seen by a consumer (core's StreamConnection plus an id). Both directions belong to it. */
export interface TcpConnection extends StreamConnection {
  /** Unique for the lifetime of the reassembler (increasing). */
  readonly id: number;
}

/**
 * Something odd about a segment of a connection, reported to StreamConsumer.onAnomaly:
 * - `sequence_jump`: the sequence number lies 2^31 or more away (or before the stream start); dropped.
 * - `syn_in_connection`: a SYN with another sequence number inside an established connection; ignored.
 * - `rst_out_of_window`: an RST outside the receiver's window (RFC 5961); ignored.
 */
export type StreamAnomaly = 'sequence_jump' | 'syn_in_connection' | 'rst_out_of_window';

/** Receives ordered byte streams. Payload views are only valid during the call. */
export interface StreamConsumer {
  onConnectionOpen(conn: TcpConnection, ts: number): void;
  onData(conn: TcpConnection, dir: Direction, data: Uint8Array, ts: number, tsNanos?: number): void;
  /** nbytes of the stream in that direction are missing and will never be delivered. */
  onGap(conn: TcpConnection, dir: Direction, nbytes: number, ts: number): void;
  /** The sender of `dir` finished (FIN reached in order, or RST). */
  onFin(conn: TcpConnection, dir: Direction, ts: number): void;
  onConnectionClose(conn: TcpConnection, reason: CloseReason, ts: number): void;
  /** Optional: a segment of `dir` was dropped for a reason worth noting (counted either way). */
  onAnomaly?(conn: TcpConnection, dir: Direction, anomaly: StreamAnomaly, ts: number): void;
}
