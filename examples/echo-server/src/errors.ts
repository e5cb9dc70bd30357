import { WirebeatError } from '@wirebeat/core';

/** Base class of every error the echo server and client raise on purpose (with a `code`). */
export class EchoError extends WirebeatError {}

/** A command line option has an invalid value. */
export class EchoUsageError extends EchoError {}

/** The client could not complete its exchange (connection refused, closed early, wrong reply). */
export class EchoClientError extends EchoError {}
