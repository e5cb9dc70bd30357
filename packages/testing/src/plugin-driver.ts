// Drives one protocol plugin directly, as the dispatcher would for one connection, so that tests
// can feed chunks, gaps, FINs and closes in any order without building packets.
import type {
  Direction,
  Logger,
  FlowTuple,
  ProtocolModule,
  TcpPlugin,
  TransactionEvent,
} from '@wirebeat/applayer';
import { DEFAULT_CONVERSATION_START } from './conversation';
import { concatBytes } from './split';

/** Options of a PluginDriver. */
export interface PluginDriverOptions {
  /**
   * The connection; default TCP 10.0.0.2:40000 -> 10.0.0.1:<first configured port>. With
   * `transport: 'udp'` each data() call is one datagram.
   */
  tuple?: Partial<FlowTuple>;
  /** Time of the first call in ms; each call without an explicit time advances it by 1 ms. */
  start?: number;
  logger?: Logger;
  /**
   * Overwrite each payload after the plugin returns (default true): payloads are only valid
   * during the call, and a plugin that keeps a view instead of copying then fails visibly.
   */
  poisonPayloads?: boolean;
}

const ENCODER = new TextEncoder();

/** One connection's worth of calls into a plugin, with the state threaded through like the dispatcher does. */
export class PluginDriver<S = unknown> {
  /** Events the plugin published, in order. */
  readonly events: TransactionEvent[] = [];
  /** Warn/error log lines (when no logger was given). */
  readonly logged: string[] = [];
  readonly plugin: TcpPlugin<S>;
  readonly tuple: FlowTuple;
  private state: S | undefined;
  private now: number;
  private closed = false;
  private readonly poison: boolean;

  constructor(module: ProtocolModule, config: Record<string, unknown> = {}, opts: PluginDriverOptions = {}) {
    const parsed = module.configSchema.parse(config);
    const log =
      (level: string) =>
      (msg: unknown): void => {
        this.logged.push(`${level}: ${typeof msg === 'string' ? msg : JSON.stringify(msg)}`);
      };
    const ignore = (): void => undefined;
    const logger =
      opts.logger ?? ({ debug: ignore, info: ignore, warn: log('warn'), error: log('error') } as Logger);
    this.plugin = module.create(parsed, {
      publish: (event) => this.events.push(event),
      logger,
    }) as TcpPlugin<S>;
    this.now = opts.start ?? DEFAULT_CONVERSATION_START;
    this.poison = opts.poisonPayloads ?? true;
    this.tuple = {
      ipVersion: 4,
      transport: 'tcp',
      srcIp: '10.0.0.2',
      srcPort: 40000,
      dstIp: '10.0.0.1',
      dstPort: parsed.ports[0] ?? 1,
      connectionId: 'driver-connection',
      ...opts.tuple,
    };
  }

  /** Current per-connection state (what the plugin returned last). */
  get currentState(): S | undefined {
    return this.state;
  }

  /** Delivers bytes in one direction (0 client->server, 1 server->client). */
  data(dir: Direction, bytes: Uint8Array | string, ts = this.nextTime()): this {
    const payload = typeof bytes === 'string' ? ENCODER.encode(bytes) : Uint8Array.from(bytes);
    this.state = this.plugin.parse({ ts, payload }, this.tuple, dir, this.state);
    if (this.poison) payload.fill(0xee);
    return this;
  }

  /** Delivers each chunk in turn in one direction. */
  chunks(dir: Direction, chunks: Iterable<Uint8Array | string>): this {
    for (const chunk of chunks) this.data(dir, chunk);
    return this;
  }

  /**
   * Delivers the bytes of `chunks` in one direction with bytes [from, to) of their concatenation
   * lost in a gap (gap properties of protocol tests); true when the plugin dropped the connection
   * at the gap (the bytes after it are then not delivered).
   */
  dataWithGap(dir: Direction, chunks: Iterable<Uint8Array | string>, from: number, to: number): boolean {
    const all = concatBytes([...chunks]);
    this.data(dir, all.subarray(0, from));
    if (this.gap(dir, to - from)) return true;
    this.data(dir, all.subarray(to));
    return false;
  }

  /** Reports `nbytes` missing in one direction; returns whether the plugin asked to drop the connection. */
  gap(dir: Direction, nbytes: number): boolean {
    const { state, drop } = this.plugin.gapInStream(this.tuple, dir, nbytes, this.state);
    this.state = state;
    return drop;
  }

  /** The sender of `dir` finished. */
  fin(dir: Direction): this {
    this.state = this.plugin.receivedFin(this.tuple, dir, this.state);
    return this;
  }

  /** Advances the plugin's packet clock (transaction timeouts). */
  tick(ts: number): this {
    this.now = Math.max(this.now, ts);
    this.plugin.tick?.(ts);
    return this;
  }

  /** Closes the connection (flushes pending transactions); further calls are a test bug. */
  close(reason = 'fin', ts = this.nextTime()): TransactionEvent[] {
    if (!this.closed) this.plugin.connectionClosed(this.tuple, reason, this.state, ts);
    this.closed = true;
    return this.events;
  }

  private nextTime(): number {
    return this.now++;
  }
}
