// Errors of @wirebeat/testing: failures of the harness itself, distinct from the code under test.

/** Base class of every @wirebeat/testing error. */
export class TestingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A golden file is missing or not NDJSON; the message says how to (re)create it. */
export class GoldenFileError extends TestingError {}

/** A synthetic conversation description is inconsistent (bad segment sizes, unknown sender). */
export class ConversationSpecError extends TestingError {}
