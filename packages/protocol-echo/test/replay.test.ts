// The echo analyzer on real captures, through real TCP reassembly (the @wirebeat/testing harness):
// every capture in pcaps/ against its reviewed golden events, and synthetic conversations whose
// TCP segments are re-cut, duplicated, reordered or lost.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  buildConversation,
  goldenPathFor,
  normaliseEvent,
  readGolden,
  replayCaptureDetailed,
  replayFrames,
  type ConversationMessage,
} from '@wirebeat/testing';
import { Notes } from '@wirebeat/applayer';
import { echoProtocol } from '@wirebeat/protocol-echo';

const PCAPS = path.resolve(__dirname, '../../../pcaps');
const OPTIONS = { send_request: true, send_response: true };
const protocols = [{ module: echoProtocol, config: OPTIONS }];

describe('echo on the reference captures', () => {
  const captures = fs.existsSync(PCAPS) ? fs.readdirSync(PCAPS).filter((f) => /\.pcap(ng)?$/.test(f)) : [];

  it('finds the reference captures of pcaps/', () => {
    expect(captures).toContain('echo.pcap');
  });

  it.each(captures)('%s replays to its golden events', async (file) => {
    const capture = path.join(PCAPS, file);
    const golden = readGolden(goldenPathFor(capture));
    const { events } = await replayCaptureDetailed(capture, protocols);
    expect(events.length).toBeGreaterThan(0);
    expect(events.map((e) => normaliseEvent(e, { omit: ['_id'] }))).toEqual(
      golden.map((g) => normaliseEvent(g)),
    );
  });
});

describe('echo through TCP reassembly: segments re-cut, duplicated, reordered or lost', () => {
  const lines = ['>hello', '>a much longer line, long enough to be cut in many pieces', 'oops', '>x'];
  const answer = (l: string): string => (l.startsWith('>') ? '<' + l.slice(1) : '!' + l);

  /** The fields that do not depend on packet times. */
  const essence = (fields: Record<string, unknown>) => ({
    status: fields.status,
    request: fields.request,
    response: fields.response,
    bytes_in: (fields.source as { bytes: number }).bytes,
    bytes_out: (fields.destination as { bytes: number }).bytes,
    notes: fields.notes,
  });

  function replay(cut: (msg: ConversationMessage) => number[] | undefined, mutate = (f: unknown[]) => f) {
    const messages: ConversationMessage[] = [];
    for (const l of lines) {
      messages.push({ from: 'client', data: l + '\n' });
      messages.push({ from: 'server', data: answer(l) + '\n' });
    }
    for (const m of messages) m.segments = cut(m);
    const frames = buildConversation({ server: { port: 3030 }, messages });
    return replayFrames(mutate(frames) as typeof frames, protocols).events.map((e) => essence(e.fields));
  }

  const whole = replay(() => undefined);

  it('the conversation gives one transaction per line', () => {
    expect(whole.map((e) => [e.status, e.request, e.response])).toEqual([
      ['OK', 'hello', 'hello'],
      ['OK', lines[1].slice(1), lines[1].slice(1)],
      ['Error', 'oops', 'oops'],
      ['OK', 'x', 'x'],
    ]);
  });

  it('one-byte segments give the same transactions', () => {
    expect(replay((m) => new Array((m.data as string).length).fill(1))).toEqual(whole);
  });

  it('random segment sizes, duplicated and reordered segments give the same transactions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.nat(),
        (sizes, dupAt, swapAt) => {
          let k = 0;
          const cut = (m: ConversationMessage): number[] => {
            const out: number[] = [];
            let left = (m.data as string).length;
            while (left > 0) {
              const n = Math.min(left, sizes[k++ % sizes.length]);
              out.push(n);
              left -= n;
            }
            return out;
          };
          const mutate = (frames: unknown[]): unknown[] => {
            const f = [...frames];
            const d = 3 + (dupAt % (f.length - 6)); // keep the handshake and close intact
            f.splice(d, 0, f[d]); // a retransmission
            // Two segments of one direction overtake each other (the source port is at bytes
            // 34-35 of these Ethernet/IPv4 frames); across directions that would change what the
            // capture saw first, not just the packet order.
            const port = (x: unknown): number => {
              const d = (x as { data: Uint8Array }).data;
              return (d[34] << 8) | d[35];
            };
            for (let t = 0; t < f.length - 7; t++) {
              const s = 3 + ((swapAt + t) % (f.length - 7));
              if (port(f[s]) === port(f[s + 1])) {
                [f[s], f[s + 1]] = [f[s + 1], f[s]];
                break;
              }
            }
            return f;
          };
          expect(replay(cut, mutate)).toEqual(whole);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a lost segment costs only the transaction it hit, with a note, and pairs nothing wrongly', () => {
    const frames = (() => {
      const messages: ConversationMessage[] = [];
      for (const l of lines) {
        messages.push({ from: 'client', data: l + '\n' });
        messages.push({
          from: 'server',
          data: answer(l) + '\n',
          segments: l.length > 10 ? [20, 20, l.length + 1 - 40] : undefined,
        });
      }
      return buildConversation({ server: { port: 3030 }, messages });
    })();
    // Drop the middle piece of the long response.
    const lost =
      frames.findIndex((f) => Buffer.from(f.data).includes(Buffer.from('<a much longer line,'))) + 1;
    expect(Buffer.from(frames[lost].data).toString()).toContain(' long enough to be c');
    const events = replayFrames(
      frames.filter((_, i) => i !== lost),
      protocols,
    ).events.map((e) => essence(e.fields));
    expect(events.map((e) => [e.status, e.request, e.response, e.notes])).toEqual([
      ['OK', 'hello', 'hello', undefined],
      // What arrived of the response before the lost segment: 20 bytes, marker included.
      ['Error', lines[1].slice(1), lines[1].slice(1, 20), [Notes.messageHitByGap]],
      ['Error', 'oops', 'oops', undefined],
      ['OK', 'x', 'x', undefined],
    ]);
  });
});
