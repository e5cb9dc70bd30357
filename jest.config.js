/** Root Jest config: one project per package and example. */
module.exports = {
  // Longest suites first (see the file): a run then ends with short suites on every worker.
  testSequencer: '<rootDir>/scripts/jest-sequencer.js',
  projects: ['<rootDir>/packages/*/jest.config.js', '<rootDir>/examples/*/jest.config.js'],
};
