/** Jest project for the pb_echo example. */
module.exports = require('../../jest.preset.js')(__dirname);
