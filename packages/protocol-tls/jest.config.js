/** Jest project for @wirebeat/protocol-tls. */
module.exports = require('../../jest.preset.js')(__dirname);
