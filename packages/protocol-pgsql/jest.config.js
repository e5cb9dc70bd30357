/** Jest project for @wirebeat/protocol-pgsql. */
module.exports = require('../../jest.preset.js')(__dirname);
