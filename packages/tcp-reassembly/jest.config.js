/** Jest project for @wirebeat/tcp-reassembly. */
module.exports = require('../../jest.preset.js')(__dirname);
