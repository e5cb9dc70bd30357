// What the client says: decoders of its messages into requests and the names they refer to.
import type { Direction, FlowTuple } from '@wirebeat/applayer';
import { cstring, i32 } from './decode';
import type { PgsqlRequest, RequestKind } from './message';

/** Codes of the untyped messages that open a connection (the startup message's is its version). */
export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;

/** A new request of the client side of `tuple`. */
export function newRequest(
  tuple: FlowTuple,
  kind: RequestKind,
  method: string,
  size: number,
  ts: number,
  cycle: number,
): PgsqlRequest {
  return {
    ts,
    tuple,
    transport: 'tcp',
    direction: 0 as Direction,
    isRequest: true,
    size,
    charged: size,
    kind,
    cycle,
    method,
  };
}

/** The parameters of a startup message (user, database, application_name...). */
export function startupParams(body: Uint8Array): Map<string, string> {
  const params = new Map<string, string>();
  for (let at = 4; at < body.length && body[at] !== 0;) {
    const [name, next] = cstring(body, at);
    const [value, after] = cstring(body, next);
    params.set(name, value);
    at = after;
  }
  return params;
}

/**
 * The protocol version of a startup message as major.minor; undefined when it is not a version 3
 * startup (version 2, dropped by PostgreSQL 14, frames its messages differently).
 */
export function protocolVersion(body: Uint8Array): string | undefined {
  const code = i32(body, 0);
  return code >>> 16 === 3 ? `3.${code & 0xffff}` : undefined;
}

/** A bounded name -> value map: the oldest entry goes when it is full (names of statements, portals). */
export class BoundedNames {
  private readonly map = new Map<string, string>();

  /** A map of at most `max` names. */
  constructor(private readonly max: number) {}

  /** Sets `name` (it becomes the newest). */
  set(name: string, value: string): void {
    this.map.delete(name);
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(name, value);
  }

  /** The value of `name`. */
  get(name: string): string | undefined {
    return this.map.get(name);
  }

  /** Forgets `name`. */
  delete(name: string): void {
    this.map.delete(name);
  }
}
