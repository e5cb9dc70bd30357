// From a published event to what the dashboard counts. The builder's metadata (status, notes,
// tuple) is read directly; the latency, type and the protocol's declared fields are read from the
// serialised text without parsing it (or from the object when a processor replaced the text).
import type { DashboardSpec, TransactionEvent } from '@wirebeat/applayer';
import type { TransactionFacts } from './aggregator';
import { jsonValueAt, objectValueAt } from './json-path';

const TYPE = ['type'];
const STATUS = ['status'];
const DURATION = ['event', 'duration'];
const NOTES_MAX = 4;

/** Reads transactions' facts, knowing each protocol's declared resource and error fields. */
export class EventFactsReader {
  private readonly paths = new Map<string, { resource?: string[]; error: string[] }>();

  /** Knows the protocols' dashboard declarations (undeclared ones get rates and latency only). */
  constructor(protocols: ReadonlyArray<{ name: string; dashboard?: DashboardSpec }>) {
    for (const p of protocols)
      this.paths.set(p.name, {
        resource: p.dashboard?.resource.split('.'),
        error: (p.dashboard?.error ?? 'error.message').split('.'),
      });
  }

  /** The facts of one event; undefined for events that are not transactions (no `type`). */
  read(e: TransactionEvent): TransactionFacts | undefined {
    const json = e.json;
    const at = (path: readonly string[]) =>
      json !== undefined ? jsonValueAt(json, path) : objectValueAt(e.fields, path);
    const protocol = at(TYPE);
    if (typeof protocol !== 'string') return undefined;
    const status = e.status ?? at(STATUS);
    const duration = at(DURATION);
    const paths = this.paths.get(protocol);
    const error = status === 'Error';
    const resource = paths?.resource && at(paths.resource);
    const errorText = error && paths ? at(paths.error) : undefined;
    const tuple = e.tuple;
    return {
      protocol,
      ts: e.timestamp,
      ms: typeof duration === 'number' ? duration / 1e6 : undefined,
      error,
      resource: resource === undefined ? undefined : String(resource),
      errorText: errorText === undefined ? undefined : String(errorText),
      notes: e.notes?.slice(0, NOTES_MAX),
      client: tuple && endpoint(tuple.srcIp, tuple.srcPort),
      server: tuple && endpoint(tuple.dstIp, tuple.dstPort),
    };
  }
}

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
