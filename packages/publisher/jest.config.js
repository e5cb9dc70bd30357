/** Jest project for @wirebeat/publisher. */
module.exports = require('../../jest.preset.js')(__dirname);
