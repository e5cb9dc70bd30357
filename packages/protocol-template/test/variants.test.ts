// template-only: this file is not copied into generated packages.
// Runs the package's own replay, splitting and gap tests once more for each other framing, with
// src/parser.ts and test/wire.ts swapped for that framing's files, so every variant the
// generator can produce is tested here.
/* eslint-disable @typescript-eslint/no-require-imports -- the tests must load inside isolateModules */
const OTHER_FRAMINGS = ['length', 'custom'];

for (const framing of OTHER_FRAMINGS) {
  describe(`${framing} framing`, () => {
    jest.isolateModules(() => {
      jest.doMock('../src/parser', () => jest.requireActual(`../src/parser-${framing}`));
      jest.doMock('./wire', () => jest.requireActual(`./wire-${framing}`));
      require('./replay.test');
      require('./split.test');
      require('./gap.test');
    });
  });
}
