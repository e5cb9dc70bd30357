// A synthetic HTTP conversation covering every framing, shared by the split and gap tests.
import type { TransactionEvent } from '@wirebeat/applayer';
import { httpProtocol } from '@wirebeat/protocol-http';
import { PluginDriver } from '@wirebeat/testing';

/** Client bytes: pipelined requests of every kind. */
export const CLIENT =
  'GET /a?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n' +
  'POST /form HTTP/1.1\r\nHost: example.com\r\nContent-Length: 7\r\n\r\nabc=def' +
  'PUT /up HTTP/1.1\r\nHost: example.com\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nX-T: 1\r\n\r\n' +
  'HEAD /h HTTP/1.1\r\nHost: example.com\r\n\r\n' +
  'GET /last HTTP/1.0\r\n\r\n';

/** Server bytes: the answers in order, the last one delimited by the close. */
export const SERVER =
  'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst' +
  'HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nbad\r\n0\r\n\r\n' +
  'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n' +
  'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n' +
  'HTTP/1.0 200 OK\r\n\r\nuntil the end';

/** The fields that do not depend on packet times. */
export function essence(e: TransactionEvent): Record<string, unknown> {
  const f = e.fields as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    status: f.status,
    bytes_in: f.source?.bytes,
    bytes_out: f.destination?.bytes,
    url: f.url?.original,
    code: f.http?.response?.status_code,
    body: [f.http?.request?.body?.bytes, f.http?.response?.body?.bytes],
    request: f.request,
    response: f.response,
    notes: f.notes,
  };
}

/** Feeds the client chunks, then the server chunks, then both FINs; returns the events. */
export function run(
  client: Iterable<Uint8Array | string>,
  server: Iterable<Uint8Array | string>,
  between?: (d: PluginDriver) => void,
): TransactionEvent[] {
  const d = new PluginDriver(httpProtocol, { send_request: true, send_response: true, max_body_bytes: 8 });
  d.chunks(0, client);
  between?.(d);
  d.chunks(1, server);
  d.fin(0).fin(1);
  return d.close('fin');
}
