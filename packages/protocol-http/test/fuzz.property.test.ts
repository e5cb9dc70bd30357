// Segmentation-independent events and fuzzing (seeded, so a failure names its reproducing seeds):
// the same bytes in whole messages and cut at random places publish the same transactions, and
// damaged conversations (random bytes, cuts, gaps) never make the analyzer throw.
import fc from 'fast-check';
import { httpProtocol } from '@wirebeat/protocol-http';
import { httpConversation, fuzzProtocol, segmentationMismatch, seededRandom } from '@wirebeat/testing';

const CONFIG = { send_all_headers: true, send_request: true, send_response: true };

describe('http: segmentation and fuzzing', () => {
  it('whole segments and random cuts publish the same transactions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0x7fffffff }),
        fc.integer({ min: 1, max: 0x7fffffff }),
        (conv, cut) => {
          const messages = httpConversation(seededRandom(conv));
          expect(segmentationMismatch(httpProtocol, CONFIG, messages, cut)).toBeUndefined();
        },
      ),
      { seed: 20261206, numRuns: 300 },
    );
  });

  it('damaged conversations never make the analyzer throw', () => {
    const report = fuzzProtocol(httpProtocol, CONFIG, httpConversation, 300, 20261206);
    expect(report.crashes).toEqual([]);
    expect(report.malformed).toBe(0);
  });
});
