// Errors of the flows package.
import { WirebeatError } from '@wirebeat/core';

/** Base class of the flows package's errors. */
export class FlowsError extends WirebeatError {}

/** Flow options out of range (timeout under 1 s, period neither -1 nor at least 1 s...). */
export class FlowsConfigError extends FlowsError {}
