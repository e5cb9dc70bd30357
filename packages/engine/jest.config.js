/** Jest project for @wirebeat/engine. */
module.exports = require('../../jest.preset.js')(__dirname);
