/** Jest project for @wirebeat/flows. */
module.exports = require('../../jest.preset.js')(__dirname);
