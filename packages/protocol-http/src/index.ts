// Public API of @wirebeat/protocol-http.
import type { ProtocolModule } from '@wirebeat/applayer';
import { HTTP_DEFAULT_PORTS, httpConfigSchema, type HttpConfig } from './config';
import { httpFields } from './fields';
import { HttpPlugin } from './http';

/** The HTTP/1.x protocol module: pass it to runBeat({ protocols: [httpProtocol] }). */
export const httpProtocol: ProtocolModule<HttpConfig> = {
  name: 'http',
  defaultPorts: HTTP_DEFAULT_PORTS,
  description: 'HTTP/1.0 and HTTP/1.1: methods, URLs, status codes, headers and body sizes.',
  configSchema: httpConfigSchema,
  fields: httpFields,
  create: (config, ctx) => new HttpPlugin(config, ctx),
};

export { httpConfigSchema, parseHttpConfig, HTTP_DEFAULT_PORTS, DEFAULT_REDACTED_HEADERS } from './config';
export type { HttpConfig } from './config';
export { HttpPlugin, HttpConnection } from './http';
export { HttpParser, HttpNotes } from './parser';
export type { GapEffect, HttpParserOptions } from './parser';
export { headerValue } from './message';
export type { HttpMessage } from './message';
export { parseRequestLine, parseStatusLine, addHeaderLine, isChunked, contentLengthOf } from './head';
export type { RequestLine, StatusLine } from './head';
export { urlFields, splitHost } from './url';
export type { UrlFields } from './url';
export { HttpTransactions } from './trans';
export { publishHttpTransaction, eventFieldsJson, selectedHeaders, messageText, REDACTED } from './pub';
export type { HeaderPolicy } from './pub';
export { httpFields } from './fields';
export { HttpError, HttpConfigError } from './errors';
