/** Jest project for @wirebeat/testing. */
module.exports = require('../../jest.preset.js')(__dirname);
