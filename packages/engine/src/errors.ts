// Errors of the engine package (the root class comes through applayer, which re-exports core's).
import { WirebeatError } from '@wirebeat/applayer';

/** Base class of the engine's errors. */
export class EngineError extends WirebeatError {}

/** A protocol module cannot be loaded in a worker thread (it was not loaded from a file). */
export class ProtocolNotLocatableError extends EngineError {}

/** A worker thread failed (its engine threw, or the thread died). */
export class EngineWorkerError extends EngineError {}
