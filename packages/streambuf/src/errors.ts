// Errors of @wirebeat/streambuf. Reads never throw for missing bytes (they return undefined);
// these errors are stored on the buffer (sticky) or thrown for programming mistakes.
import { WirebeatError } from '@wirebeat/core';

/** Base class of every streambuf error; `code` is derived from the class name (ERR_STREAM_TOO_LARGE ...). */
export class StreamBufError extends WirebeatError {}

/** The buffer would hold more than its configured maximum; the parser should drop the stream. */
export class StreamTooLargeError extends StreamBufError {
  constructor(
    /** Configured maximum in bytes. */
    readonly limit: number,
    /** Size the buffer would have reached. */
    readonly size: number,
  ) {
    super(`stream buffer too large: ${size} bytes exceeds the limit of ${limit} bytes`);
  }
}

/** The bytes do not have the expected syntax (e.g. a decimal number without digits). */
export class StreamParseError extends StreamBufError {
  constructor(
    message: string,
    /** Offset from the start of the current message where the problem was found. */
    readonly offset: number,
  ) {
    super(message);
  }
}

/** A snapshot can no longer be restored because `reset()` dropped the bytes it points to. */
export class InvalidSnapshotError extends StreamBufError {}
