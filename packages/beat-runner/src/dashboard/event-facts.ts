// From a published event to what the dashboard counts. The builder's metadata (status, notes,
// tuple) is read directly; the latency, type and the protocol's declared fields are read from the
// serialised text without parsing it (or from the object when a processor replaced the text).
import type { DashboardSpec, TransactionEvent } from '@wirebeat/applayer';
import type { TransactionFacts } from './aggregator';
import { jsonValueAt, jsonValuesAt, objectValueAt } from './json-path';

const TYPE = ['type'];
const STATUS = ['status'];
const DURATION = ['event', 'duration'];
const ERROR = ['error', 'message'];

/** The paths read for one protocol: [duration, resource?] and, for errors, the error field too. */
interface ProtocolPaths {
  ok: string[][];
  error: string[][];
  resource: number;
}

/** Reads transactions' facts, knowing each protocol's declared resource and error fields. */
export class EventFactsReader {
  private readonly paths = new Map<string, ProtocolPaths>();
  private readonly undeclared: ProtocolPaths = { ok: [DURATION], error: [DURATION, ERROR], resource: -1 };
  private readonly values: Array<string | number | boolean | undefined> = [];

  /** Knows the protocols' dashboard declarations (undeclared ones get rates and latency only). */
  constructor(protocols: ReadonlyArray<{ name: string; dashboard?: DashboardSpec }>) {
    for (const p of protocols) {
      const ok = [DURATION, ...(p.dashboard ? [p.dashboard.resource.split('.')] : [])];
      const error = [...ok, (p.dashboard?.error ?? 'error.message').split('.')];
      this.paths.set(p.name, { ok, error, resource: p.dashboard ? 1 : -1 });
    }
  }

  /** The facts of one event; undefined for events that are not transactions (no `type`, or flows). */
  read(e: TransactionEvent): TransactionFacts | undefined {
    const protocol = valueAt(e, TYPE);
    // Flow reports (type flow) are not transactions: their duration is no latency.
    if (typeof protocol !== 'string' || protocol === 'flow') return undefined;
    const error = (e.status ?? valueAt(e, STATUS)) === 'Error';
    const p = this.paths.get(protocol) ?? this.undeclared;
    const paths = error ? p.error : p.ok;
    const v = this.values;
    // One walk over the text for every field wanted.
    if (e.json !== undefined) jsonValuesAt(e.json, paths, v);
    else {
      v.length = paths.length;
      for (let k = 0; k < paths.length; k++) v[k] = objectValueAt(e.fields, paths[k]);
    }
    const duration = v[0];
    const resource = p.resource > 0 ? v[p.resource] : undefined;
    const errorText = error ? v[paths.length - 1] : undefined;
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
