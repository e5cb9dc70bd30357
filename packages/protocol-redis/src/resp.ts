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

/** An aggregate nested deeper than MAX_NESTING: counted while it arrived, its contents not kept. */
export class RespTooDeep {
  /** The one instance (it carries nothing). */
  static readonly value = new RespTooDeep();
  private constructor() {}
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
  | RespLongString
  | RespTooDeep;

/** Elements kept per aggregate; the rest are counted only. */
export const MAX_KEPT_ITEMS = 64;

/**
 * Aggregates kept nested inside each other; deeper ones are counted only (RespTooDeep). Real
 * replies nest a few levels; thousands of levels only come from hostile or broken peers.
 */
export const MAX_NESTING = 64;

/** A value as text, the way Packetbeat shows redis.return_value: 'OK', '42', 'nil', '[a, b]', '{k: v}'. */
export function formatValue(value: RespValue): string {
  return formatAt(value, 0);
}

/** formatValue of a value nested `depth` aggregates deep (the depth bounds the recursion). */
function formatAt(value: RespValue, depth: number): string {
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
  if (value instanceof RespError) return value.message;
  if (value instanceof RespBigNumber) return value.digits;
  if (value instanceof RespLongString) return `${value.head}... (${value.length} bytes)`;
  if (value instanceof RespTooDeep || depth >= MAX_NESTING) return '[...]';
  const inner = (v: RespValue): string => formatAt(v, depth + 1);
  if (Array.isArray(value)) return '[' + value.map(inner).join(', ') + ']';
  if (value instanceof RespSet || value instanceof RespPush)
    return '[' + value.items.map(inner).join(', ') + ']';
  return '{' + value.entries.map(([k, v]) => `${inner(k)}: ${inner(v)}`).join(', ') + '}';
}

/** The elements of an array-like value (array, set, push); undefined for other values. */
export function itemsOf(value: RespValue): RespValue[] | undefined {
  if (Array.isArray(value)) return value;
  if (value instanceof RespPush || value instanceof RespSet) return value.items;
  return undefined;
}
