// Runs in each engine worker (ShardedEngine's stage): the beat's enrichment (its added fields, tags,
// fields, processors) and the encoding of every event as an NDJSON line, so that the main thread
// receives ready bytes (transferred, not copied) and only queues them for the output.
import type { EventDecoration, TransactionEvent } from '@wirebeat/applayer';
import type { EventBlock } from '@wirebeat/publisher';
import { enricherFromSetup, type EnricherSetup } from '../events/enricher-setup';

/** A worker's reply payload: a block of encoded events and the enrichment counts since the last one. */
export interface EncodedPayload extends EventBlock {
  /** Events processors dropped. */
  dropped: number;
  /** Processor runs that failed. */
  failed: number;
}

/** Smallest buffer a reply's lines start in; later ones start at the size the last one needed. */
const MIN_BYTES = 64 * 1024;

/** What createEncodeStage returns (engine's EventStage, with the payload's type). */
export interface EncodeStage {
  add(e: TransactionEvent): void;
  take(): { payload: EncodedPayload; transfer: ArrayBuffer[] };
  readonly decoration?: EventDecoration;
}

/** EventBlock.ids of `count` events: their ids joined by '\n', an empty one for each without id. */
export function joinIds(ids: string[] | undefined, count: number): string {
  if (ids !== undefined) return ids.join('\n');
  return count === 0 ? '' : '\n'.repeat(count - 1);
}

/** The stage of one worker (or of a replay on one thread): enriches and encodes events between two takes. */
export function createEncodeStage(setup: EnricherSetup): EncodeStage {
  const enricher = enricherFromSetup(setup);
  let buf = Buffer.allocUnsafeSlow(MIN_BYTES);
  let pos = 0;
  let ends: number[] = [];
  /**
   * The ids since the last take, from the first event that had one (undefined until then): a
   * string grown by one `+=` per event is a rope of thousands of pieces, flattened when posted.
   */
  let ids: string[] | undefined;
  let ts: number[] = [];
  let prov: number[] = [];
  /** The enricher's suffix and its bytes (the same string for every event of a run). */
  let suffixText = '';
  let suffixBytes = Buffer.alloc(0);
  let dropped = 0;
  let failed = 0;

  /** Room for `need` more bytes: a larger buffer with what is written so far. */
  const grow = (need: number) => {
    const bigger = Buffer.allocUnsafeSlow(Math.max(buf.length * 2, pos + need));
    buf.copy(bigger, 0, 0, pos);
    buf = bigger;
  };

  return {
    // The worker's event builders write what the enricher would add (as on one thread): each
    // document is then written as it is, not cut and joined again to add network.direction.
    decoration: enricher.decoration(),

    add(e: TransactionEvent): void {
      // The fast path's additions are written after the document (over its closing brace),
      // without joining the two strings first.
      const suffix = enricher.appendable(e);
      const out = suffix === undefined ? enricher.apply(e) : e;
      if (out === undefined) return;
      const json = out.json ?? JSON.stringify(out.fields);
      const extra = suffix === undefined ? 0 : suffix.length;
      // A UTF-16 code unit takes at most 3 bytes of UTF-8.
      if (pos + (json.length + extra) * 3 + 1 > buf.length) grow((json.length + extra) * 3 + 1);
      pos += buf.write(json, pos, 'utf8');
      if (suffix !== undefined) {
        if (suffix !== suffixText) {
          suffixText = suffix;
          suffixBytes = Buffer.from(suffix);
        }
        pos += suffixBytes.copy(buf, pos - 1) - 1;
      }
      buf[pos++] = 0x0a;
      if (out.id !== undefined && out.id !== '')
        (ids ??= new Array<string>(ends.length).fill('')).push(out.id);
      else ids?.push('');
      ends.push(pos);
      ts.push(out.timestamp);
      prov.push(out.provisional === undefined ? 0 : out.provisional ? 2 : 1);
    },

    take(): { payload: EncodedPayload; transfer: ArrayBuffer[] } {
      const c = enricher.counters();
      const payload: EncodedPayload = {
        count: ends.length,
        // Without lines, an empty array of its own: a view of the buffer would be cloned whole.
        bytes: pos === 0 ? new Uint8Array(0) : new Uint8Array(buf.buffer, buf.byteOffset, pos),
        ends: Uint32Array.from(ends),
        ids: joinIds(ids, ends.length),
        timestamps: Float64Array.from(ts),
        provisional: Uint8Array.from(prov),
        dropped: c.dropped - dropped,
        failed: c.failed - failed,
      };
      dropped = c.dropped;
      failed = c.failed;
      const transfer = [payload.ends.buffer, payload.timestamps.buffer, payload.provisional.buffer];
      if (pos > 0) {
        transfer.push(buf.buffer);
        buf = Buffer.allocUnsafeSlow(Math.max(MIN_BYTES, pos + (pos >> 2)));
      }
      pos = 0;
      ends = [];
      ids = undefined;
      ts = [];
      prov = [];
      return { payload, transfer: transfer as ArrayBuffer[] };
    },
  };
}
