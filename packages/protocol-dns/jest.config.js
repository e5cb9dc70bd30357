/** Jest project for @wirebeat/protocol-redis. */
module.exports = require('../../jest.preset.js')(__dirname);
