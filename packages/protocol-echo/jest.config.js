/** Jest project for @wirebeat/protocol-echo. */
module.exports = require('../../jest.preset.js')(__dirname);
