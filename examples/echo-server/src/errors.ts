/** Base class of every error the echo server and client raise on purpose. */
export class EchoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A command line option has an invalid value. */
export class EchoUsageError extends EchoError {}

/** The client could not complete its exchange (connection refused, closed early, wrong reply). */
export class EchoClientError extends EchoError {}
