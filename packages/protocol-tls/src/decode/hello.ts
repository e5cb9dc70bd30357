// ClientHello and ServerHello (RFC 5246 7.4.1, RFC 8446 4.1): versions, random, session id,
// cipher suites, compression methods and extensions.
import { TlsDecodeError } from '../errors';
import { isGrease } from '../names';
import { decodeExtensions, type HelloExtensions } from './extensions';
import { ByteReader } from './reader';

/** A decoded hello of either side. */
export interface Hello {
  client: boolean;
  /** legacy_version (0x0303 for TLS 1.2 and 1.3). */
  version: number;
  /** The 32 random bytes, hex. */
  random: string;
  /** The (legacy) session id, hex; '' when empty. */
  sessionId: string;
  /** Client: cipher suites offered, GREASE left out; server: the one chosen. */
  ciphers: number[];
  /** Client: compression methods offered; server: the one chosen. */
  compression: number[];
  ext: HelloExtensions;
}

/** HelloRetryRequest's random (RFC 8446 4.1.3): a ServerHello that asks the client again. */
const RETRY_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

/** Decodes the body of a ClientHello (`client`) or ServerHello; throws TlsDecodeError when malformed. */
export function decodeHello(body: Uint8Array, client: boolean): Hello {
  const r = new ByteReader(body);
  const version = r.u16();
  if (version >> 8 !== 3)
    throw new TlsDecodeError(`not a TLS hello (version ${version >> 8}.${version & 0xff})`);
  const random = r.hex(32);
  const idLength = r.u8();
  if (idLength > 32) throw new TlsDecodeError(`session id of ${idLength} bytes`);
  const sessionId = r.hex(idLength);
  const ciphers: number[] = [];
  const compression: number[] = [];
  if (client) {
    const suites = r.vector(2);
    while (suites.left >= 2) {
      const c = suites.u16();
      if (!isGrease(c)) ciphers.push(c);
    }
    const methods = r.vector(1);
    while (methods.left > 0) compression.push(methods.u8());
  } else {
    ciphers.push(r.u16());
    compression.push(r.u8());
  }
  return { client, version, random, sessionId, ciphers, compression, ext: decodeExtensions(r, client) };
}

/** Whether a ServerHello is a HelloRetryRequest (the handshake starts over with a second ClientHello). */
export const isRetryRequest = (hello: Hello): boolean => !hello.client && hello.random === RETRY_RANDOM;
