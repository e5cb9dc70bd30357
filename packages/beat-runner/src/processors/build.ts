// Builds the `processors:` list of the config into a chain, naming the entry in every error.
import { ProcessorConfigError } from '../errors';
import { hostAddresses, hostInfo, machineId } from '../events/host-info';
import { compileCondition } from './conditions';
import { deepMerge, isObj } from './field-path';
import { addFields, dropEvent, dropFields, includeFields, rename } from './field-processors';
import { guarded, type Processor } from './processor';

type Factory = (opts: Record<string, unknown>, where: string) => Processor;

/**
 * `add_host_metadata`: host.hostname, architecture, os.*, id, ip and mac (every event has
 * host.name; as in libbeat, the rest of host.* comes from this processor).
 */
function addHostMetadata(opts: Record<string, unknown>, where: string): Processor {
  for (const k of Object.keys(opts))
    if (k !== 'when' && k !== 'netinfo') throw new ProcessorConfigError(`${where}: unknown option ${k}`);
  const netinfo = !(isObj(opts.netinfo) && opts.netinfo.enabled === false);
  const { name: _name, ...host } = hostInfo();
  const extra: Record<string, unknown> = { ...host };
  const id = machineId();
  if (id !== undefined) extra.id = id;
  if (netinfo) Object.assign(extra, hostAddresses());
  return {
    kind: 'add_host_metadata',
    run: (e) => {
      if (isObj(e.host)) deepMerge(e.host, extra);
      else e.host = structuredClone(extra);
      return true;
    },
  };
}

const FACTORIES: Record<string, Factory> = {
  add_host_metadata: addHostMetadata,
  add_fields: addFields,
  drop_event: dropEvent,
  drop_fields: dropFields,
  include_fields: includeFields,
  rename,
};

/** Builds the processors of the config, in order; ProcessorConfigError names `processors.N.<kind>`. */
export function buildProcessors(entries: ReadonlyArray<Record<string, unknown>>): Processor[] {
  return entries.map((entry, i) => {
    const [kind, raw] = Object.entries(entry)[0];
    const where = `processors.${i}.${kind}`;
    const factory = FACTORIES[kind];
    if (factory === undefined)
      throw new ProcessorConfigError(
        `${where}: unknown processor (known: ${Object.keys(FACTORIES).join(', ')})`,
      );
    const opts = raw === null || raw === undefined ? {} : raw;
    if (!isObj(opts)) throw new ProcessorConfigError(`${where}: expects a mapping of options`);
    const when = opts.when === undefined ? undefined : compileCondition(opts.when, `${where}.when`);
    return guarded(factory(opts, where), when);
  });
}
