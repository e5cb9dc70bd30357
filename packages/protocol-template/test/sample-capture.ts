// The sample capture: two synthetic connections written with wirebeat's own PcapWriter, so the
// replay test needs neither root nor tcpdump. Change the conversation here, then run the tests
// with UPDATE_GOLDEN=1: they write the capture and its expected events as `.new` files to review.
import * as path from 'node:path';
import { buildConversation, concatBytes, mergeConversations, writeCapture } from '@wirebeat/testing';
import { SAMPLE_NAME, encodeRequest, encodeResponse, sampleEncoding } from './wire';

/** Server port of the sample capture (fixed, so regenerating the package keeps the capture valid). */
export const SAMPLE_PORT = 7357;

/** Path of the committed sample capture. */
export const SAMPLE_CAPTURE = path.join(__dirname, 'captures', `${SAMPLE_NAME}.pcap`);

/** Path of the sample capture's expected events. */
export const SAMPLE_EXPECTED = path.join(__dirname, 'captures', `${SAMPLE_NAME}.expected.ndjson`);

const LONG_BODY = 'a request long enough to arrive in three segments';

/** The sample's bytes as sent by each side of the first connection, framed as the protocol frames (for stream tests). */
export function sampleStreams(): { client: Uint8Array; server: Uint8Array; requests: string[] } {
  const requests = ['hello', LONG_BODY, 'one', 'two'];
  return {
    client: concatBytes(requests.map(encodeRequest)),
    server: concatBytes(requests.map(encodeResponse)),
    requests,
  };
}

/** The sample's packets: a connection with split and pipelined messages, one with an unanswered request. */
export function sampleFrames() {
  const { encodeRequest, encodeResponse } = sampleEncoding;
  const long = encodeRequest(LONG_BODY);
  const longResponse = encodeResponse(LONG_BODY);
  const first = buildConversation({
    client: { ip: '10.0.0.2', port: 40001 },
    server: { ip: '10.0.0.1', port: SAMPLE_PORT },
    messages: [
      { from: 'client', data: encodeRequest('hello') },
      { from: 'server', data: encodeResponse('hello') },
      { from: 'client', data: long, segments: [5, 10, long.length - 15] },
      { from: 'server', data: longResponse, segments: [1, longResponse.length - 1] },
      // Pipelining: two requests in one segment, then both responses in one segment.
      { from: 'client', data: concatBytes([encodeRequest('one'), encodeRequest('two')]) },
      { from: 'server', data: concatBytes([encodeResponse('one'), encodeResponse('two')]) },
    ],
  });
  const second = buildConversation({
    client: { ip: '10.0.0.3', port: 40002 },
    server: { ip: '10.0.0.1', port: SAMPLE_PORT },
    start: Date.UTC(2026, 0, 1, 0, 0, 1),
    messages: [
      { from: 'client', data: encodeRequest('ping') },
      { from: 'server', data: encodeResponse('ping') },
      // Never answered: published with status Error and a note when the connection closes.
      { from: 'client', data: encodeRequest('no answer') },
    ],
  });
  return mergeConversations([first, second]);
}

/** The sample capture's bytes (and the file rewritten when `file` is given). */
export function writeSampleCapture(file?: string): Buffer {
  return writeCapture(sampleFrames(), file);
}
