// Options of TcpReassembler, their defaults and validation.
import { InvalidOptionError } from './errors';

/** Options of TcpReassembler; every field is optional. */
export interface ReassemblerOptions {
  /** Tells server ports, to pick the client of a connection whose SYN was not seen. Default: none. */
  isServerPort?: (port: number) => boolean;
  /** Idle timeout of new connections in ms (a consumer may change it in onConnectionOpen). Default 60,000. */
  idleTimeoutMs?: number;
  /** Connections kept at once; the least recently active one is evicted beyond it. Default 262,144. */
  maxConnections?: number;
  /** Out-of-order bytes buffered per connection (both directions). Default 1 MiB, at least 64 KiB. */
  maxBufferedBytesPerConnection?: number;
  /** Out-of-order bytes buffered over all connections. Default 128 MiB. */
  maxBufferedBytesTotal?: number;
  /** Out-of-order segments buffered per direction. Default 1,024. */
  maxBufferedSegments?: number;
  /** How often (packet time, ms) idle connections are looked for. Default 1,000. */
  timeoutCheckIntervalMs?: number;
  /** How long (packet time, ms) a tuple closed by FIN or RST absorbs late segments; 0 turns it off. Default 60,000. */
  timeWaitMs?: number;
}

/** Buffer limits after defaults and validation. */
export interface BufferLimits {
  maxConnBuffer: number;
  maxTotalBuffer: number;
  maxSegments: number;
}

/** Options after defaults and validation. */
export interface ResolvedOptions extends BufferLimits {
  isServerPort: ((port: number) => boolean) | undefined;
  idleTimeoutMs: number;
  maxConnections: number;
  checkInterval: number;
  timeWaitMs: number;
}

const MIN_CONN_BUFFER = 65536;

/** Applies defaults; throws InvalidOptionError for a value that is not a positive number. */
export function resolveOptions(opts: ReassemblerOptions): ResolvedOptions {
  const maxConnBuffer = Math.max(
    MIN_CONN_BUFFER,
    positive('maxBufferedBytesPerConnection', opts.maxBufferedBytesPerConnection, 1 << 20),
  );
  return {
    isServerPort: opts.isServerPort,
    idleTimeoutMs: positive('idleTimeoutMs', opts.idleTimeoutMs, 60_000),
    maxConnections: positive('maxConnections', opts.maxConnections, 262_144),
    maxConnBuffer,
    maxTotalBuffer: Math.max(
      maxConnBuffer,
      positive('maxBufferedBytesTotal', opts.maxBufferedBytesTotal, 128 << 20),
    ),
    maxSegments: positive('maxBufferedSegments', opts.maxBufferedSegments, 1024),
    checkInterval: positive('timeoutCheckIntervalMs', opts.timeoutCheckIntervalMs, 1000),
    timeWaitMs: opts.timeWaitMs === 0 ? 0 : positive('timeWaitMs', opts.timeWaitMs, 60_000),
  };
}

function positive(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
    throw new InvalidOptionError(`TcpReassembler option ${name} must be a positive number, got ${String(v)}`);
  }
  return v;
}
