// The Elasticsearch client library is loaded on first use: requiring it (and its transport and
// telemetry dependencies) costs about 250 ms, which every console or file run would otherwise pay.
import type * as EsLib from '@elastic/elasticsearch';

let lib: typeof EsLib | undefined;

/** The @elastic/elasticsearch module, required the first time it is needed. */
export function esLib(): typeof EsLib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lib ??= require('@elastic/elasticsearch') as typeof EsLib;
  return lib;
}
