// Errors of the template analyzer: what a caller (a beat, a test) can act on.
import { ApplayerError } from '@wirebeat/applayer';

/** Base class of every template analyzer error. */
export class TemplateError extends ApplayerError {}

/** The options are invalid; the message names each bad option and what it expects. */
export class TemplateConfigError extends TemplateError {}
// TODO(protocol): one subclass per failure a caller can act on.
