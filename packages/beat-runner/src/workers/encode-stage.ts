// Runs in each engine worker (ShardedEngine's stage): the beat's enrichment (its added fields, tags,
// fields, processors) and the encoding of every event as an NDJSON line, so that the main thread
// receives ready bytes (transferred, not copied) and only queues them for the output.
import type { EventDecoration, TransactionEvent } from '@wirebeat/applayer';
import { BlockWriter, type EventBlock } from '@wirebeat/publisher';
import { enricherFromSetup, type EnricherSetup } from '../events/enricher-setup';

/** A worker's reply payload: a block of encoded events and the enrichment counts since the last one. */
export interface EncodedPayload extends EventBlock {
  /** Events processors dropped. */
  dropped: number;
  /** Processor runs that failed. */
  failed: number;
}

/** What createEncodeStage returns (engine's EventStage, with the payload's type). */
export interface EncodeStage {
  add(e: TransactionEvent): void;
  take(): { payload: EncodedPayload; transfer: ArrayBuffer[] };
  readonly decoration?: EventDecoration;
}

/** The stage of one worker (or of a replay on one thread): enriches and encodes events between two takes. */
export function createEncodeStage(setup: EnricherSetup): EncodeStage {
  const enricher = enricherFromSetup(setup);
  // The lines since the last take; the next writer starts at the size the last one needed.
  let writer = new BlockWriter();
  let dropped = 0;
  let failed = 0;

  return {
    // The worker's event builders write what the enricher would add (as on one thread): each
    // document is then written as it is, not cut and joined again to add network.direction.
    decoration: enricher.decoration(),

    add(e: TransactionEvent): void {
      // The fast path's additions are written after the document (over its closing brace).
      const suffix = enricher.appendable(e);
      const out = suffix === undefined ? enricher.apply(e) : e;
      if (out !== undefined) writer.add(out, suffix);
    },

    take(): { payload: EncodedPayload; transfer: ArrayBuffer[] } {
      const c = enricher.counters();
      const bytes = writer.bytes;
      const block = writer.seal();
      const payload: EncodedPayload = {
        count: block.count,
        // Without lines, an empty array of its own: a view of the buffer would be cloned whole.
        bytes:
          bytes === 0 ? new Uint8Array(0) : new Uint8Array(block.bytes.buffer, block.bytes.byteOffset, bytes),
        ends: block.ends,
        ids: block.ids,
        timestamps: block.timestamps,
        provisional: block.provisional,
        dropped: c.dropped - dropped,
        failed: c.failed - failed,
      };
      dropped = c.dropped;
      failed = c.failed;
      const transfer = [payload.ends.buffer, payload.timestamps.buffer, payload.provisional.buffer];
      if (bytes > 0) transfer.push(payload.bytes.buffer);
      writer = new BlockWriter(bytes + (bytes >> 2));
      return { payload, transfer: transfer as ArrayBuffer[] };
    },
  };
}
