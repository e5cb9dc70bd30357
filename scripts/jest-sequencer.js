// Jest test sequencer: longest suites first, so that the run does not end with one worker busy on
// a minutes-long suite while the others idle. Jest's own order puts suites it has no timing for
// first, by file size, which on a fresh checkout (CI) starts the ones waiting on Elasticsearch
// clusters or Kafka restarts late. Here a suite's expected time is jest's recorded duration when
// there is one, else its entry in SLOW_SUITES, else a guess from its size; failed suites go first.
'use strict';

const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

const ROOT = path.resolve(__dirname, '..');

/**
 * Suites that take minutes on the 2-core CI machine, for runs without recorded timings: seconds
 * there (the first four; es-cluster measured alone on the shared machine, load about 10), the
 * others scaled from a run on a loaded machine. Only their order matters. Add a suite here when
 * it needs more than about 30 s.
 */
const SLOW_SUITES = {
  'examples/pb_echo/test/es-cluster.test.ts': 165,
  'examples/pb_echo/test/kafka-broker-restart.test.ts': 160,
  'packages/create-protocol/test/generated.test.ts': 120,
  'packages/create-protocol/test/release-rehearsal.test.ts': 120,
  'examples/pb_echo/test/kafka-cluster.test.ts': 60,
  'packages/create-protocol/test/tutorial.test.ts': 55,
  'packages/publisher/test/es-secure.test.ts': 55,
  'examples/pb_echo/test/kafka-secure.test.ts': 50,
  'examples/pb_echo/test/es-outage.test.ts': 50,
  'packages/publisher/test/es-overload.test.ts': 50,
  'packages/tcp-reassembly/test/compare-tshark.test.ts': 50,
  'packages/publisher/test/es-outage.test.ts': 45,
  'examples/pb_echo/test/es-provisional.test.ts': 30,
  'examples/pb_echo/test/golden.test.ts': 25,
  'examples/pb_echo/test/keystore.test.ts': 25,
};

/** Seconds a suite of this many bytes is taken to need when nothing better is known. */
const SECONDS_PER_BYTE = 1 / 2000;

class LongestFirstSequencer extends Sequencer {
  /** Orders the suites: failed last time first, then by expected duration, longest first. */
  sort(tests) {
    const expected = new Map();
    for (const test of tests) {
      const recorded = this.time(test);
      const hint = SLOW_SUITES[path.relative(ROOT, test.path).split(path.sep).join('/')];
      const bytes = test.context.hasteFS.getSize(test.path) ?? 0;
      expected.set(test, recorded != null ? recorded / 1000 : (hint ?? bytes * SECONDS_PER_BYTE));
      test.duration = recorded;
    }
    return [...tests].sort((a, b) => {
      const failedA = this.hasFailed(a);
      if (failedA !== this.hasFailed(b)) return failedA ? -1 : 1;
      return expected.get(b) - expected.get(a);
    });
  }
}

module.exports = LongestFirstSequencer;
