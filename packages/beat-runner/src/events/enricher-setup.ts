// The enrichment of a run as plain data: the main thread computes it once (agent id, host), and
// an engine worker that enriches its own events builds the same EventEnricher from it.
import { buildProcessors } from '../processors/build';
import type { AgentInfo } from './agent-info';
import { directionRule, localAddresses } from './direction';
import { EventEnricher, type ProcessLookup } from './enricher';
import type { HostInfo } from './host-info';
import type { Processor } from '../processors/processor';

/** What an EventEnricher is built from (structured-cloneable). */
export interface EnricherSetup {
  host: HostInfo;
  agent: AgentInfo;
  tags: string[];
  fields: Record<string, unknown>;
  fieldsUnderRoot: boolean;
  /** The `processors` section as configured (already validated). */
  processors: ReadonlyArray<Record<string, unknown>>;
  /** interfaces.internal_networks (empty: network.direction from this host's addresses only). */
  internalNetworks: string[];
}

/**
 * Builds the enricher of a setup. `processes` adds process attribution (main thread, live
 * capture); `processors` are the ones already built from setup.processors (the main thread's).
 */
export function enricherFromSetup(
  setup: EnricherSetup,
  built: { processes?: ProcessLookup; processors?: Processor[] } = {},
): EventEnricher {
  return new EventEnricher(
    {
      host: setup.host,
      agent: setup.agent,
      tags: setup.tags,
      fields: setup.fields,
      fieldsUnderRoot: setup.fieldsUnderRoot,
      processors: built.processors ?? buildProcessors(setup.processors),
      processes: built.processes,
      // As Packetbeat 8: every event has network.direction (`unknown` when nothing decides it).
      direction: directionRule(setup.internalNetworks, localAddresses()),
    },
    setup,
  );
}
