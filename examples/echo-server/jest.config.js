/** Jest project for the echo-server example. */
module.exports = require('../../jest.preset.js')(__dirname);
