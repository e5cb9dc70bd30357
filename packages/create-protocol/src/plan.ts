// What one generation does, computed before anything is written.
import type { GenerationSite } from './detect';

/** Everything one generation does: files created (absolute paths) and existing files rewritten. */
export interface GenerationPlan {
  site: GenerationSite;
  /** The folder created for the protocol (its sources in beat mode). */
  target: string;
  /** npm package name (monorepo and standalone modes). */
  packageName?: string;
  /** Name of the exported ProtocolModule, e.g. `pingProtocol`. */
  exportName: string;
  files: Map<string, Buffer>;
  edits: Map<string, string>;
  /** What the user should do next, one line each. */
  nextSteps: string[];
}

/** devDependencies every generated protocol's tests need. */
export const DEV_HELPERS = ['@wirebeat/testing', '@wirebeat/tcp-reassembly'];
