// Errors of @wirebeat/protocol-http.
import { ApplayerError } from '@wirebeat/applayer';

/** Base class of every HTTP analyzer error (`code` from @wirebeat/core's WirebeatError). */
export class HttpError extends ApplayerError {}

/** The HTTP protocol options are invalid; the message names the option and the expected value. */
export class HttpConfigError extends HttpError {}
