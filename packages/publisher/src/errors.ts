// Errors a caller of the publisher can act on. Messages are one line, never contain secrets.

import { WirebeatError } from '@wirebeat/core';

/** Base class of every publisher error (`code` from @wirebeat/core's WirebeatError). */
export class PublisherError extends WirebeatError {}

/** The output configuration is invalid (bad value, two outputs enabled, unreadable CA file). */
export class OutputConfigError extends PublisherError {}

/** The server's TLS certificate does not verify: a configuration error, never retried. */
export class TlsVerificationError extends OutputConfigError {}

/** The output's server could not be reached or answered with an error. */
export class OutputConnectionError extends PublisherError {}

/** Installing the index template failed. */
export class TemplateSetupError extends PublisherError {}

/** A field list cannot be turned into a mapping (e.g. `a` is a keyword and `a.b` a long). */
export class FieldMappingError extends PublisherError {}

/** The pipeline was used after close(). */
export class PipelineClosedError extends PublisherError {}
