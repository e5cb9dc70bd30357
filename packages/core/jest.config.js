/** Jest project for @wirebeat/core. */
module.exports = require('../../jest.preset.js')(__dirname);
