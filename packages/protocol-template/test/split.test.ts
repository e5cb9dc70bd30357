// However TCP cuts the streams (at every byte boundary, byte by byte, at random places, with
// segments duplicated or reordered on the wire) the protocol publishes the same transactions.
import fc from 'fast-check';
import {
  PluginDriver,
  buildConversation,
  disorderFrames,
  bytewise,
  everySplit,
  normaliseEvent,
  replayFrames,
  splitAt,
} from '@wirebeat/testing';
import type { TransactionEvent } from '@wirebeat/applayer';
import { templateProtocol } from '../src';
import { SAMPLE_PORT, sampleStreams } from './sample-capture';

const config = { ports: [SAMPLE_PORT], send_request: true, send_response: true };
const { client, server, requests } = sampleStreams();

/** Feeds the client stream in the given chunks, then the server stream, and closes. */
function run(clientChunks: Uint8Array[], serverChunks: Uint8Array[]): TransactionEvent[] {
  const driver = new PluginDriver(templateProtocol, config, { start: 1_000 });
  driver.chunks(0, clientChunks);
  driver.chunks(1, serverChunks);
  return driver.close('fin');
}

/** What must not depend on segmentation (times do: a message's time is its first segment's). */
function essentials(events: TransactionEvent[]) {
  return events.map((event) => {
    const { status, request, response, source, destination, notes, template } = normaliseEvent(event);
    return { status, request, response, source, destination, notes, template };
  });
}

const reference = essentials(run([client], [server]));

describe('stream splitting', () => {
  it('the unsplit streams give one OK transaction per request', () => {
    expect(reference.map((e) => e.request)).toEqual(requests);
    expect(reference.every((e) => e.status === 'OK' && e.response === e.request)).toBe(true);
  });

  it('gives the same transactions when the client stream is cut at any byte boundary', () => {
    for (const chunks of everySplit(client)) expect(essentials(run(chunks, [server]))).toEqual(reference);
  });

  it('gives the same transactions when the server stream is cut at any byte boundary', () => {
    for (const chunks of everySplit(server)) expect(essentials(run([client], chunks))).toEqual(reference);
  });

  it('gives the same transactions when both streams arrive one byte at a time', () => {
    expect(essentials(run(bytewise(client), bytewise(server)))).toEqual(reference);
  });

  it('gives the same transactions for random cuts in both streams', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: client.length - 1 }), { maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: server.length - 1 }), { maxLength: 12 }),
        (clientCuts, serverCuts) => {
          expect(essentials(run(splitAt(client, clientCuts), splitAt(server, serverCuts)))).toEqual(
            reference,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives the same transactions when segments are duplicated and reordered on the wire', () => {
    const clientSegments = splitAt(client, [3, 7, 12, 20, 31]).map((chunk) => chunk.length);
    const serverSegments = splitAt(server, [2, 9, 15, 26]).map((chunk) => chunk.length);
    const frames = buildConversation({
      server: { port: SAMPLE_PORT },
      messages: [
        { from: 'client', data: client, segments: clientSegments },
        { from: 'server', data: server, segments: serverSegments },
      ],
    });
    expect(essentials(replayFrames(frames, [{ module: templateProtocol, config }]).events)).toEqual(
      reference,
    );
    // Frames: SYN, SYN-ACK, ACK, the client's segments, the server's, FIN, FIN, ACK. Each direction
    // is disordered on its own: across directions the order of requests and responses is real.
    const clientEnd = 3 + clientSegments.length;
    const serverEnd = clientEnd + serverSegments.length;
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const serverDisordered = disorderFrames(frames, seed, { from: clientEnd, to: serverEnd });
        const disordered = disorderFrames(serverDisordered, seed + 1, { from: 3, to: clientEnd });
        expect(essentials(replayFrames(disordered, [{ module: templateProtocol, config }]).events)).toEqual(
          reference,
        );
      }),
      { numRuns: 100 },
    );
  });
});
