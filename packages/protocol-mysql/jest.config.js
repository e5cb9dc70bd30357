/** Jest project for @wirebeat/protocol-mysql. */
module.exports = require('../../jest.preset.js')(__dirname);
