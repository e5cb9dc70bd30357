// RESP2/RESP3 values as the parser builds them, and their text form for events.

/** An error reply (`-ERR ...` or RESP3 blob error `!`). */
export class RespError {
  constructor(readonly message: string) {}
}

/** A RESP3 map (`%`): key/value pairs in wire order. */
export class RespMap {
  constructor(readonly entries: Array<[RespValue, RespValue]>) {}
}

/** A RESP3 set (`~`). */
export class RespSet {
  constructor(readonly items: RespValue[]) {}
}

/** A RESP3 push (`>`): out-of-band data (pub/sub messages, invalidations), not a reply. */
export class RespPush {
  constructor(readonly items: RespValue[]) {}
}

/** A RESP3 big number (`(`), kept as its digits. */
export class RespBigNumber {
  constructor(readonly digits: string) {}
}

/** A bulk string longer than the kept limit: its first bytes and its length. */
export class RespLongString {
  constructor(
    readonly head: string,
    readonly length: number,
  ) {}
}

/** Any RESP value. Simple, bulk and verbatim strings are strings; integers and doubles numbers. */
export type RespValue =
  | string
  | number
  | boolean
  | null
  | RespValue[]
  | RespError
  | RespMap
  | RespSet
  | RespPush
  | RespBigNumber
  | RespLongString;

/** Elements kept per aggregate; the rest are counted only. */
export const MAX_KEPT_ITEMS = 64;

/** A value as text, the way Packetbeat shows redis.return_value: 'OK', '42', 'nil', '[a, b]', '{k: v}'. */
export function formatValue(value: RespValue): string {
  if (value === null) return 'nil';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return String(value);
    default:
      break;
  }
  if (Array.isArray(value)) return '[' + value.map(formatValue).join(', ') + ']';
  if (value instanceof RespSet || value instanceof RespPush)
    return '[' + value.items.map(formatValue).join(', ') + ']';
  if (value instanceof RespMap) {
    return '{' + value.entries.map(([k, v]) => `${formatValue(k)}: ${formatValue(v)}`).join(', ') + '}';
  }
  if (value instanceof RespError) return value.message;
  if (value instanceof RespBigNumber) return value.digits;
  return `${value.head}... (${value.length} bytes)`;
}

/** The elements of an array-like value (array, set, push); undefined for other values. */
export function itemsOf(value: RespValue): RespValue[] | undefined {
  if (Array.isArray(value)) return value;
  if (value instanceof RespPush || value instanceof RespSet) return value.items;
  return undefined;
}
