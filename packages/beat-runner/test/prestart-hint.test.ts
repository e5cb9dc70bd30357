// The command line's hint for prestarting engine workers (workers/prestart-hint.ts).
import { autoWorkers, discardPrestarted, prestartedWorkers } from '@wirebeat/engine';
import { prestartReplayWorkers, replayWorkersHint } from '../src/workers/prestart-hint';

describe('replayWorkersHint', () => {
  it('reads the engines of a top-speed replay with a workers setting, in any order', () => {
    expect(replayWorkersHint(['-I', 'a.pcap', '-t', '-E', 'pb_echo.workers=2'])).toBe(2);
    expect(replayWorkersHint(['-E', 'netbeat.workers=3', '-t', '-Ia.pcap'])).toBe(3);
    expect(replayWorkersHint(['-I', 'a.pcap', '-t', '-Epb_echo.workers=auto'])).toBe(autoWorkers());
    // The last setting counts, as in the config.
    expect(replayWorkersHint(['-I', 'a', '-t', '-E', 'b.workers=4', '-E', 'b.workers=1'])).toBe(1);
  });

  it('is 1 for live capture, a paced replay, no setting, or a key that is not the beat`s workers', () => {
    expect(replayWorkersHint(['-i', 'lo', '-E', 'pb_echo.workers=2'])).toBe(1);
    expect(replayWorkersHint(['-I', 'a.pcap', '-E', 'pb_echo.workers=2'])).toBe(1);
    expect(replayWorkersHint(['-I', 'a.pcap', '-t'])).toBe(1);
    expect(replayWorkersHint(['-I', 'a.pcap', '-t', '-E', 'output.es.workers=2'])).toBe(1);
    // A file named like an option is the -I value, not -t.
    expect(replayWorkersHint(['-I', '-t', '-E', 'pb_echo.workers=2'])).toBe(1);
  });
});

describe('prestartReplayWorkers', () => {
  afterEach(() => discardPrestarted());

  it('prestarts all but the main thread`s engine, and nothing without the hint', () => {
    prestartReplayWorkers(['-I', 'a.pcap', '-t']);
    expect(prestartedWorkers()).toBe(0);
    prestartReplayWorkers(['-I', 'a.pcap', '-t', '-E', 'pb_echo.workers=3']);
    expect(prestartedWorkers()).toBe(2);
  });
});
