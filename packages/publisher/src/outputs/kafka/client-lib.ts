// @platformatic/kafka is an ES module; Node 20.19+ requires it natively. It is loaded through
// Node's own require (createRequire), on first use, so that a console run never pays for it and
// CommonJS test runners with their own module registry load it the same way.
import type * as KafkaLib from '@platformatic/kafka';

let lib: typeof KafkaLib | undefined;

/** Node's own require for this file (test runners replace `module`'s createRequire, not this). */
export function nodeRequire(): NodeJS.Require {
  return process.getBuiltinModule('module').createRequire(__filename);
}

/** The @platformatic/kafka module, required the first time it is needed. */
export function kafkaLib(): typeof KafkaLib {
  lib ??= nodeRequire()('@platformatic/kafka') as typeof KafkaLib;
  return lib;
}
