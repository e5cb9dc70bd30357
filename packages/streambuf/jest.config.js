/** Jest project for @wirebeat/streambuf. */
module.exports = require('../../jest.preset.js')(__dirname);
