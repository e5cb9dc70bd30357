// Every failure the generator reports to its user. The CLI prints `message` as one line and exits
// non-zero; nothing is written when one of these is thrown before the first file is created.
import { WirebeatError } from '@wirebeat/core';

/** Base class of every error create-protocol reports to its user; `code` names it (ERR_INVALID_NAME ...). */
export class CreateProtocolError extends WirebeatError {}

/** The command line could not be understood (unknown flag, missing value). */
export class UsageError extends CreateProtocolError {}

/** The protocol name is not usable as a package name, a file name and a JavaScript identifier. */
export class InvalidNameError extends CreateProtocolError {
  constructor(
    readonly protocolName: string,
    reason: string,
  ) {
    super(`invalid protocol name "${protocolName}": ${reason}`);
  }
}

/** The protocol name is already used in the place we generate into. */
export class NameTakenError extends CreateProtocolError {
  constructor(
    readonly protocolName: string,
    where: string,
  ) {
    super(`protocol name "${protocolName}" is already taken: ${where}`);
  }
}

/** The folder we would generate into already exists. */
export class TargetExistsError extends CreateProtocolError {
  constructor(readonly target: string) {
    super(`target folder already exists: ${target}`);
  }
}

/** An answer other than the name is invalid (port, framing, scope, description). */
export class InvalidOptionError extends CreateProtocolError {}

/** The protocol template shipped with create-protocol cannot be found or read. */
export class TemplateMissingError extends CreateProtocolError {}
