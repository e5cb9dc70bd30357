// From a published event to what the dashboard counts. The builder's metadata (status, notes,
// tuple) is read directly; the latency, type and the protocol's declared fields are read from the
// serialised text without parsing it (or from the object when a processor replaced the text).
import type { DashboardSpec, TransactionEvent } from '@wirebeat/applayer';
import type { TransactionFacts } from './aggregator';
import { jsonValueAt, objectValueAt } from './json-path';

const TYPE = ['type'];
const STATUS = ['status'];
const DURATION = ['event', 'duration'];

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
    const protocol = valueAt(e, TYPE);
    if (typeof protocol !== 'string') return undefined;
    const status = e.status ?? valueAt(e, STATUS);
    const duration = valueAt(e, DURATION);
    const paths = this.paths.get(protocol);
    const error = status === 'Error';
    const resource = paths?.resource && valueAt(e, paths.resource);
    const errorText = error && paths ? valueAt(e, paths.error) : undefined;
    return {
      protocol,
      ts: e.timestamp,
      ms: typeof duration === 'number' ? duration / 1e6 : undefined,
      error,
      resource: resource === undefined ? undefined : String(resource),
      errorText: errorText === undefined ? undefined : String(errorText),
      // Kept only where a row may show them (the aggregator copies what it keeps).
      notes: error ? e.notes : undefined,
      tuple: e.tuple,
    };
  }
}

/** A field of the event: from its text when it has one (no parse), else from its object. */
function valueAt(e: TransactionEvent, path: readonly string[]): string | number | boolean | undefined {
  return e.json !== undefined ? jsonValueAt(e.json, path) : objectValueAt(e.fields, path);
}
