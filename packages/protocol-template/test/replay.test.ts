// The sample capture replayed through the whole pipeline (pcap reader, TCP reassembly, dispatcher,
// this protocol) gives the expected events. UPDATE_GOLDEN=1 proposes capture and expectations as
// `.new` files beside them (and fails): review them, then move them over the committed files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareWithGolden, proposeGolden, replayCaptureDetailed, updatingGolden } from '@wirebeat/testing';
import { templateProtocol } from '../src';
import { SAMPLE_CAPTURE, SAMPLE_EXPECTED, SAMPLE_PORT, writeSampleCapture } from './sample-capture';
import { SAMPLE_OPTIONS } from './wire';

const config = { ports: [SAMPLE_PORT], send_request: true, send_response: true, ...SAMPLE_OPTIONS };

describe('sample capture', () => {
  it('is the capture sample-capture.ts writes (UPDATE_GOLDEN=1 proposes a new one)', () => {
    const written = writeSampleCapture();
    if (updatingGolden()) proposeGolden(SAMPLE_CAPTURE, written);
    expect(fs.readFileSync(SAMPLE_CAPTURE).equals(written)).toBe(true);
  });

  it('replays to the expected events', async () => {
    // Proposing expectations replays the capture sample-capture.ts writes now, not the committed one.
    const capture = updatingGolden()
      ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sample-')), 'sample.pcap')
      : SAMPLE_CAPTURE;
    if (capture !== SAMPLE_CAPTURE) writeSampleCapture(capture);
    const result = await replayCaptureDetailed(capture, [{ module: templateProtocol, config }]);
    const { expected, actual } = compareWithGolden(SAMPLE_EXPECTED, result.events);
    expect(actual).toEqual(expected);
  });

  it('publishes one event per request, the unanswered one as an error with a note', async () => {
    const result = await replayCaptureDetailed(SAMPLE_CAPTURE, [{ module: templateProtocol, config }]);
    const fields = result.events.map((event) => event.fields);
    expect(fields.map((f) => f.request)).toEqual([
      'hello',
      expect.stringContaining('three segments'),
      'one',
      'two',
      'ping',
      'no answer',
    ]);
    const ok = fields.filter((f) => f.status === 'OK');
    expect(ok).toHaveLength(5);
    for (const f of ok) expect(f.response).toBe(f.request);
    const unanswered = fields.find((f) => f.request === 'no answer')!;
    expect(unanswered.status).toBe('Error');
    expect(unanswered.notes).toEqual([expect.stringMatching(/^response missing/)]);
    expect(result.counters.template).toMatchObject({ transactions: 6, missing_responses: 1, errors: 1 });
  });

  it('does not publish request and response text unless asked to', async () => {
    const events = (
      await replayCaptureDetailed(SAMPLE_CAPTURE, [
        { module: templateProtocol, config: { ports: [SAMPLE_PORT], ...SAMPLE_OPTIONS } },
      ])
    ).events;
    expect(events).toHaveLength(6);
    for (const event of events) {
      expect(event.fields.request).toBeUndefined();
      expect(event.fields.response).toBeUndefined();
    }
  });
});
