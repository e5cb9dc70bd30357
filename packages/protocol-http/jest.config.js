/** Jest project for @wirebeat/protocol-http. */
module.exports = require('../../jest.preset.js')(__dirname);
