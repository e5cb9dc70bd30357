// Replays captures (or frames) through the engine beat-runner runs (@wirebeat/engine: decoding,
// TCP reassembly and UDP flows, dispatch, packet clock, flush), collecting the published events.
import { Engine } from '@wirebeat/engine';
import { PcapReader } from '@wirebeat/tcp-reassembly';
import type { CaptureWarning, Frame } from '@wirebeat/tcp-reassembly';
import type { Logger, ProtocolCounters, ProtocolModule, TransactionEvent } from '@wirebeat/applayer';

/**
 * A protocol to replay with: its module and its options as a user writes them in the beat's
 * config (`{ ports: [4040], send_request: true }`); they go through the module's configSchema,
 * so defaults apply exactly as in a beat.
 */
export interface ReplayProtocol {
  module: ProtocolModule;
  config?: Record<string, unknown>;
}

/** Options of a replay. */
export interface ReplayOptions {
  /** Where plugins log; default: warnings and errors collected in the result, the rest dropped. */
  logger?: Logger;
  /** Idle timeout for connections in ms (reassembler default when omitted). */
  idleTimeoutMs?: number;
}

/** Everything a replay produced. */
export interface ReplayResult {
  events: TransactionEvent[];
  /** Counters per protocol name. */
  counters: Record<string, ProtocolCounters>;
  /** Reassembly counters (packets, gaps, undecodable ...). */
  reassembly: Record<string, unknown>;
  /** UDP flow counters (datagrams, flows ...) and IP fragment counters. */
  udp: Record<string, unknown>;
  fragments: Record<string, unknown>;
  /** Capture warnings (truncated file ...); empty for frame replays. */
  warnings: CaptureWarning[];
  /** Messages logged at warn or error level, when no logger was given. */
  logged: string[];
}

/** Replays a capture file (path or its bytes) and returns the transaction events in publish order. */
export async function replayCapture(
  source: string | Buffer,
  protocols: ReplayProtocol[],
): Promise<TransactionEvent[]> {
  return (await replayCaptureDetailed(source, protocols)).events;
}

/** Replays a capture and returns events, counters and warnings. */
export async function replayCaptureDetailed(
  source: string | Buffer,
  protocols: ReplayProtocol[],
  opts: ReplayOptions = {},
): Promise<ReplayResult> {
  const session = new ReplaySession(protocols, opts);
  const reader = PcapReader.open(source);
  for await (const frame of reader) session.feed(frame);
  return session.finish(reader.warnings);
}

/** Replays frames already in memory (synthetic conversations, reordered or duplicated packets). */
export function replayFrames(
  frames: Iterable<Frame>,
  protocols: ReplayProtocol[],
  opts: ReplayOptions = {},
): ReplayResult {
  const session = new ReplaySession(protocols, opts);
  for (const frame of frames) session.feed(frame);
  return session.finish([]);
}

/** One replay: the engine beats run, fed frame by frame, its events collected. */
class ReplaySession {
  private readonly events: TransactionEvent[] = [];
  private readonly logged: string[] = [];
  private readonly engine: Engine;

  constructor(protocols: ReplayProtocol[], opts: ReplayOptions) {
    this.engine = new Engine({
      protocols: protocols.map(({ module, config }) => ({
        module,
        config: module.configSchema.parse(config ?? {}),
      })),
      publish: (event) => this.events.push(event),
      logger: opts.logger ?? collectingLogger(this.logged),
      ...(opts.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: opts.idleTimeoutMs }),
    });
  }

  feed(frame: Frame): void {
    this.engine.processFrame(frame);
  }

  finish(warnings: CaptureWarning[]): ReplayResult {
    this.engine.finish('eof');
    const counters = this.engine.counters();
    return {
      events: this.events,
      counters: counters.protocols,
      reassembly: { ...counters.reassembly },
      udp: { ...counters.udp },
      fragments: { ...counters.fragments },
      warnings,
      logged: this.logged,
    };
  }
}

/** A logger that keeps warnings and errors (tests assert on them) and drops debug/info. */
function collectingLogger(into: string[]): Logger {
  const keep =
    (level: string) =>
    (msg: string | object, ...args: unknown[]): void => {
      const text = typeof msg === 'string' ? msg : JSON.stringify(msg);
      into.push(
        [`${level}: ${text}`, ...args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))].join(' '),
      );
    };
  const ignore = (): void => undefined;
  return { debug: ignore, info: ignore, warn: keep('warn'), error: keep('error') } as Logger;
}
