// The pgsql analyzer on a capture recorded from Debian's PostgreSQL 15 (scripts/record-captures.js):
// golden events, and against tshark's pgsql dissection of the same capture: the command tags,
// SQLSTATEs, statement texts, Executes and startups in the order tshark finds them.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { compareWithGolden, goldenPathFor, replayCaptureDetailed } from '@wirebeat/testing';
import { pgsqlProtocol } from '@wirebeat/protocol-pgsql';

const CAPTURE = path.join(__dirname, 'fixtures/pgsql.pcap');
const OPTIONS = { send_request: true, send_response: true };
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let replayed: Promise<{ docs: Doc[]; events: any[]; counters: any }> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
function replay() {
  replayed ??= replayCaptureDetailed(CAPTURE, [{ module: pgsqlProtocol, config: OPTIONS }]).then((r) => {
    expect(r.logged).toEqual([]);
    return { docs: r.events.map((e) => e.fields as Doc), events: r.events, counters: r.counters.pgsql };
  });
  return replayed;
}

/** tshark's pgsql fields, one row per frame holding pgsql messages (occurrences joined by `,`). */
let dissected: string[][] | undefined;
function tshark(): string[][] {
  if (dissected !== undefined) return dissected;
  let out: string;
  try {
    out = execFileSync(
      'tshark',
      [
        '-r',
        CAPTURE,
        '-Y',
        'pgsql',
        '-T',
        'fields',
        '-E',
        'occurrence=a',
        '-E',
        'separator=/t',
        '-E',
        'aggregator=\x1f',
        ...['tcp.srcport', 'tcp.dstport', 'pgsql.type', 'pgsql.query', 'pgsql.tag', 'pgsql.code'].flatMap(
          (f) => ['-e', f],
        ),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 },
    );
  } catch (err) {
    throw new Error(`tshark is needed for this test (apt-get install tshark): ${(err as Error).message}`);
  }
  dissected = out
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => l.split('\t'));
  return dissected;
}
/** Every occurrence of tshark field `col` in frames matching `keep`, in capture order. */
const occurrences = (col: number, keep: (row: string[]) => boolean = () => true) =>
  tshark()
    .filter(keep)
    .flatMap((r) => (r[col] === '' ? [] : r[col].split('\x1f')));
// tshark writes a newline inside a field as \n.
const unescape = (s: string) => s.replace(/\\n/g, '\n');

