// The yaml package is loaded on first use: a run without a config file or -E never needs it, and
// it is one of the larger parts of a beat's start-up.
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

/** The yaml module (loaded once, when first asked for). */
export function yaml(): typeof Yaml {
  // A lazy require: a static import would load the package at start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('yaml') as typeof Yaml;
  return loaded;
}
