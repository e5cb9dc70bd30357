// EventBlock.ids as the engine workers' encode stage joins them (workers/encode-stage.ts).
import { blockEvents, type EventBlock } from '@wirebeat/publisher';
import { joinIds } from '../src/workers/encode-stage';

/** A block of `ids.length` empty documents with these ids. */
function block(ids: string): (count: number) => EventBlock {
  return (count) => ({
    count,
    bytes: Buffer.from('{}\n'.repeat(count)),
    ends: Uint32Array.from({ length: count }, (_, i) => 3 * (i + 1)),
    ids,
    timestamps: new Float64Array(count),
    provisional: new Uint8Array(count),
  });
}

describe('joinIds', () => {
  it('gives every event its id, and none to events that had none', () => {
    const ids = joinIds(['', 'echo-1-0', '', 'echo-1-1'], 4);
    expect(ids).toBe('\necho-1-0\n\necho-1-1');
    expect(blockEvents(block(ids)(4)).map((e) => e.id)).toEqual([
      undefined,
      'echo-1-0',
      undefined,
      'echo-1-1',
    ]);
  });

  it('without any id: one empty id per event, and nothing for no events', () => {
    expect(joinIds(undefined, 3)).toBe('\n\n');
    expect(blockEvents(block(joinIds(undefined, 3))(3)).map((e) => e.id)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(joinIds(undefined, 0)).toBe('');
  });
});
