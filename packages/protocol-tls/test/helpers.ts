// Shared by the TLS tests: builders of records and hello messages, the capture's streams as tshark
// reassembles them, and a driver of one connection through the analyzer.
import * as path from 'node:path';
import type { TransactionEvent } from '@wirebeat/applayer';
import { PluginDriver, tsharkTcpStreams, type TsharkStream } from '@wirebeat/testing';
import { tlsProtocol } from '@wirebeat/protocol-tls';

export const CAPTURE = path.join(__dirname, 'fixtures/tls.pcap');
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
const u24 = (v: number) => Buffer.from([v >> 16, (v >> 8) & 0xff, v & 0xff]);

/** A vector with a length prefix of `n` bytes. */
export function vec(n: 1 | 2 | 3, body: Uint8Array): Buffer {
  const len = n === 1 ? Buffer.from([body.length]) : n === 2 ? u16(body.length) : u24(body.length);
  return Buffer.concat([len, body]);
}

/** 2-byte code points as bytes. */
export const codes = (list: number[]) => Buffer.concat(list.map(u16));

/** A record of `type` around `body`. */
export const record = (type: number, body: Uint8Array, version = 0x0303) =>
  Buffer.concat([Buffer.from([type]), u16(version), u16(body.length), body]);

/** A handshake message of `type`. */
export const handshake = (type: number, body: Uint8Array) =>
  Buffer.concat([Buffer.from([type]), u24(body.length), body]);

/** An extension. */
export const ext = (type: number, body: Uint8Array = Buffer.alloc(0)) =>
  Buffer.concat([u16(type), vec(2, body)]);

/** A ClientHello message (handshake header included). */
export function clientHello(o: {
  version?: number;
  sessionId?: Buffer;
  ciphers: number[];
  extensions: Buffer[];
}): Buffer {
  return handshake(
    1,
    Buffer.concat([
      u16(o.version ?? 0x0303),
      Buffer.alloc(32, 7),
      vec(1, o.sessionId ?? Buffer.alloc(0)),
      vec(2, codes(o.ciphers)),
      vec(1, Buffer.from([0])),
      vec(2, Buffer.concat(o.extensions)),
    ]),
  );
}

/** A ServerHello message (handshake header included). */
export function serverHello(o: {
  version?: number;
  random?: Buffer;
  sessionId?: Buffer;
  cipher: number;
  extensions: Buffer[];
}): Buffer {
  return handshake(
    2,
    Buffer.concat([
      u16(o.version ?? 0x0303),
      o.random ?? Buffer.alloc(32, 9),
      vec(1, o.sessionId ?? Buffer.alloc(0)),
      u16(o.cipher),
      Buffer.from([0]),
      vec(2, Buffer.concat(o.extensions)),
    ]),
  );
}

/** An SNI extension naming `host`. */
export const sniExt = (host: string) =>
  ext(0, vec(2, Buffer.concat([Buffer.from([0]), vec(2, Buffer.from(host))])));

/** An ALPN extension. */
export const alpnExt = (...ids: string[]) =>
  ext(16, vec(2, Buffer.concat(ids.map((s) => vec(1, Buffer.from(s))))));

let streams: TsharkStream[] | undefined;
/** The capture's TCP connections as tshark reassembles them (read once). */
export function captureStreams(): TsharkStream[] {
  return (streams ??= tsharkTcpStreams(CAPTURE, [443, 8443, 9243, 995]));
}

/** The bytes of one direction of a stream of the capture. */
export function streamBytes(s: TsharkStream, dir: 0 | 1): Buffer {
  return Buffer.concat((dir === 0 ? s.toServer : s.toClient).map((c) => c.bytes));
}

/** Feeds both directions of a conversation (each as its chunks, client first) and closes it. */
export function runConnection(
  client: Iterable<Uint8Array>,
  server: Iterable<Uint8Array>,
  config: Record<string, unknown> = {},
  gap?: [0 | 1, number, number],
): Doc[] {
  const d = new PluginDriver(tlsProtocol, config);
  for (const [dir, chunks] of [[0, client] as const, [1, server] as const]) {
    if (gap?.[0] === dir) d.dataWithGap(dir, chunks, gap[1], gap[2]);
    else d.chunks(dir, chunks);
  }
  return d.close('fin').map((e: TransactionEvent) => e.fields as Doc);
}
