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

/**
 * One HTTP connection: a parser per direction. The method of the request a response answers is
 * the framework's oldest pending request (HEAD and CONNECT responses are framed by it).
 */
export class HttpConnection implements ConnectionHandler {
  private readonly parsers: [HttpParser, HttpParser];
  private readonly onMessage: [(m: HttpMessage) => void, (m: HttpMessage) => void];

  /** Created on a connection's first segment (or gap). */
  constructor(private readonly ctx: Context) {
    const cfg = ctx.config;
    const policy = headerPolicyOf(cfg);
    // Bodies are only kept when they are published.
    const parserOpts = (send: boolean) => ({
      maxHeadBytes: cfg.max_message_size,
      maxBodyBytes: send ? cfg.max_body_bytes : 0,
      requestMethod: () => ctx.pendingRequest()?.method,
    });
    this.parsers = [
      new HttpParser(ctx.tuple, 0, parserOpts(cfg.send_request)),
      new HttpParser(ctx.tuple, 1, parserOpts(cfg.send_response)),
    ];
    this.onMessage = [
      (m) => {
        if (cfg.send_request) m.raw = messageText(m, policy);
        ctx.request(m);
      },
      (m) => {
        if (m.interim) {
          // 100 Continue and friends precede the final response; 101 ends HTTP on this connection.
          ctx.count('messages');
          if (m.statusCode === 101) this.parsers[0].stop();
          return;
        }
        if (cfg.send_response) m.raw = messageText(m, policy);
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
    if (this.parsers[dir].gap(nbytes, this.onMessage[dir]) === 'lost') this.ctx.lost(dir, ts);
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
}

/** The HTTP/1.x protocol module: pass it to runBeat({ protocols: [httpProtocol] }). */
export const httpProtocol = defineProtocol({
  name: 'http',
  description: 'HTTP/1.0 and HTTP/1.1: methods, URLs, status codes, headers and body sizes.',
  ports: HTTP_DEFAULT_PORTS,
  options: httpOptions,
  fields: httpFields,
  dashboard: { resource: 'url.path', error: 'http.response.status_code' },
  connection: (ctx) => new HttpConnection(ctx),
  transaction: httpTransaction,
});

/** The strict schema of the HTTP options (shared ones included, defaults applied). */
export const httpConfigSchema = httpProtocol.configSchema;

/** Validates raw HTTP options; throws HttpConfigError naming each bad option and what it expects. */
export const parseHttpConfig = (raw: unknown = {}): HttpConfig =>
  httpProtocol.parseConfig(raw, (message) => new HttpConfigError(message));
