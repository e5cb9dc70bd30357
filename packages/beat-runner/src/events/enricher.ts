// What the beat (not the protocol) adds to every event: ecs.version, host.*, agent.*, related.ip,
// error.message, the configured tags and fields, process attribution, then the processors.
// Events usually arrive already serialised; while nothing needs the object, the additions are
// appended to the JSON text so that the fast path never parses an event.
import { runProcessors, type Processor } from '../processors/processor';
import { deepMerge, isObj } from '../processors/field-path';
import type { AgentInfo } from './agent-info';
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
}

/** Counters of the enrichment step. */
export interface EnricherCounters {
  /** Events a processor dropped. */
  dropped: number;
}

/** Reads the IP string that follows `key` in the serialised event (`"client":{"ip":"10.0.0.1"`). */
function ipAfter(json: string, key: string): string | undefined {
  const at = json.indexOf(key);
  if (at < 0) return undefined;
  const start = at + key.length;
  const end = json.indexOf('"', start);
  return end < 0 ? undefined : json.slice(start, end);
}

const CLIENT_IP = '"client":{"ip":"';
const SERVER_IP = '"server":{"ip":"';
const CLIENT_PORT = /"client":\{"ip":"[^"]*","port":(\d+)/;
const SERVER_PORT = /"server":\{"ip":"[^"]*","port":(\d+)/;

/** Applies the beat's additions and processors to each event before it is queued. */
export class EventEnricher {
  private readonly suffix: string;
  private readonly fastPath: boolean;
  private readonly counts: EnricherCounters = { dropped: 0 };

  constructor(private readonly opts: EnricherOptions) {
    let suffix = `,"ecs":{"version":"${ECS_VERSION}"},"host":${JSON.stringify(opts.host)},"agent":${JSON.stringify(opts.agent)}`;
    if (opts.tags.length > 0) suffix += `,"tags":${JSON.stringify(opts.tags)}`;
    if (!opts.fieldsUnderRoot && Object.keys(opts.fields).length > 0)
      suffix += `,"fields":${JSON.stringify(opts.fields)}`;
    this.suffix = suffix + '}';
    this.fastPath =
      opts.processors.length === 0 && !(opts.fieldsUnderRoot && Object.keys(opts.fields).length > 0);
  }

  /** The agent fields every event gets. */
  get agent(): AgentInfo {
    return this.opts.agent;
  }

  /** The counters (events dropped by processors). */
  counters(): EnricherCounters {
    return { ...this.counts };
  }

  /** Returns the event with the additions, or undefined when a processor dropped it. */
  apply<E extends EnrichableEvent>(event: E): E | undefined {
    const json = event.json;
    if (this.fastPath && json !== undefined && json.endsWith('}') && !failedWithNotes(json)) {
      const client = ipAfter(json, CLIENT_IP);
      const server = ipAfter(json, SERVER_IP);
      if (client !== undefined && server !== undefined && !this.hasProcess(json, client, server)) {
        const related = client === server ? [client] : [client, server];
        event.json = json.slice(0, -1) + `,"related":{"ip":${JSON.stringify(related)}}` + this.suffix;
        return event;
      }
    }
    return this.applyToObject(event);
  }

  /** True when process attribution finds something for either endpoint (the object path then adds it). */
  private hasProcess(json: string, client: string, server: string): boolean {
    const lookup = this.opts.processes;
    if (lookup === undefined) return false;
    const cp = CLIENT_PORT.exec(json);
    const sp = SERVER_PORT.exec(json);
    return (
      (cp !== null && lookup(client, Number(cp[1])) !== undefined) ||
      (sp !== null && lookup(server, Number(sp[1])) !== undefined)
    );
  }

  private applyToObject<E extends EnrichableEvent>(event: E): E | undefined {
    const f = event.fields;
    // Whoever changes the object drops the serialised form (the publisher serialises again).
    event.json = undefined;
    const ips = [endpointIp(f.client), endpointIp(f.server)].filter((x): x is string => x !== undefined);
    if (ips.length > 0) f.related = { ...(isObj(f.related) ? f.related : {}), ip: [...new Set(ips)] };
    f.ecs = { version: ECS_VERSION };
    f.host = structuredClone(this.opts.host);
    f.agent = { ...this.opts.agent };
    if (this.opts.tags.length > 0)
      f.tags = [...new Set([...(Array.isArray(f.tags) ? (f.tags as string[]) : []), ...this.opts.tags])];
    if (Object.keys(this.opts.fields).length > 0) {
      if (this.opts.fieldsUnderRoot) deepMerge(f, this.opts.fields);
      else f.fields = structuredClone(this.opts.fields);
    }
    // The notes say why the transaction failed; ECS tools look for that in error.message.
    if (f.status === 'Error' && Array.isArray(f.notes) && f.notes.length > 0)
      f.error = {
        ...(isObj(f.error) ? f.error : {}),
        message: (f.notes as unknown[]).map(String).join('; '),
      };
    this.addProcesses(f);
    if (!runProcessors(this.opts.processors, f)) {
      this.counts.dropped++;
      return undefined;
    }
    return event;
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

/** An Error event with notes gets error.message, which takes the object path. */
function failedWithNotes(json: string): boolean {
  return json.includes('"status":"Error"') && json.includes('"notes":');
}

function endpointIp(ep: unknown): string | undefined {
  return isObj(ep) && typeof ep.ip === 'string' ? ep.ip : undefined;
}