describe('pgsql.pcap (PostgreSQL 15 on loopback: psql, a wire client, SCRAM, COPY, SSL)', () => {
  it('replays to its reviewed golden events', async () => {
    const { events } = await replay();
    const { expected, actual } = compareWithGolden(goldenPathFor(CAPTURE), events);
    expect(actual).toEqual(expected);
  });

  it('every response is paired; nothing is missing but the statements an error skipped', async () => {
    const { docs, counters } = await replay();
    expect(counters).toMatchObject({
      unmatched_responses: 0,
      missing_responses: 0,
      encrypted_connections: 1,
    });
    expect(
      docs.filter((d) => d.notes !== undefined).map((d) => [d.query ?? d.method, d.status, d.notes]),
    ).toEqual([
      ['SELECT 3 AS three', 'Error', ['not executed: an earlier statement of the query or pipeline failed']],
      ['SELECT 1', 'Error', ['not executed: an earlier statement of the query or pipeline failed']],
      ['SSLREQUEST', 'OK', ['TLS upgrade: the rest of the connection is encrypted and not analysed']],
    ]);
  });

  it('command tags, in order, are the CommandCompletes tshark decodes; num_rows is their count', async () => {
    const { docs } = await replay();
    const ours = docs.filter((d) => d.pgsql.command_tag !== undefined);
    expect(ours.map((d) => d.pgsql.command_tag)).toEqual(occurrences(4));
    for (const d of ours) {
      const n = /^(?:SELECT|INSERT \d+|UPDATE|DELETE|COPY) (\d+)$/.exec(d.pgsql.command_tag);
      if (n !== null)
        expect([d.pgsql.command_tag, d.pgsql.num_rows]).toEqual([d.pgsql.command_tag, Number(n[1])]);
    }
  });

  it('error codes, in order, are the SQLSTATEs of the ErrorResponses tshark decodes', async () => {
    const { docs } = await replay();
    const theirs = tshark()
      .filter((r) => r[2].split('\x1f').includes('Error'))
      .map((r) => r[5].split('\x1f').at(-1));
    expect(docs.filter((d) => d.pgsql.error_code !== undefined).map((d) => d.pgsql.error_code)).toEqual(
      theirs,
    );
    expect(theirs).toEqual(['42P01', '22012', '28P01', '42P01', '57014']);
  });

  it('notices are the NoticeResponses tshark decodes, with their SQLSTATE', async () => {
    const { docs } = await replay();
    const theirs = tshark()
      .filter((r) => r[2].split('\x1f').includes('Notice'))
      .map((r) => r[5].split('\x1f')[0]);
    expect(
      docs.flatMap((d) => d.pgsql.notices ?? []).map((n: string) => n.split(' ')[1].replace(':', '')),
    ).toEqual(theirs);
    expect(theirs.length).toBeGreaterThan(0);
  });

  it('each query is the text of a Simple query or Parse tshark decodes, in the order sent', async () => {
    const { docs } = await replay();
    // Per client port: the SQL texts tshark found in its Query and Parse messages.
    const texts = new Map<string, string[]>();
    for (const r of tshark()) {
      if (r[1] !== '5432' || r[3] === '') continue;
      texts.set(r[0], [...(texts.get(r[0]) ?? []), ...r[3].split('\x1f').map(unescape)]);
    }
    const cursor = new Map<string, number>();
    for (const d of docs.filter((x) => x.query !== undefined && x.query !== '')) {
      const port = String(d.client.port);
      const list = texts.get(port) ?? [];
      let at = cursor.get(port) ?? 0;
      // Executes of a named statement repeat an earlier Parse's text: search from the start then.
      if (d.pgsql.statement_name !== undefined) at = 0;
      while (at < list.length && !list[at].includes(d.query)) at++;
      expect([d.query, at < list.length]).toEqual([d.query, true]);
      if (d.pgsql.statement_name === undefined) cursor.set(port, at);
    }
  });

  it('one transaction per Execute and per startup message tshark decodes', async () => {
    const { docs } = await replay();
    const rows = tshark().filter((r) => r[1] === '5432');
    const types = rows.flatMap((r) => r[2].split('\x1f'));
    // The connection of the extended-protocol pipelines: its transactions besides the startup,
    // the Parse never executed and the empty simple query are its Executes.
    const port = Number(rows.find((r) => r[2].includes('Execute'))![0]);
    const executes = docs.filter(
      (d) => d.client.port === port && !['STARTUP', 'PARSE'].includes(d.method) && d.query !== '',
    );
    expect(executes.length).toBe(types.filter((t) => t === 'Execute').length);
    expect(docs.filter((d) => d.method === 'STARTUP').length).toBe(
      types.filter((t) => t === 'Startup message').length,
    );
  });

  it("every client byte tshark counts is in some transaction's source.bytes, but Terminate's", async () => {
    const { docs } = await replay();
    let out: string;
    try {
      out = execFileSync(
        'tshark',
        [
          '-r',
          CAPTURE,
          '-Y',
          'tcp.dstport == 5432 && tcp.len > 0',
          '-T',
          'fields',
          '-e',
          'tcp.srcport',
          '-e',
          'tcp.len',
        ],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    } catch (err) {
      throw new Error(`tshark is needed for this test (apt-get install tshark): ${(err as Error).message}`);
    }
    const sent = new Map<number, number>();
    for (const [port, len] of out
      .trim()
      .split('\n')
      .map((l) => l.split('\t').map(Number)))
      sent.set(port, (sent.get(port) ?? 0) + len);
    const terminated = new Set(
      tshark()
        .filter((r) => r[1] === '5432' && r[2].split('\x1f').includes('Termination'))
        .map((r) => Number(r[0])),
    );
    const encrypted = docs.find((d) => d.pgsql.encryption === 'accepted')!.client.port;
    const ours = new Map<number, number>();
    for (const d of docs) ours.set(d.client.port, (ours.get(d.client.port) ?? 0) + d.source.bytes);
    sent.delete(encrypted);
    for (const [port, n] of sent)
      expect([port, (ours.get(port) ?? 0) + (terminated.has(port) ? 5 : 0)]).toEqual([port, n]);
    expect(sent.size).toBe(10);
  });

  it('simple queries: one transaction per statement, split where PostgreSQL splits', async () => {
    const { docs } = await replay();
    const multi = docs.filter((d) =>
      ['SELECT 1 AS one', 'SELECT 1/0', 'SELECT 3 AS three'].includes(d.query),
    );
    expect(multi.map((d) => [d.status, d.pgsql.num_rows, d.pgsql.error_code])).toEqual([
      ['OK', 1, undefined],
      ['Error', 0, '22012'],
      ['Error', undefined, undefined],
    ]);
    const quoted = docs.find((d) => d.query?.startsWith("SELECT 'a;b'"))!;
    expect(quoted.query).toBe("SELECT 'a;b' AS s, $$x;y$$ AS d");
    expect(quoted.response).toBe('s,d\na;b,x;y\n');
  });

  it('extended protocol: the statement text comes from Parse, named or unnamed; a failed pipeline skips the rest', async () => {
    const { docs } = await replay();
    const ext = docs.filter((d) => d.pgsql.statement_name === 'ins');
    expect(ext.map((d) => [d.method, d.pgsql.command_tag ?? null])).toEqual([
      ['PARSE', null],
      ['INSERT', 'INSERT 0 1'],
      ['INSERT', 'INSERT 0 1'],
      ['INSERT', 'INSERT 0 1'],
      ['INSERT', 'INSERT 0 1'],
    ]);
    const portal = docs.filter((d) => d.query === 'SELECT g FROM generate_series(1, 5) g');
    expect(portal.map((d) => [d.pgsql.num_rows, d.pgsql.command_tag ?? 'suspended'])).toEqual([
      [2, 'suspended'],
      [2, 'suspended'],
      [1, 'SELECT 1'],
    ]);
  });

  it('startup: user, database, authentication; a failed login is an Error with its SQLSTATE', async () => {
    const { docs } = await replay();
    const startups = docs.filter((d) => d.method === 'STARTUP');
    expect(startups.map((d) => [d.pgsql.user, d.pgsql.auth_method, d.status])).toContainEqual([
      'alice',
      'sasl SCRAM-SHA-256',
      'OK',
    ]);
    expect(
      startups.map((d) => [d.pgsql.user, d.pgsql.error_code, d.pgsql.error_severity, d.status]),
    ).toContainEqual(['alice', '28P01', 'FATAL', 'Error']);
  });

  it('COPY in and out, SSL refused and accepted, an empty query and a cancel request', async () => {
    const { docs } = await replay();
    expect(
      docs.filter((d) => d.pgsql.copy !== undefined).map((d) => [d.pgsql.copy, d.pgsql.num_rows]),
    ).toEqual([
      ['in', 2],
      ['out', 5],
    ]);
    expect(docs.filter((d) => d.method === 'SSLREQUEST').map((d) => d.pgsql.encryption)).toEqual([
      'refused',
      'accepted',
    ]);
    expect(docs.filter((d) => d.query === '').map((d) => [d.method, d.status])).toEqual([[undefined, 'OK']]);
    expect(docs.filter((d) => d.method === 'CANCEL').map((d) => d.status)).toEqual(['OK']);
  });
});
