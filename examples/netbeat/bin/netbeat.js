#!/usr/bin/env -S node --max-semi-space-size=32
// Launcher kept in git with its executable bit: `npm ci` links bins before `npm run build` creates
// dist/, so a bin pointing into dist/ would not be executable.
require('../dist/main.js');
