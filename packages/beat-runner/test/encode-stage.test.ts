// EventBlock.ids as blocks join them (publisher's BlockWriter, which the engine workers' encode
// stage writes with), and the encode stage's enrichment.
import { blockEvents, joinIds, type EventBlock } from '@wirebeat/publisher';
import type { EnricherSetup } from '../src/events/enricher-setup';
import { hostInfo } from '../src/events/host-info';
import { createEncodeStage } from '../src/workers/encode-stage';

/** The enrichment of a beat without processors, and with `processors`. */
function setup(processors: EnricherSetup['processors'] = []): EnricherSetup {
  return {
    host: hostInfo('test-host'),
    agent: { type: 'pb_echo', version: '0.1.0', name: 'test-host', id: 'a', ephemeral_id: 'b' },
    tags: ['t'],
    fields: {},
    fieldsUnderRoot: false,
    processors,
    internalNetworks: ['10.0.0.0/8'],
  };
}

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

describe('createEncodeStage', () => {
  it('offers its enrichment to the worker`s event builders when it has nothing else to do', () => {
    const plain = createEncodeStage(setup()).decoration;
    expect(plain?.suffix).toContain('"tags":["t"]');
    expect(plain?.networkMember?.('10.1.0.1', '10.0.0.1')).toBe('"direction":"internal",');
    // Processors see each event as an object: nothing is written in place then.
    expect(createEncodeStage(setup([{ drop_fields: { fields: ['echo'] } }])).decoration).toBeUndefined();
  });
});
