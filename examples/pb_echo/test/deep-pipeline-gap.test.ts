// Regression (issue 11, item 1): a gap that swallows many responses while more than 64 requests
// are pending used to make the correlator lose its place in its queue and throw, which dropped the
// connection and every later transaction. The capture is crafted: 100 pipelined requests, then
// responses 0-9, a gap where responses 10-89 were, and responses 90-99.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Notes } from '@wirebeat/applayer';
import { buildConversation, writeCapture } from '@wirebeat/testing';
import { events, runPbEcho } from './pb-echo-cli';

jest.setTimeout(60_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-echo-deep-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const N = 100;
const LOST = { from: 10, to: 90 };

/** The crafted capture: every message is its own segment; the lost responses' frames are left out. */
function deepPipelineCapture(file: string): void {
  const frames = buildConversation({
    server: { port: 3030 },
    messages: [
      ...Array.from({ length: N }, (_, i) => ({ from: 'client' as const, data: `>m${i}\n` })),
      ...Array.from({ length: N }, (_, i) => ({ from: 'server' as const, data: `<m${i}\n` })),
    ],
  });
  // Frames: SYN, SYN-ACK, ACK, N requests, N responses, FIN, FIN, ACK.
  const firstResponse = 3 + N;
  const kept = frames.filter((_, k) => k < firstResponse + LOST.from || k >= firstResponse + LOST.to);
  writeCapture(kept, file);
}

describe('pb_echo: a gap in the responses while more than 64 requests are pending', () => {
  it('publishes every request once: the answered ones OK, the ones whose response was lost as Error', async () => {
    const file = path.join(tmp, 'deep-pipeline-gap.pcap');
    deepPipelineCapture(file);
    const r = await runPbEcho([
      '-I',
      file,
      '-t',
      '-E',
      'pb_echo.protocols=[{type: echo, send_request: true, send_response: true}]',
    ]);
    expect(r.stderr).not.toMatch(/Cannot read properties|plugin_failures":[1-9]/);
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    expect(evs).toHaveLength(N);
    expect(evs.map((e) => e.request)).toEqual(Array.from({ length: N }, (_, i) => `m${i}`));
    evs.forEach((e, i) => {
      if (i >= LOST.from && i < LOST.to) {
        expect(e).toMatchObject({ status: 'Error', notes: [Notes.responseLostInGap] });
        expect(e).not.toHaveProperty('response');
      } else {
        expect(e).toMatchObject({ status: 'OK', response: `m${i}`, echo: { echoed: true } });
      }
    });
  });
});
