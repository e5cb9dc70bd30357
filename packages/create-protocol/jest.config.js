/** Jest project for @wirebeat/create-protocol. */
module.exports = require('../../jest.preset.js')(__dirname);
