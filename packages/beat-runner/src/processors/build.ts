// Builds the `processors:` list of the config into a chain, naming the entry in every error.
import { ProcessorConfigError } from '../errors';
import { hostAddresses, hostInfo, machineId } from '../events/host-info';
import { compileCondition } from './conditions';
import { deepMerge, isObj } from './field-path';
import { isIfThenElse } from '../config/beats-schema';
import type * as Dissect from './dissect';
import type * as FieldProcessors from './field-processors';
import type * as MetadataProcessors from './metadata-processors';
import { guarded, runProcessors, type Processor, type ProcessorResult } from './processor';
import type * as ValueProcessors from './value-processors';

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

// The processors' modules load when a processor of theirs is configured: most runs have none.
/* eslint-disable @typescript-eslint/no-require-imports */
const fields = () => require('./field-processors') as typeof FieldProcessors;
const values = () => require('./value-processors') as typeof ValueProcessors;
const metadata = () => require('./metadata-processors') as typeof MetadataProcessors;
const dissecting = () => require('./dissect') as typeof Dissect;
/* eslint-enable @typescript-eslint/no-require-imports */

const FACTORIES: Record<string, Factory> = {
  add_cloud_metadata: (o, w) => metadata().addCloudMetadata(o, w),
  add_docker_metadata: (o, w) => metadata().addDockerMetadata(o, w),
  add_host_metadata: addHostMetadata,
  add_fields: (o, w) => fields().addFields(o, w),
  add_process_metadata: (o, w) => metadata().addProcessMetadata(o, w),
  convert: (o, w) => values().convert(o, w),
  copy_fields: (o, w) => values().copyFields(o, w),
  detect_mime_type: (o, w) => metadata().detectMimeTypeProcessor(o, w),
  dissect: (o, w) => dissecting().dissect(o, w),
  drop_event: (o, w) => fields().dropEvent(o, w),
  drop_fields: (o, w) => fields().dropFields(o, w),
  include_fields: (o, w) => fields().includeFields(o, w),
  rename: (o, w) => fields().rename(o, w),
  replace: (o, w) => values().replace(o, w),
  truncate_fields: (o, w) => values().truncateFields(o, w),
};

/** Beats 8 processors not implemented here: skipped with the start-up warning, not refused. */
const BEATS_ONLY = new Set([
  'add_cloudfoundry_metadata',
  'add_id',
  'add_kubernetes_metadata',
  'add_labels',
  'add_locale',
  'add_network_direction',
  'add_nomad_metadata',
  'add_observer_metadata',
  'add_session_metadata',
  'add_tags',
  'append',
  'community_id',
  'decode_base64_field',
  'decode_cef',
  'decode_csv_fields',
  'decode_duration',
  'decode_json_fields',
  'decode_xml',
  'decode_xml_wineventlog',
  'decompress_gzip_field',
  'dns',
  'extract_array',
  'fingerprint',
  'lowercase',
  'move_fields',
  'rate_limit',
  'registered_domain',
  'script',
  'syslog',
  'timestamp',
  'translate_ldap_attribute',
  'translate_sid',
  'uppercase',
  'urldecode',
]);

/** Runs a list of processors as one step: false when one drops the event, else its first failure. */
function chain(list: Processor[]): (e: Record<string, unknown>) => ProcessorResult {
  return (e) => {
    let failure: string | undefined;
    const kept = runProcessors(list, e, (kind, msg) => {
      failure ??= `${kind}: ${msg}`;
    });
    return kept ? (failure ?? true) : false;
  };
}

/** `{if: <condition>, then: [...], else: [...]}`: one branch's processors run, by the condition. */
function ifThenElse(entry: Record<string, unknown>, where: string, unsupported?: string[]): Processor {
  const cond = compileCondition(entry.if, `${where}.if`);
  const branch = (key: 'then' | 'else') => {
    const v = entry[key];
    if (v === undefined) return [];
    const list = Array.isArray(v) ? v : [v];
    if (!list.every(isObj)) throw new ProcessorConfigError(`${where}.${key}: expects a list of processors`);
    return buildList(list, `${where}.${key}`, unsupported);
  };
  const then = chain(branch('then'));
  const otherwise = chain(branch('else'));
  return { kind: 'if', run: (e) => (cond(e) ? then(e) : otherwise(e)) };
}

/**
 * Builds the processors of the config, in order; ProcessorConfigError names `processors.N.<kind>`.
 * Beats processors this beat lacks are left out and named in `unsupported` when it is given.
 */
export function buildProcessors(
  entries: ReadonlyArray<Record<string, unknown>>,
  unsupported?: string[],
): Processor[] {
  return buildList(entries, 'processors', unsupported);
}

function buildList(
  entries: ReadonlyArray<Record<string, unknown>>,
  at: string,
  unsupported?: string[],
): Processor[] {
  const out: Processor[] = [];
  entries.forEach((entry, i) => {
    if (isIfThenElse(entry)) {
      out.push(ifThenElse(entry, `${at}.${i}`, unsupported));
      return;
    }
    const keys = Object.keys(entry);
    if (keys.length !== 1)
      throw new ProcessorConfigError(`${at}.${i}: a processor is {<kind>: {options}} or {if, then, else}`);
    const [kind, raw] = Object.entries(entry)[0];
    const where = `${at}.${i}.${kind}`;
    const factory = FACTORIES[kind];
    if (factory === undefined && unsupported !== undefined && BEATS_ONLY.has(kind)) {
      unsupported.push(where);
      return;
    }
    if (factory === undefined)
      throw new ProcessorConfigError(
        `${where}: unknown processor (known: ${Object.keys(FACTORIES).join(', ')})`,
      );
    const opts = raw === null || raw === undefined ? {} : raw;
    if (!isObj(opts)) throw new ProcessorConfigError(`${where}: expects a mapping of options`);
    const when = opts.when === undefined ? undefined : compileCondition(opts.when, `${where}.when`);
    const { when: _when, ...rest } = opts;
    out.push(guarded(factory(rest, where), when));
  });
  return out;
}
