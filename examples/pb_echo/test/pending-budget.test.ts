// Regression (issue 11, item 6): pending requests are bounded by max_pending_bytes; beyond it the
// oldest are published as Error with a note and counted, never dropped silently.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Notes, PENDING_REQUEST_OVERHEAD } from '@wirebeat/applayer';
import { buildConversation, mergeConversations, writeCapture } from '@wirebeat/testing';
import { events, PCAPS, runPbEcho } from './pb-echo-cli';

jest.setTimeout(60_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-echo-budget-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const CONNECTIONS = 50;
const KEPT = 10;
const request = (i: number): string => `>pending ${String(i).padStart(2, '0')}\n`; // 12 bytes each

/** 50 connections, opened 10 ms apart, each sending one request that is never answered. */
function pendingCapture(file: string): void {
  const start = Date.UTC(2026, 0, 1);
  writeCapture(
    mergeConversations(
      Array.from({ length: CONNECTIONS }, (_, i) =>
        buildConversation({
          client: { ip: '10.0.0.2', port: 40000 + i },
          server: { port: 3030 },
          start: start + i * 10,
          messages: [{ from: 'client', data: request(i) }],
          close: 'none',
        }),
      ),
    ),
    file,
  );
}

describe('pb_echo: max_pending_bytes', () => {
  it('publishes the oldest pending requests as Error when over the budget, the rest at end of input', async () => {
    const file = path.join(tmp, 'pending.pcap');
    pendingCapture(file);
    const budget = KEPT * (PENDING_REQUEST_OVERHEAD + request(0).length);
    const r = await runPbEcho([
      '-I',
      file,
      '-t',
      '-E',
      `pb_echo.protocols=[{type: echo, send_request: true, max_pending_bytes: ${budget}}]`,
    ]);
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    expect(evs).toHaveLength(CONNECTIONS);
    expect(evs.every((e) => e.status === 'Error')).toBe(true);
    const noted = (note: string): string[] =>
      evs.filter((e) => (e.notes as string[]).includes(note)).map((e) => e.request as string);
    const names = (from: number, to: number): string[] =>
      Array.from({ length: to - from }, (_, k) => request(from + k).slice(1, -1));
    expect(noted(Notes.responseEvicted).sort()).toEqual(names(0, CONNECTIONS - KEPT));
    expect(noted('response missing: end of input').sort()).toEqual(names(CONNECTIONS - KEPT, CONNECTIONS));
    const metrics = JSON.parse(r.stderr.split('\n').find((l) => l.includes('"metrics at exit"'))!).metrics;
    expect(metrics.protocols.echo).toMatchObject({
      evicted_requests: CONNECTIONS - KEPT,
      missing_responses: CONNECTIONS,
      transactions: CONNECTIONS,
    });
  });

  it('rejects a budget that is not a positive number of bytes, naming the option', async () => {
    const r = await runPbEcho([
      '-I',
      path.join(PCAPS, 'echo.pcap'),
      '-t',
      '-E',
      'pb_echo.protocols=[{type: echo, max_pending_bytes: -1}]',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/max_pending_bytes: expected a number of bytes/);
  });
});
