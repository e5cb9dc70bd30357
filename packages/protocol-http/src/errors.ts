// Errors of @wirebeat/protocol-http.

/** Base class of every HTTP analyzer error. */
export class HttpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The HTTP protocol options are invalid; the message names the option and the expected value. */
export class HttpConfigError extends HttpError {}
