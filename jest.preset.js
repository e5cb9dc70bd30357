// Shared Jest settings: every package and example is one Jest project.
// Tests import sibling packages from their TypeScript sources (moduleNameMapper) so that
// `jest` needs no prior build for unit tests; type checking is done by `tsc -b` and lint.
const path = require('path');

module.exports = function preset(dir) {
  const name = require(path.join(dir, 'package.json')).name;
  return {
    displayName: name,
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.jest.json') }],
    },
    moduleNameMapper: {
      '^@wirebeat/([a-z0-9-]+)$': path.join(__dirname, 'packages/$1/src/index.ts'),
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
  };
};
