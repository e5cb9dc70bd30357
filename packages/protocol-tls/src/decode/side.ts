// What one side of a connection shows of its handshake in clear.
import type { Hello } from './hello';

/** One alert record in clear. */
export interface Alert {
  level: number;
  code: number;
}

/** The handshake as one direction of a connection showed it, up to its first encrypted record. */
export interface TlsSide {
  /** Its last hello (a second ClientHello follows a HelloRetryRequest). */
  hello: Hello | undefined;
  /** Certificates of its Certificate message (DER, copied), leaf first. */
  certificates: Uint8Array[];
  alerts: Alert[];
  /** A server's CertificateRequest: it asked the client for a certificate. */
  certificateRequested: boolean;
  /** A ServerKeyExchange or ClientKeyExchange: a full handshake, not a resumption. */
  keyExchanged: boolean;
  /** TLS 1.2's ServerKeyExchange over a named curve (ECDHE): the curve. */
  curve: number | undefined;
  /** The OCSP response status of a CertificateStatus message. */
  ocspStatus: number | undefined;
  /** A ChangeCipherSpec or an application-data record: the rest of this direction is encrypted. */
  encrypted: boolean;
  /** Handshake messages that could not be decoded. */
  malformed: string[];
}

/** A side that has shown nothing yet. */
export function emptySide(): TlsSide {
  return {
    hello: undefined,
    certificates: [],
    alerts: [],
    certificateRequested: false,
    keyExchanged: false,
    curve: undefined,
    ocspStatus: undefined,
    encrypted: false,
    malformed: [],
  };
}
