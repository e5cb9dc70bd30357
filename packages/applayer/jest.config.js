/** Jest project for @wirebeat/applayer. */
module.exports = require('../../jest.preset.js')(__dirname);
