// Errors of @wirebeat/protocol-tls.
import { WirebeatError } from '@wirebeat/core';

/** Base class of every TLS analyzer error. */
export class TlsError extends WirebeatError {}

/** The TLS protocol options are invalid; the message names the option and the expected value. */
export class TlsConfigError extends TlsError {}

/** A handshake message is shorter than its fields say (a malformed or non-TLS message). */
export class TlsDecodeError extends TlsError {}
