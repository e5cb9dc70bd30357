// Option schemas protocols commonly need, with the messages users see when a value is wrong.
import { z } from 'zod';

const BYTES = 'expected a number of bytes (a positive integer)';
const COUNT = 'expected a positive integer';

/** A size in bytes (positive integer) with its default. */
export function byteSizeOption(defaultBytes: number) {
  return z.number({ error: BYTES }).int({ error: BYTES }).positive({ error: BYTES }).default(defaultBytes);
}

/** A count (positive integer) with its default. */
export function countOption(defaultCount: number) {
  return z.number({ error: COUNT }).int({ error: COUNT }).positive({ error: COUNT }).default(defaultCount);
}

/** Options defineProtocol adds after a protocol's own. */
export const correlationOptions = {
  /** Requests waiting for a response per connection; the oldest is published as missing beyond it. */
  max_pending_requests: countOption(1000),
};
