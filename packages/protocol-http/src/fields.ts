// Field definitions of HTTP events, for the index template.
import type { FieldDefinition, FieldType } from '@wirebeat/applayer';

const f = (name: string, type: FieldType, description: string): FieldDefinition => ({
  name,
  type,
  description,
});

/** The HTTP analyzer's own event fields (ECS names, as Packetbeat publishes them). */
export const httpFields: FieldDefinition[] = [
  f('http.version', 'keyword', 'HTTP version of the request (1.0 or 1.1).'),
  f('http.request.method', 'keyword', 'Request method.'),
  f('http.request.referrer', 'keyword', 'Referer header of the request.'),
  f('http.request.bytes', 'long', 'Request size on the wire: head and body.'),
  f('http.request.body.bytes', 'long', 'Request body size.'),
  f('http.request.body.content', 'text', 'Request body, for the content types of include_request_body_for.'),
  f('http.request.mime_type', 'keyword', 'Media type of the request body (Content-Type).'),
  f(
    'http.request.headers',
    'object',
    'Request headers: content-length (a number) and content-type, and those send_headers lists (values of redact_headers hidden).',
  ),
  f('http.response.status_code', 'long', 'Response status code.'),
  f(
    'http.response.status_phrase',
    'keyword',
    'Response reason phrase, in lower case as Packetbeat publishes it.',
  ),
  f('http.response.bytes', 'long', 'Response size on the wire: head and body.'),
  f('http.response.body.bytes', 'long', 'Response body size.'),
  f(
    'http.response.body.content',
    'text',
    'Response body, for the content types of include_response_body_for.',
  ),
  f('http.response.mime_type', 'keyword', 'Media type of the response body (Content-Type).'),
  f(
    'http.response.headers',
    'object',
    'Response headers: content-length (a number) and content-type, and those send_headers lists (values of redact_headers hidden).',
  ),
  f('url.scheme', 'keyword', 'Scheme of the URL (http).'),
  f('url.original', 'keyword', 'Request target as sent.'),
  f('url.path', 'keyword', 'Path of the request target.'),
  f('url.extension', 'keyword', "Extension of the path's last segment, without the dot (as Packetbeat 8)."),
  f(
    'url.query',
    'keyword',
    'Query string of the request target, without the ?, and the parameters of a URL-encoded form body; hide_keywords values are xxxxx.',
  ),
  f('url.full', 'keyword', 'Full URL, when the Host header or the target names the host.'),
  f('url.domain', 'keyword', 'Host name from the Host header or the target.'),
  f(
    'url.port',
    'long',
    'Port of the request: from the Host header or the target, else the connection (80 left out).',
  ),
  f('user_agent.original', 'keyword', 'User-Agent header of the request.'),
  f('user.name', 'keyword', 'User of HTTP Basic authentication (the password is never published).'),
  f('method', 'keyword', 'Request method (Packetbeat compatibility).'),
  f(
    'query',
    'keyword',
    'Method and path without the query string, e.g. "GET /index.html" (Packetbeat compatibility).',
  ),
];
