/** Jest project for @wirebeat/protocol-template. */
module.exports = require('../../jest.preset.js')(__dirname);
