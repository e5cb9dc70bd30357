// The fields every parsed message carries, whatever its protocol.
import type { Direction, TcpTuple } from './plugin';

/** Process names at each end of the connection, when the platform can tell. */
export interface ProcessTuple {
  src?: string;
  dst?: string;
}

/** A parsed request or response. Protocol messages extend this with their own fields. */
export interface Message {
  /** Time of the message's first segment, ms since the epoch (to the microsecond). */
  ts: number;
  /**
   * Nanoseconds below ts's microsecond (0..999) in captures with nanosecond times; the framework
   * sets it on emitted messages (parsers need not), undefined for microsecond captures.
   */
  tsNanos?: number;
  tuple: TcpTuple;
  transport: 'tcp' | 'udp';
  processTuple?: ProcessTuple;
  direction: Direction;
  isRequest: boolean;
  /** Bytes on the wire, delimiters included. */
  size: number;
  /** Why this message is unusual (truncated, hit by a gap ...). */
  notes?: string[];
  /** A gap cut the message short: what it holds is what was seen, the rest is unknown. */
  truncated?: boolean;
  /**
   * The text published as `request` / `response` when send_request / send_response is on. Protocols
   * built with defineProtocol set it; the framework drops it from pending requests when it is off.
   */
  raw?: string;
}

/** Adds a note to a message, creating the list on first use (most messages have none). */
export function addNote(msg: { notes?: string[] }, note: string): void {
  if (msg.notes === undefined) msg.notes = [note];
  else if (!msg.notes.includes(note)) msg.notes.push(note);
}
