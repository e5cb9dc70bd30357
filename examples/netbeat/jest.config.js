/** Jest project for the netbeat example. */
module.exports = require('../../jest.preset.js')(__dirname);
