// However TCP cuts the streams, the MySQL analyzer publishes the same transactions; a gap inside a
// packet's payload only marks its transaction, any other gap drops the connection, and nothing is
// ever paired with the wrong command.
import type { TransactionEvent } from '@wirebeat/applayer';
import { UNKNOWN_STATEMENT_NOTE, mysqlProtocol } from '@wirebeat/protocol-mysql';
import { PluginDriver, bytewise, splitAt } from '@wirebeat/testing';
import { conversation, essence, run, type Doc, type Turn } from './helpers';

/** Feeds the turns in order, with a gap of `[turn, from, to)` bytes; stops when the connection is dropped. */
function runWithGap(turns: Turn[], gap: [number, number, number]): Doc[] {
  const d = new PluginDriver(mysqlProtocol, { send_request: true, send_response: true });
  for (let i = 0; i < turns.length; i++) {
    const [dir, bytes] = turns[i];
    if (i !== gap[0]) {
      d.data(dir, bytes);
      continue;
    }
    if (gap[1] > 0) d.data(dir, bytes.subarray(0, gap[1]));
    if (d.gap(dir, gap[2] - gap[1])) break;
    if (gap[2] < bytes.length) d.data(dir, bytes.subarray(gap[2]));
  }
  return d.close('fin').map((e: TransactionEvent) => e.fields as Doc);
}

for (const deprecateEof of [false, true]) {
  describe(`MySQL streams re-split (${deprecateEof ? 'CLIENT_DEPRECATE_EOF' : 'classic EOF'})`, () => {
    const turns = conversation(deprecateEof);
    const whole = run(turns).map(essence);

    it('the unsplit conversation pairs every command with its answer', () => {
      expect(whole.map((e) => e[0])).toEqual([
        'mysql.query',
        'mysql.query',
        'mysql.query',
        'mysql.stmt_prepare',
        'mysql.stmt_execute',
        'mysql.ping',
      ]);
    });

    it('cut in two at every byte of every turn, or byte by byte', () => {
      turns.forEach((_, t) => {
        for (let at = 1; at < turns[t][1].length; at++) {
          const docs = run(turns, undefined, (b, i) => (i === t ? splitAt(b, [at]) : [b]));
          expect([t, at, docs.map(essence)]).toEqual([t, at, whole]);
        }
      });
      expect(run(turns, undefined, (b) => bytewise(b).map((c) => Buffer.from(c))).map(essence)).toEqual(
        whole,
      );
    });

    it('wherever a 3-byte gap falls, no answer is paired with the wrong command', () => {
      turns.forEach(([, bytes], t) => {
        for (let from = 0; from + 3 <= bytes.length; from++) {
          for (const d of runWithGap(turns, [t, from, from + 3])) {
            // Alone (a command without answer, an answer without command) is fine: wrongly paired is not.
            if (d.query === undefined || d.mysql === undefined) continue;
            // An execute whose PREPARE_OK was hit does not know its statement: nothing to pair wrongly.
            if (d.notes?.includes(UNKNOWN_STATEMENT_NOTE)) continue;
            const e = essence(d);
            if (d.notes === undefined) {
              expect([t, from, e.slice(0, 7)]).toEqual([
                t,
                from,
                whole.find((w) => w[0] === e[0] && w[1] === e[1])?.slice(0, 7),
              ]);
              continue;
            }
            // Marked (hit) messages: the query, the counts and the error code may be cut short,
            // whether the answer is an error may not change.
            const candidates = whole.filter((w) => w[0] === e[0] && String(w[1]).startsWith(String(e[1])));
            const kind = candidates.some((w) => (w[5] !== undefined) === d.mysql.iserror);
            expect([t, from, kind]).toEqual([t, from, true]);
          }
        }
      });
    });

    it('a gap inside a row marks its transaction and keeps the pairing of the others', () => {
      const at = turns[4][1].indexOf('apple');
      const docs = runWithGap(turns, [4, at, at + 3]).map(essence);
      expect(docs.map((e) => e[1])).toEqual(whole.map((e) => e[1]));
      expect(docs.map((e) => e[2])).toEqual(['Error', 'OK', 'Error', 'OK', 'OK', 'OK']);
    });
  });
}
