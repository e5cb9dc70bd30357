/** Jest project for @wirebeat/protocol-memcache. */
module.exports = require('../../jest.preset.js')(__dirname);
