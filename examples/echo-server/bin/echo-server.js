#!/usr/bin/env node
// Launcher kept in git with its executable bit (dist/ is built after `npm ci` links the bins).
require('../dist/server-main.js');
