/** Jest project for @wirebeat/beat-runner. */
module.exports = require('../../jest.preset.js')(__dirname);
