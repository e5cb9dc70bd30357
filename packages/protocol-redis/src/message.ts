// The Redis message the parser emits: one command (client) or one reply or push (server).
import type { Message } from '@wirebeat/applayer';
import type { RespValue } from './resp';

/** One command, reply or push. */
export interface RedisMessage extends Message {
  /** The parsed value (a command is an array of bulk strings). */
  value: RespValue;
  /** Commands: the arguments as text, the command name first. Undefined for replies. */
  args: string[] | undefined;
  /** Sent as an inline command (a plain text line). */
  inline: boolean;
  /** A RESP3 push (`>`): out-of-band data, never the reply to a command. */
  isPush: boolean;
  /** An error reply. */
  isError: boolean;
  /** A gap swallowed part of a bulk string of this message (its text is incomplete). */
  truncated: boolean;
}
