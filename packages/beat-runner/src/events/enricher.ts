// What the beat (not the protocol) adds to every event: ecs.version, host.*, agent.*,
// error.message (when the event builder did not write it), the configured tags and fields, process attribution, then the processors.
// Events usually arrive already serialised; while nothing needs the object, the additions are
// appended to the JSON text so that the fast path never parses an event.
import { compileSerialiser, type EventDecoration } from '@wirebeat/applayer';
import { beatAddedFields } from '@wirebeat/core';
import { runProcessors, type Processor } from '../processors/processor';
import { deepMerge, isObj } from '../processors/field-path';
import type { AgentInfo } from './agent-info';
import type { DirectionOf } from './direction';
import type { EnricherSetup } from './enricher-setup';
import type { HostInfo } from './host-info';

/** ECS version the events follow. */
export const ECS_VERSION = '8.0.0';

/** The process owning a local endpoint, as published under client/server.process. */
export interface ProcessInfo {
  pid: number;
  name: string;
  args: string[];
  executable?: string;
}

/** Finds the process of a local endpoint; undefined when the endpoint is not local or unknown. */
export type ProcessLookup = (ip: string, port: number) => ProcessInfo | undefined;

/** An event as the protocols publish it (applayer's TransactionEvent, structurally). */
export interface EnrichableEvent {
  id: string;
  timestamp: number;
  fields: Record<string, unknown>;
  json?: string;
  /** Status, notes and endpoints as the event builder knew them (saves reading the document). */
  readonly status?: 'OK' | 'Error';
  readonly notes?: readonly string[];
  readonly tuple?: {
    readonly srcIp: string;
    readonly srcPort: number;
    readonly dstIp: string;
    readonly dstPort: number;
  };
  /** The event builder already wrote this enricher's decoration (see decoration()). */
  readonly decorated?: boolean;
}

/** Options of {@link EventEnricher}. */
export interface EnricherOptions {
  host: HostInfo;
  agent: AgentInfo;
  tags: string[];
  fields: Record<string, unknown>;
  fieldsUnderRoot: boolean;
  processors: Processor[];
  /** Process attribution (procs.enabled on live capture). */
  processes?: ProcessLookup;
  /** network.direction from the endpoints (this host's addresses, interfaces.internal_networks); absent: not set. */
  direction?: DirectionOf;
}

/** Counters of the enrichment step. */
export interface EnricherCounters {
  /** Events a processor dropped. */
  dropped: number;
  /** Processor runs that failed (a missing field, a rename onto an existing one); the event is kept. */
  failed: number;
}

/** A copy of plain JSON data (objects, arrays, scalars): much cheaper than structuredClone. */
function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = cloneJson((v as Record<string, unknown>)[k]);
  return out as T;
}

/** Top-level network object's opening in a serialised event (a key: string values escape their quotes). */
const NETWORK_OPEN = '"network":{';

/**
 * The serialised event with network.direction first in its network object (`member` is
 * `"direction":"...",`; unchanged when undefined or absent).
 */
function withDirection(json: string, member: string | undefined): string {
  if (member === undefined) return json;
  const at = json.indexOf(NETWORK_OPEN);
  if (at < 0) return json;
  const cut = at + NETWORK_OPEN.length;
  return json.slice(0, cut) + member + json.slice(cut);
}

/** Connections whose network.direction member an enricher remembers (cleared whole when full). */
const KNOWN_CONNECTIONS = 4096;

/** The writer of the fields a beat adds (core's beatAddedFields). */
const beatAdditions = compileSerialiser(beatAddedFields, '');

/** Applies the beat's additions and processors to each event before it is queued. */
export class EventEnricher {
  private readonly suffix: string;
  private readonly fastPath: boolean;
  private readonly counts: EnricherCounters = { dropped: 0, failed: 0 };
  /**
   * The serialised network.direction member by connection (the event's tuple object): a
   * connection's events all have the same endpoints, so the rule runs once per connection.
   */
  private readonly directions = new Map<object, string | undefined>();

  /**
   * `setup`: the plain data the enricher was built from, when it can be built again elsewhere (an
   * engine worker enriches its own events then).
   */
  constructor(
    private readonly opts: EnricherOptions,
    readonly setup?: EnricherSetup,
  ) {
    // As libbeat: every event names its host; the rest of host.* comes with add_host_metadata.
    // Written from core's list of the fields a beat adds, in its order.
    let suffix = beatAdditions.rootMembers({
      ecs: { version: ECS_VERSION },
      host: { name: opts.host.name },
      agent: opts.agent,
      tags: opts.tags.length > 0 ? opts.tags : undefined,
    });
    if (!opts.fieldsUnderRoot && Object.keys(opts.fields).length > 0)
      suffix += `,"fields":${JSON.stringify(opts.fields)}`;
    this.suffix = suffix + '}';
    this.fastPath =
      opts.processors.length === 0 && !(opts.fieldsUnderRoot && Object.keys(opts.fields).length > 0);
  }

  /** True when process attribution is on (it needs the main thread's process table). */
  get attributesProcesses(): boolean {
    return this.opts.processes !== undefined;
  }

  /**
   * What the event builders may write into every event themselves (the same text for all events:
   * network.direction and the beat's fields), when this enricher would do nothing else to them:
   * no processors, no fields under root, no process attribution. Undefined otherwise.
   */
  decoration(): EventDecoration | undefined {
    if (!this.fastPath || this.opts.processes !== undefined) return undefined;
    const rule = this.opts.direction;
    return {
      suffix: this.suffix,
      ...(rule && {
        networkMember: (src: string, dst: string) => {
          const direction = rule(src, dst);
          return direction === undefined ? undefined : `"direction":${JSON.stringify(direction)},`;
        },
      }),
    };
  }

