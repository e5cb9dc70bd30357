// Public API of @wirebeat/protocol-http.
export { httpProtocol, httpConfigSchema, parseHttpConfig, HttpConnection } from './http';
export { HTTP_DEFAULT_PORTS, DEFAULT_REDACTED_HEADERS, httpOptions } from './config';
export type { HttpConfig } from './config';
export { HttpParser, HttpNotes } from './parser';
export type { GapEffect, HttpParserOptions } from './parser';
export { headerValue } from './message';
export type { HttpMessage } from './message';
export { parseRequestLine, parseStatusLine, addHeaderLine, isChunked, contentLengthOf } from './head';
export type { RequestLine, StatusLine } from './head';
export { urlFields, splitHost } from './url';
export type { UrlFields } from './url';
export {
  httpTransaction,
  httpObject,
  rootFields,
  headerPolicyOf,
  selectedHeaders,
  messageText,
  REDACTED,
} from './pub';
export { redactTarget, headerFieldName, publishedHeaders, redactedHead } from './redact';
export type { HeaderPolicy } from './pub';
export { httpFields } from './fields';
export { HttpError, HttpConfigError } from './errors';
