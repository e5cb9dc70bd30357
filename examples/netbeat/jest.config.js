/** Jest project for the netbeat example: its Elasticsearch tests get a real cluster (scripts/jest-es-*.js). */
const path = require('path');

module.exports = {
  ...require('../../jest.preset.js')(__dirname),
  globalSetup: path.join(__dirname, '../../scripts/jest-es-setup.js'),
  globalTeardown: path.join(__dirname, '../../scripts/jest-es-teardown.js'),
};
