// Replaying through the real pipeline: reader, reassembler, dispatcher, protocol.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NotACaptureError } from '@wirebeat/tcp-reassembly';
import { echoProtocol } from '@wirebeat/protocol-echo';
import { buildConversation, replayCapture, replayCaptureDetailed, replayFrames, writeCapture } from '../src';
import { lineProtocol } from './line-protocol';

const frames = buildConversation({
  server: { port: 9999 },
  messages: [
    { from: 'client', data: 'a\nb\n' },
    { from: 'server', data: 'A\n' },
    { from: 'server', data: 'B\n', segments: [1, 1] },
    { from: 'client', data: 'unanswered\n' },
  ],
});
const capture = writeCapture(frames);
const config = { send_request: true, send_response: true };

describe('replayCapture', () => {
  it('publishes the transactions of a capture given as bytes', async () => {
    const events = await replayCapture(capture, [{ module: lineProtocol, config }]);
    expect(events.map((e) => [e.fields.request, e.fields.response, e.fields.status])).toEqual([
      ['a', 'A', 'OK'],
      ['b', 'B', 'OK'],
      ['unanswered', undefined, 'Error'],
    ]);
  });

  it('applies the config through the module schema (defaults, ports)', async () => {
    const quiet = await replayCapture(capture, [{ module: lineProtocol }]);
    expect(quiet[0].fields.request).toBeUndefined();
    const elsewhere = await replayCapture(capture, [{ module: lineProtocol, config: { ports: [1234] } }]);
    expect(elsewhere).toEqual([]);
    await expect(replayCapture(capture, [{ module: lineProtocol, config: { bogus: 1 } }])).rejects.toThrow(
      /bogus/,
    );
  });

  it('gives the same events for frames in memory and for the same capture on disk, with counters', async () => {
    const detailed = await replayCaptureDetailed(capture, [{ module: lineProtocol, config }]);
    const inMemory = replayFrames(frames, [{ module: lineProtocol, config }]);
    expect(inMemory.events).toEqual(detailed.events);
    expect(detailed.counters.line).toMatchObject({ transactions: 3, missing_responses: 1 });
    expect(detailed.warnings).toEqual([]);
  });

  it('replays the reference echo capture with the echo protocol', async () => {
    const file = path.resolve(__dirname, '../../../pcaps/echo.pcap');
    if (!fs.existsSync(file))
      throw new Error(`${file} is missing (recorded by examples/echo-server/scripts/record-pcaps.js)`);
    const result = await replayCaptureDetailed(file, [{ module: echoProtocol }]);
    expect(result.events.length).toBeGreaterThan(10);
    expect(result.events.length).toBe(result.counters.echo.transactions);
    expect(new Set(result.events.map((e) => e.id)).size).toBe(result.events.length);
    const again = await replayCapture(fs.readFileSync(file), [{ module: echoProtocol }]);
    expect(again).toEqual(result.events);
  });

  it('rejects what is not a capture with the reader error', async () => {
    await expect(
      replayCapture(Buffer.from('definitely not a pcap file'), [{ module: lineProtocol }]),
    ).rejects.toThrow(NotACaptureError);
  });
});
