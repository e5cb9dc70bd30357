// Golden events: the expected output of a replay kept next to its capture as NDJSON, one event's
// fields per line, keys sorted so that diffs show real changes only.
import fs from 'node:fs';
import type { TransactionEvent } from '@wirebeat/applayer';
import { beatAddedRoots } from '@wirebeat/core';
import { GoldenFileError } from './errors';

/** A JSON object as found in a golden file. */
export type JsonRecord = Record<string, unknown>;

/** Options of normaliseEvent. */
export interface NormaliseOptions {
  /** Dotted paths removed from every event (e.g. `event.dataset`, `id`). */
  omit?: string[];
}

/**
 * Fields a beat adds to events: the roots of core's beatAddedFields (host, agent, ecs, tags) and
 * network.direction (set on every event, as Packetbeat 8); a protocol's golden events have none of
 * them, so comparisons of a beat's output leave them out (withoutBeatFields).
 */
export const BEAT_ADDED_FIELDS: readonly string[] = [...beatAddedRoots, 'network.direction'];

/** Removes the fields a beat adds (BEAT_ADDED_FIELDS, dotted paths too) from an event in place; returns it. */
export function withoutBeatFields<T extends JsonRecord>(event: T): T {
  for (const f of BEAT_ADDED_FIELDS) removePath(event, f.split('.'));
  return event;
}

/** `dir/x.pcap` -> `dir/x.expected.ndjson`: where a capture's golden events live. */
export function goldenPathFor(capture: string): string {
  return capture.replace(/\.(pcapng|pcap|cap)$/i, '') + '.expected.ndjson';
}

/** The event's fields (plus its id under `_id`), keys sorted deeply, omitted paths removed. */
export function normaliseEvent(
  event: TransactionEvent | JsonRecord,
  opts: NormaliseOptions = {},
): JsonRecord {
  const record: JsonRecord = isTransactionEvent(event) ? { _id: event.id, ...event.fields } : { ...event };
  const copy = sortKeys(JSON.parse(JSON.stringify(record))) as JsonRecord;
  for (const dotted of opts.omit ?? []) removePath(copy, dotted.split('.'));
  return copy;
}

/** One NDJSON line per event (normalised). */
export function toNdjson(events: Array<TransactionEvent | JsonRecord>, opts: NormaliseOptions = {}): string {
  return events.map((event) => JSON.stringify(normaliseEvent(event, opts)) + '\n').join('');
}

/** Reads a golden file; a missing or malformed file throws GoldenFileError saying how to fix it. */
export function readGolden(file: string): JsonRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new GoldenFileError(
      `golden file ${file} is missing: run the test with UPDATE_GOLDEN=1 to propose ${proposedPathFor(file)}`,
    );
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      try {
        return JSON.parse(line) as JsonRecord;
      } catch {
        throw new GoldenFileError(`${file}:${index + 1}: not a JSON object`);
      }
    });
}

/** Writes events as a golden file. */
export function writeGolden(
  file: string,
  events: Array<TransactionEvent | JsonRecord>,
  opts: NormaliseOptions = {},
): void {
  fs.writeFileSync(file, toNdjson(events, opts));
}

/** True when proposed golden files should be written beside the golden ones (UPDATE_GOLDEN=1). */
export function updatingGolden(): boolean {
  return process.env.UPDATE_GOLDEN === '1';
}

/** `x.expected.ndjson` -> `x.expected.ndjson.new`: where a proposed replacement of a golden file goes. */
export function proposedPathFor(golden: string): string {
  return golden + '.new';
}

/**
 * Writes `content` as `<golden>.new` (when it differs from the golden file) and always throws
 * GoldenFileError: a golden file is never rewritten by the code it checks, and a run that
 * proposes goldens never passes. Review the diff, check it independently, then move the file over.
 */
export function proposeGolden(golden: string, content: string | Uint8Array): never {
  const proposed = proposedPathFor(golden);
  const before = fs.existsSync(golden) ? fs.readFileSync(golden) : undefined;
  const bytes = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
  if (before !== undefined && before.equals(bytes)) {
    fs.rmSync(proposed, { force: true });
    throw new GoldenFileError(`UPDATE_GOLDEN=1: ${golden} is unchanged (an update run always fails)`);
  }
  fs.writeFileSync(proposed, bytes);
  throw new GoldenFileError(
    `UPDATE_GOLDEN=1: wrote ${proposed}; review \`diff ${golden} ${proposed}\`, then move it over the golden file`,
  );
}

/**
 * Expected and actual events, normalised alike, for `expect(actual).toEqual(expected)`. With
 * UPDATE_GOLDEN=1 the actual events are written to `<file>.new` instead and GoldenFileError is thrown.
 */
export function compareWithGolden(
  file: string,
  events: Array<TransactionEvent | JsonRecord>,
  opts: NormaliseOptions = {},
): { expected: JsonRecord[]; actual: JsonRecord[] } {
  if (updatingGolden()) proposeGolden(file, toNdjson(events, opts));
  const expected = readGolden(file).map((record) => normaliseEvent(record, opts));
  const actual = events.map((event) => normaliseEvent(event, opts));
  return { expected, actual };
}

function isTransactionEvent(value: unknown): value is TransactionEvent {
  const v = value as TransactionEvent;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.fields === 'object';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonRecord = {};
  for (const key of Object.keys(value as JsonRecord).sort()) out[key] = sortKeys((value as JsonRecord)[key]);
  return out;
}

function removePath(record: JsonRecord, keys: string[]): void {
  const [head, ...rest] = keys;
  if (!(head in record)) {
    // Flattened dotted keys (`"event.dataset": ...`) are removed too.
    const flat = keys.join('.');
    if (flat in record) delete record[flat];
    return;
  }
  if (rest.length === 0) {
    delete record[head];
    return;
  }
  const child = record[head];
  if (child !== null && typeof child === 'object' && !Array.isArray(child)) {
    removePath(child as JsonRecord, rest);
    if (Object.keys(child as JsonRecord).length === 0) delete record[head];
  }
}
