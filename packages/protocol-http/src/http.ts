// The HTTP/1.x analyzer on applayer's defineProtocol. It takes the connection form: the response
// parser must know the method of the request it answers (HEAD and CONNECT responses have no body)
// and a 101 response ends HTTP in both directions.
import {
  defineProtocol,
  type ConnectionContext,
  type ConnectionHandler,
  type Direction,
} from '@wirebeat/applayer';
import { HTTP_DEFAULT_PORTS, httpOptions, type HttpConfig } from './config';
import { HttpConfigError } from './errors';
import { httpFields } from './fields';
import type { HttpMessage } from './message';
import { HttpParser } from './parser';
import { headerPolicyOf, httpTransaction, messageText } from './pub';

type Context = ConnectionContext<HttpMessage, HttpMessage, HttpConfig>;

/** One HTTP connection: a parser per direction and the methods of the requests still waiting. */
export class HttpConnection implements ConnectionHandler {
  private readonly parsers: [HttpParser, HttpParser];
  private readonly onMessage: [(m: HttpMessage) => void, (m: HttpMessage) => void];
  /** Methods of the pending requests, oldest at `head` ('' for a request lost in a gap). */
  private methods: string[] = [];
  private head = 0;

  /** Created on a connection's first segment (or gap). */
  constructor(private readonly ctx: Context) {
    const cfg = ctx.config;
    const policy = headerPolicyOf(cfg);
    // Bodies are only kept when they are published.
    const parserOpts = (send: boolean) => ({
      maxHeadBytes: cfg.max_message_size,
      maxBodyBytes: send ? cfg.max_body_bytes : 0,
      requestMethod: () => this.nextMethod(),
    });
    this.parsers = [
      new HttpParser(ctx.tuple, 0, parserOpts(cfg.send_request)),
      new HttpParser(ctx.tuple, 1, parserOpts(cfg.send_response)),
    ];
    this.onMessage = [
      (m) => {
        if (cfg.send_request) m.raw = messageText(m, policy);
        this.methods.push(m.method);
        ctx.request(m);
        // Requests the correlator gave up on (max_pending_requests, max_pending_bytes) leave this
        // list too: a million pipelined requests without responses must not pile up here.
        this.sync();
        if (this.head > 1024 && this.head * 2 > this.methods.length) {
          this.methods.splice(0, this.head);
          this.head = 0;
        }
      },
      (m) => {
        if (m.interim) {
          // 100 Continue and friends precede the final response; 101 ends HTTP on this connection.
          ctx.count('messages');
          if (m.statusCode === 101) this.parsers[0].stop();
          return;
        }
        if (cfg.send_response) m.raw = messageText(m, policy);
        this.answered();
        ctx.response(m);
      },
    ];
  }

  /** Feeds a segment of one direction to that direction's parser. */
  onData(dir: Direction, payload: Uint8Array, ts: number): void {
    this.parsers[dir].parse(payload, ts, this.onMessage[dir]);
  }

  /**
   * A gap inside a body of known length only shortens what is seen of it; elsewhere the message is
   * published cut short (or counted lost) and parsing resumes at the next request or status line.
   */
  onGap(dir: Direction, nbytes: number, ts: number): boolean {
    if (this.parsers[dir].gap(nbytes, this.onMessage[dir]) !== 'lost') return true;
    if (dir === 0) this.methods.push('');
    else this.answered();
    this.ctx.lost(dir, ts);
    return true;
  }

  /** A response read until close ends here; an unfinished message is published with a note. */
  onFin(dir: Direction): void {
    this.parsers[dir].flush(this.onMessage[dir]);
  }

  /** Unfinished messages are published; the framework then publishes the pending requests. */
  onClose(): void {
    this.parsers[0].flush(this.onMessage[0]);
    this.parsers[1].flush(this.onMessage[1]);
  }

  /** The method of the request the next response answers ('' when lost, undefined when none). */
  private nextMethod(): string | undefined {
    this.sync();
    return this.head < this.methods.length ? this.methods[this.head] : undefined;
  }

  /** The oldest pending request got its response (or lost it in a gap). */
  private answered(): void {
    this.sync();
    if (this.head < this.methods.length) this.head++;
    if (this.head === this.methods.length) {
      this.methods.length = 0;
      this.head = 0;
    } else if (this.head > 64) {
      this.methods.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Requests published without a response (timeouts, evictions) leave the front of the queue. */
  private sync(): void {
    const extra = this.methods.length - this.head - this.ctx.pending;
    if (extra > 0) this.head += extra;
  }
}

/** The HTTP/1.x protocol module: pass it to runBeat({ protocols: [httpProtocol] }). */
export const httpProtocol = defineProtocol({
  name: 'http',
  description: 'HTTP/1.0 and HTTP/1.1: methods, URLs, status codes, headers and body sizes.',
  ports: HTTP_DEFAULT_PORTS,
  options: httpOptions,
  fields: httpFields,
  connection: (ctx) => new HttpConnection(ctx),
  transaction: httpTransaction,
});

/** The strict schema of the HTTP options (shared ones included, defaults applied). */
export const httpConfigSchema = httpProtocol.configSchema;

/** Validates raw HTTP options; throws HttpConfigError naming each bad option and what it expects. */
export const parseHttpConfig = (raw: unknown = {}): HttpConfig =>
  httpProtocol.parseConfig(raw, (message) => new HttpConfigError(message));
