// Errors of @wirebeat/testing: failures of the harness itself, distinct from the code under test.

import { WirebeatError } from '@wirebeat/core';

/** Base class of every @wirebeat/testing error (`code` from @wirebeat/core's WirebeatError). */
export class TestingError extends WirebeatError {}

/** A golden file is missing or not NDJSON; the message says how to (re)create it. */
export class GoldenFileError extends TestingError {}

/** A synthetic conversation description is inconsistent (bad segment sizes, unknown sender). */
export class ConversationSpecError extends TestingError {}
