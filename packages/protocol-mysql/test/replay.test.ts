// The MySQL analyzer on a capture recorded from Debian's MariaDB (scripts/record-captures.js):
// golden events, and the same commands, queries, statements, affected rows, insert ids, error
// codes, column counts, row counts, tables and times as tshark's mysql dissector finds.
import * as path from 'node:path';
import {
  compareWithGolden,
  goldenPathFor,
  replayCaptureDetailed,
  runTshark,
  tsharkFrameTimes,
} from '@wirebeat/testing';
import { mysqlProtocol } from '@wirebeat/protocol-mysql';
import type { Doc } from './helpers';

const CAPTURE = path.join(__dirname, 'fixtures/mysql.pcap');
const OPTIONS = { send_request: true, send_response: true };

let replayed: Promise<{ docs: Doc[]; events: any[]; counters: any }> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
function replay() {
  replayed ??= replayCaptureDetailed(CAPTURE, [{ module: mysqlProtocol, config: OPTIONS }]).then((r) => {
    expect(r.logged).toEqual([]);
    return { docs: r.events.map((e) => e.fields as Doc), events: r.events, counters: r.counters.mysql };
  });
  return replayed;
}

/** What tshark says of one command and the server frames that answer it. */
interface TsharkCommand {
  frame: number;
  /** The first server frame after the command. */
  answerFrame: number;
  command: number;
  query: string;
  stmtId: string;
  affected: number;
  insertId: number;
  errorCode: number | undefined;
  numFields: number | undefined;
  rows: number;
  tables: string[];
}

const FIELDS = [
  'frame.number',
  'tcp.dstport',
  'mysql.command',
  'mysql.query',
  'mysql.schema',
  'mysql.stmt_id',
  'mysql.response_code',
  'mysql.affected_rows',
  'mysql.insert_id',
  'mysql.error_code',
  'mysql.num_fields',
  'mysql.field.db',
  'mysql.field.table',
  'mysql.row.text',
];