  /** The agent fields every event gets. */
  get agent(): AgentInfo {
    return this.opts.agent;
  }

  /** The counters (events dropped by processors, processor failures). */
  counters(): EnricherCounters {
    return { ...this.counts };
  }

  /**
   * Returns the event with the additions, or undefined when a processor dropped it. An event the
   * builder serialised (it says status, notes and tuple) gets them appended to its text; any other
   * is handled as an object.
   */
  apply<E extends EnrichableEvent>(event: E): E | undefined {
    // Built with this enricher's decoration: the document is complete as it is.
    if (event.decorated === true && event.json !== undefined) return event;
    const suffix = this.appendable(event);
    if (suffix !== undefined) {
      event.json = event.json!.slice(0, -1) + suffix;
      return event;
    }
    return this.applyToObject(event);
  }

  /**
   * When the event takes the fast path: the text that replaces the closing brace of its `json`
   * (an encoder then writes both without building the joined string); undefined otherwise.
   * network.direction, which sits inside the network object, is written into `json` first.
   */
  appendable(event: EnrichableEvent): string | undefined {
    const json = event.json;
    const tuple = event.tuple;
    // Decorated: the closing brace stays as it is.
    if (event.decorated === true && json !== undefined) return '}';
    if (
      this.fastPath &&
      json !== undefined &&
      tuple !== undefined &&
      event.status !== undefined &&
      !this.hasProcess(tuple)
    ) {
      event.json = withDirection(json, this.directionMember(tuple));
      return this.suffix;
    }
    return undefined;
  }

  /** `"direction":"...",` for the endpoints of `tuple`; undefined without a rule or an answer. */
  private directionMember(tuple: NonNullable<EnrichableEvent['tuple']>): string | undefined {
    const rule = this.opts.direction;
    if (rule === undefined) return undefined;
    const known = this.directions;
    let member = known.get(tuple);
    if (member === undefined && !known.has(tuple)) {
      const direction = rule(tuple.srcIp, tuple.dstIp);
      member = direction === undefined ? undefined : `"direction":${JSON.stringify(direction)},`;
      if (known.size >= KNOWN_CONNECTIONS) known.clear();
      known.set(tuple, member);
    }
    return member;
  }

  /** True when process attribution finds something for either endpoint (the object path then adds it). */
  private hasProcess(tuple: NonNullable<EnrichableEvent['tuple']>): boolean {
    const lookup = this.opts.processes;
    // The tuple's addresses are read only when needed (a connection formats them on each read).
    if (lookup === undefined) return false;
    return (
      lookup(tuple.srcIp, tuple.srcPort) !== undefined || lookup(tuple.dstIp, tuple.dstPort) !== undefined
    );
  }

  private applyToObject<E extends EnrichableEvent>(event: E): E | undefined {
    const f = event.fields;
    // Whoever changes the object drops the serialised form (the publisher serialises again).
    event.json = undefined;
    // The event builder writes related.ip; events made otherwise get it here.
    const ips = [endpointIp(f.client), endpointIp(f.server)].filter((x): x is string => x !== undefined);
    if (ips.length > 0 && !(isObj(f.related) && Array.isArray(f.related.ip)))
      f.related = { ...(isObj(f.related) ? f.related : {}), ip: [...new Set(ips)] };
    f.ecs = { version: ECS_VERSION };
    f.host = { name: this.opts.host.name };
    f.agent = { ...this.opts.agent };
    if (this.opts.tags.length > 0)
      f.tags = [...new Set([...(Array.isArray(f.tags) ? (f.tags as string[]) : []), ...this.opts.tags])];
    if (Object.keys(this.opts.fields).length > 0) {
      if (this.opts.fieldsUnderRoot) deepMerge(f, this.opts.fields);
      else f.fields = cloneJson(this.opts.fields);
    }
    // The notes say why the transaction failed; ECS tools look for that in error.message. The
    // event builder writes it in Packetbeat's words; events made otherwise get their notes.
    if (f.status === 'Error' && Array.isArray(f.notes) && f.notes.length > 0 && !isObj(f.error))
      f.error = { message: (f.notes as unknown[]).map(String).join('; ') };
    this.addProcesses(f);
    this.addDirection(f);
    if (!runProcessors(this.opts.processors, f, this.countFailure)) {
      this.counts.dropped++;
      return undefined;
    }
    return event;
  }

  private readonly countFailure = (): void => {
    this.counts.failed++;
  };

  private addDirection(f: Record<string, unknown>): void {
    const rule = this.opts.direction;
    if (rule === undefined) return;
    const src = endpointIp(f.source) ?? endpointIp(f.client);
    const dst = endpointIp(f.destination) ?? endpointIp(f.server);
    const direction = rule(src, dst);
    if (direction === undefined) return;
    f.network = { ...(isObj(f.network) ? f.network : {}), direction };
  }

  private addProcesses(f: Record<string, unknown>): void {
    const lookup = this.opts.processes;
    if (lookup === undefined) return;
    for (const [side, mirror] of [
      ['client', 'source'],
      ['server', 'destination'],
    ] as const) {
      const ep = f[side];
      if (!isObj(ep) || typeof ep.ip !== 'string' || typeof ep.port !== 'number') continue;
      const proc = lookup(ep.ip, ep.port);
      if (proc === undefined) continue;
      ep.process = { ...proc };
      const m = f[mirror];
      if (isObj(m)) m.process = { ...proc };
    }
  }
}

function endpointIp(ep: unknown): string | undefined {
  return isObj(ep) && typeof ep.ip === 'string' ? ep.ip : undefined;
}
