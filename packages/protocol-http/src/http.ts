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
import { HttpParser, heldBytes, type HttpParserOptions } from './parser';
import { includesBody } from './body';
import { isFormBody } from './params';
import { headerPolicyOf, httpTransaction, messageText, policyOf } from './pub';

type Context = ConnectionContext<HttpMessage, HttpMessage, HttpConfig>;

/**
 * One HTTP connection: a parser per direction, made on that direction's first bytes (most of
 * many open connections only ever see requests, or nothing yet). The method of the request a
 * response answers is the framework's oldest pending request (HEAD and CONNECT responses are
 * framed by it).
 */
export class HttpConnection implements ConnectionHandler {
  private p0: HttpParser | undefined = undefined;
  private p1: HttpParser | undefined = undefined;
  private readonly ctx: Context;
  // The parsers' callbacks, made with their parser (bound: parsers call them synchronously).
  private emit0: ((m: HttpMessage) => void) | undefined = undefined;
  private emit1: ((m: HttpMessage) => void) | undefined = undefined;

  /** Created on a connection's first segment (or gap). */
  constructor(ctx: Context) {
    this.ctx = ctx;
  }

  /** The parser of `dir`, made now when it has none yet. */
  private parser(dir: Direction): HttpParser {
    if (dir === 0) return (this.p0 ??= new HttpParser(this.ctx.tuple, 0, requestParserOptions(this.ctx)));
    return (this.p1 ??= new HttpParser(this.ctx.tuple, 1, responseParserOptions(this.ctx)));
  }

  private onMessage(dir: Direction): (m: HttpMessage) => void {
    if (dir === 0) return (this.emit0 ??= (m) => this.onRequest(m));
    return (this.emit1 ??= (m) => this.onResponse(m));
  }

  private onRequest(m: HttpMessage): void {
    const cfg = this.ctx.config;
    if (cfg.send_request) m.raw = messageText(m, headerPolicyOf(cfg), cfg.max_body_bytes);
    this.ctx.request(m);
  }

  private onResponse(m: HttpMessage): void {
    const cfg = this.ctx.config;
    if (m.interim) {
      // 100 Continue and friends precede the final response; 101 ends HTTP on this connection.
      this.ctx.count('messages');
      if (m.statusCode === 101) this.parser(0).stop();
      return;
    }
    if (cfg.send_response) m.raw = messageText(m, headerPolicyOf(cfg), cfg.max_body_bytes);
    this.ctx.response(m);
  }

  /** Feeds a segment of one direction to that direction's parser. */
  onData(dir: Direction, payload: Uint8Array, ts: number): void {
    this.parser(dir).parse(payload, ts, this.onMessage(dir));
  }

  /**
   * A gap inside a body of known length only shortens what is seen of it; elsewhere the message is
   * published cut short (or counted lost) and parsing resumes at the next request or status line.
   */
  onGap(dir: Direction, nbytes: number, ts: number): boolean {
    if (this.parser(dir).gap(nbytes, this.onMessage(dir)) === 'lost') this.ctx.lost(dir, ts);
    return true;
  }

  /** A response read until close ends here; an unfinished message is published with a note. */
  onFin(dir: Direction): void {
    (dir === 0 ? this.p0 : this.p1)?.flush(this.onMessage(dir));
  }

  /** Unfinished messages are published; the framework then publishes the pending requests. */
  onClose(): void {
    this.p0?.flush(this.onMessage(0));
    this.p1?.flush(this.onMessage(1));
  }

  /** Bytes the unfinished messages of both directions hold (counted in max_pending_bytes). */
  partialBytes(): number {
    return (this.p0?.partialBytes() ?? 0) + (this.p1?.partialBytes() ?? 0);
  }

  /** Publishes the unfinished messages now (over max_pending_bytes) and skips their rest. */
  evictPartial(): void {
    this.p0?.evictPartial(this.onMessage(0));
    this.p1?.evictPartial(this.onMessage(1));
  }
}

/** Request parser options, one object per configuration (every connection shares it). */
function requestParserOptions(ctx: Context): HttpParserOptions {
  const cfg = ctx.config;
  let opts = requestOptions.get(cfg);
  if (opts === undefined) {
    opts = {
      maxHeadBytes: cfg.max_message_size,
      // Bodies and head lines are only kept when they are published.
      maxBodyBytes: cfg.send_request ? cfg.max_body_bytes : 0,
      bodyBytesFor: bodyBytesFor(cfg, cfg.send_request, policyOf(cfg).requestBodyFor, true),
      keepHeadLines: cfg.send_request,
    };
    requestOptions.set(cfg, opts);
  }
  return opts;
}
const requestOptions = new WeakMap<HttpConfig, HttpParserOptions>();

/** Response parser options: its framing depends on the method of the request it answers. */
function responseParserOptions(ctx: Context): HttpParserOptions {
  const cfg = ctx.config;
  return {
    maxHeadBytes: cfg.max_message_size,
    maxBodyBytes: cfg.send_response ? cfg.max_body_bytes : 0,
    bodyBytesFor: bodyBytesFor(cfg, cfg.send_response, policyOf(cfg).responseBodyFor, false),
    keepHeadLines: cfg.send_response,
    requestMethod: () => ctx.pendingRequest()?.method,
  };
}

/**
 * Body bytes to keep of a message, decided from its head: published in `request` / `response`,
 * as body.content (include_*_body_for) or, for forms, in url.query.
 */
function bodyBytesFor(
  cfg: HttpConfig,
  send: boolean,
  bodyFor: readonly string[],
  forms: boolean,
): (m: HttpMessage) => number {
  return (m) =>
    includesBody(m, bodyFor) || (forms && isFormBody(m))
      ? Math.max(cfg.max_message_size, send ? cfg.max_body_bytes : 0)
      : send
        ? cfg.max_body_bytes
        : 0;
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
  // A head of many short lines holds far more than its size on the wire.
  pendingBytes: heldBytes,
  transaction: httpTransaction,
});

/** The strict schema of the HTTP options (shared ones included, defaults applied). */
export const httpConfigSchema = httpProtocol.configSchema;

/** Validates raw HTTP options; throws HttpConfigError naming each bad option and what it expects. */
export const parseHttpConfig = (raw: unknown = {}): HttpConfig =>
  httpProtocol.parseConfig(raw, (message) => new HttpConfigError(message));