/** tshark's commands in capture order, each with its answer summed over the frames that carry it. */
function tsharkCommands(): TsharkCommand[] {
  // Values of one frame joined by ';' (row values hold commas), fields separated by tabs.
  const args = ['-r', CAPTURE, '-Y', 'mysql', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=;'];
  const rows = runTshark([...args, ...FIELDS.flatMap((f) => ['-e', f])])
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
  const out: TsharkCommand[] = [];
  let current: TsharkCommand | undefined;
  const list = (s: string) => (s === '' ? [] : s.split(';'));
  for (const r of rows) {
    const [frame, dstPort, command, query, schema, stmtId, codes, affected, insertId, errorCode, numFields] =
      r;
    if (dstPort === '3306') {
      current = undefined;
      if (command === '') continue;
      current = {
        frame: Number(frame),
        answerFrame: 0,
        command: Number(command),
        query: query || schema,
        stmtId,
        affected: 0,
        insertId: 0,
        errorCode: undefined,
        numFields: undefined,
        rows: 0,
        tables: [],
      };
      out.push(current);
      continue;
    }
    if (current === undefined) continue;
    if (current.answerFrame === 0) current.answerFrame = Number(frame);
    for (const a of list(affected)) current.affected += Number(a);
    for (const i of list(insertId)) if (Number(i) > 0) current.insertId = Number(i);
    if (errorCode !== '') current.errorCode = Number(errorCode);
    if (stmtId !== '' && current.stmtId === '') current.stmtId = stmtId;
    const fields = list(numFields).map(Number);
    if (fields.length > 0 && current.command !== 22) {
      current.numFields ??= fields[0];
      // Text rows: values over columns; binary rows (execute): the 0x00 headers tshark lists.
      current.rows +=
        current.command === 23
          ? list(codes).filter((c) => c === '0x00').length
          : list(r[13]).length / fields[0];
    }
    const dbs = list(r[11]);
    list(r[12]).forEach((t, i) => {
      const qualified = dbs[i] ? `${dbs[i]}.${t}` : t;
      if (t !== '' && !current!.tables.includes(qualified)) current!.tables.push(qualified);
    });
  }
  return out;
}

const COMMANDS: Record<number, string> = {
  2: 'init_db',
  3: 'query',
  14: 'ping',
  22: 'stmt_prepare',
  23: 'stmt_execute',
};

describe('mysql.pcap (MariaDB 10.11 on loopback: classic EOF, CLIENT_DEPRECATE_EOF, TLS, the mariadb client)', () => {
  it('replays to its reviewed golden events', async () => {
    const { events } = await replay();
    const { expected, actual } = compareWithGolden(goldenPathFor(CAPTURE), events);
    expect(actual).toEqual(expected);
  });

  it('every command but QUIT and STMT_CLOSE is a transaction, as tshark finds them, the TLS connection skipped', async () => {
    const { docs, counters } = await replay();
    const theirs = tsharkCommands();
    expect(theirs.filter((c) => c.command === 1).length).toBe(3);
    expect(theirs.filter((c) => c.command === 25).length).toBe(2);
    const answered = theirs.filter((c) => c.command !== 1 && c.command !== 25);
    // Statement ids of the prepares (tshark gives them on the PREPARE_OK), per connection in turn.
    const prepared = new Map<string, string>();
    const expected = answered.map((c) => {
      if (c.command === 22) prepared.set(c.stmtId, c.query);
      const query =
        c.command === 23
          ? prepared.get(c.stmtId)
          : c.command === 2
            ? `USE ${c.query}`
            : c.command === 14
              ? 'PING'
              : c.query;
      return [`mysql.${COMMANDS[c.command]}`, query];
    });
    expect(docs.map((d) => [d.event.action, d.query])).toEqual(expected);
    expect(docs.length).toBe(28);
    expect(counters).toMatchObject({
      logins: 3,
      tls_connections: 1,
      unmatched_responses: 0,
      missing_responses: 0,
    });
  });

  it('affected rows, insert ids, error codes, columns, rows and tables as tshark dissects the answers', async () => {
    const { docs } = await replay();
    const answered = tsharkCommands().filter((c) => c.command !== 1 && c.command !== 25);
    const ours = docs.map((d) => [
      d.mysql.affected_rows,
      d.mysql.insert_id,
      d.mysql.error_code,
      d.event.action === 'mysql.stmt_prepare' ? undefined : d.mysql.num_fields || undefined,
      d.event.action === 'mysql.stmt_prepare' ? 0 : d.mysql.num_rows,
      d.path ?? '',
      d.status,
    ]);
    const theirs = answered.map((c) => [
      c.affected,
      c.insertId,
      c.errorCode,
      c.numFields,
      c.rows,
      c.tables.join(', '),
      c.errorCode === undefined ? 'OK' : 'Error',
    ]);
    expect(ours).toEqual(theirs);
    // What the capture holds besides: 5 errors, a 4-row SELECT, an insert of 3 rows with id 1.
    expect(docs.filter((d) => d.status === 'Error').length).toBe(5);
    expect(docs.find((d) => d.query === 'SELECT * FROM items ORDER BY id')?.mysql.num_rows).toBe(4);
    expect(docs[3].mysql).toMatchObject({ affected_rows: 3, insert_id: 1 });
  });

  it('@timestamp is the command frame time, event.end the first answer frame time (tshark)', async () => {
    const { docs } = await replay();
    const times = tsharkFrameTimes(CAPTURE);
    const answered = tsharkCommands().filter((c) => c.command !== 1 && c.command !== 25);
    const iso = (ns: bigint | undefined) => new Date(Number((ns ?? 0n) / 1_000_000n)).toISOString();
    expect(docs.map((d) => d['@timestamp'])).toEqual(answered.map((c) => iso(times.get(c.frame))));
    const firstAnswer = answered.map((c) => iso(times.get(c.answerFrame)));
    expect(docs.map((d) => d.event.end)).toEqual(firstAnswer);
  });
});
