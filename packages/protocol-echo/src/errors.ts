// Errors of @wirebeat/protocol-echo.

/** Base class of every echo analyzer error. */
export class EchoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The echo protocol options are invalid; the message names the option and the expected value. */
export class EchoConfigError extends EchoError {}
