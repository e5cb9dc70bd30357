// The handshake of one direction, from its records: hellos, certificates, key exchanges, alerts,
// until the first encrypted record, after which nothing of the direction is read: up to TLS 1.2
// a ChangeCipherSpec; in TLS 1.3 (whose ChangeCipherSpecs only please middleboxes, and may come
// before a second ClientHello after a HelloRetryRequest) the first application-data record.
import { TlsDecodeError } from '../errors';
import { cipherName } from '../names';
import { decodeHello } from './hello';
import { ByteReader } from './reader';
import { ContentType, RecordReader, type RecordSink } from './records';
import { emptySide, type TlsSide } from './side';

/** Handshake message types (RFC 8446 4, RFC 5246 7.4, RFC 6066 8). */
const HandshakeType = {
  clientHello: 1,
  serverHello: 2,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  clientKeyExchange: 16,
  certificateStatus: 22,
};

/** Reads one direction's records into a {@link TlsSide}. */
export class SideParser implements RecordSink {
  readonly side: TlsSide = emptySide();
  readonly records = new RecordReader(this);
  /** Time of the direction's first record and of its latest one read. */
  firstTs: number | undefined = undefined;
  lastTs = 0;

  /** Creates the parser; `tls13()` says whether the server chose TLS 1.3 (as far as seen). */
  constructor(private readonly tls13: () => boolean = () => false) {}

  /** Reads a borrowed segment; false once the direction is encrypted or not TLS. */
  push(data: Uint8Array, ts: number): boolean {
    // Times stop with the handshake: later segments are not part of it.
    if (this.side.encrypted || this.records.failure !== undefined) return false;
    this.firstTs ??= ts;
    this.lastTs = ts;
    return this.records.push(data);
  }

  /** Whether anything worth an event was seen (Packetbeat: a hello, an alert or a certificate). */
  get hasInfo(): boolean {
    const s = this.side;
    return s.hello !== undefined || s.alerts.length > 0 || s.certificates.length > 0;
  }

  /** A record other than handshake: alerts in clear are kept; the first encrypted one ends reading. */
  record(type: number, body: Uint8Array): boolean {
    if (type === ContentType.alert) {
      // A longer body is an encrypted alert: nothing to read in it.
      if (body.length === 2) this.side.alerts.push({ level: body[0], code: body[1] });
      return true;
    }
    if (type === ContentType.changeCipherSpec && this.tls13()) return true;
    if (type === ContentType.changeCipherSpec || type === ContentType.applicationData) {
      this.side.encrypted = true;
      return false;
    }
    return true;
  }

  /** A whole handshake message (borrowed). */
  handshake(type: number, body: Uint8Array): void {
    const s = this.side;
    try {
      switch (type) {
        case HandshakeType.clientHello:
        case HandshakeType.serverHello:
          s.hello = decodeHello(body, type === HandshakeType.clientHello);
          break;
        case HandshakeType.certificate:
          s.certificates = decodeCertificates(body);
          break;
        case HandshakeType.serverKeyExchange:
          s.keyExchanged = true;
          s.curve = namedCurve(body, s.hello?.ciphers[0]);
          break;
        case HandshakeType.clientKeyExchange:
          s.keyExchanged = true;
          break;
        case HandshakeType.certificateRequest:
          s.certificateRequested = true;
          break;
        case HandshakeType.certificateStatus:
          // status_type ocsp (1), then the DER OCSPResponse: SEQUENCE, ENUMERATED responseStatus.
          if (body[0] === 1 && body.length > 10) s.ocspStatus = body[10];
          break;
      }
    } catch (err) {
      if (!(err instanceof TlsDecodeError)) throw err;
      s.malformed.push(`handshake message ${type}: ${err.message}`);
    }
  }
}

/**
 * The certificates of a Certificate message, copied: TLS 1.2's list, or TLS 1.3's (a request
 * context first, extensions after each certificate).
 */
export function decodeCertificates(body: Uint8Array): Uint8Array[] {
  const tls12 = body.length >= 3 && ((body[0] << 16) | (body[1] << 8) | body[2]) === body.length - 3;
  const tls13 = !tls12;
  const r = new ByteReader(body);
  if (tls13) r.sub(r.u8());
  const list = r.vector(3);
  const out: Uint8Array[] = [];
  while (list.left > 0) {
    out.push(list.view(list.u24()).slice());
    if (tls13) list.vector(2);
  }
  return out;
}

/** The named curve of an ECDHE ServerKeyExchange (curve_type 3); undefined for other exchanges. */
function namedCurve(body: Uint8Array, cipher: number | undefined): number | undefined {
  if (cipher === undefined || !cipherName(cipher).includes('_ECDHE_') || body.length < 3 || body[0] !== 3)
    return undefined;
  return (body[1] << 8) | body[2];
}
