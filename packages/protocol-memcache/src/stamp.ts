// What every memcache message carries besides its own fields: where and when it was seen.
import type { Direction, TcpTuple } from '@wirebeat/applayer';
import type { CommandType } from './codes';
import type { MemcacheMessage } from './message';

/** Limits shared by the text and binary parsers, so memory stays bounded whatever the input. */
export interface MemcacheLimits {
  /** Keys kept per message (a multi-get may name thousands; the rest are counted). */
  maxKeys: number;
  /** Stats lines kept per stats reply. */
  maxStats: number;
}

/** The connection side a parser works for. */
export interface Stamp {
  tuple: TcpTuple;
  direction: Direction;
  transport: 'tcp' | 'udp';
}

/** A new message of `stamp`'s direction, first seen at `ts`. */
export function newMessage(
  stamp: Stamp,
  ts: number,
  binary: boolean,
  command: string,
  type: CommandType,
): MemcacheMessage {
  return {
    ts,
    tuple: stamp.tuple,
    transport: stamp.transport,
    direction: stamp.direction,
    isRequest: stamp.direction === 0,
    size: 0,
    binary,
    command,
    type,
  };
}

/** Adds a key to a message, keeping at most `max` (later ones are only counted by the caller). */
export function addKey(msg: MemcacheMessage, key: string, max: number): void {
  if (msg.keys === undefined) msg.keys = [key];
  else if (msg.keys.length < max) msg.keys.push(key);
}
