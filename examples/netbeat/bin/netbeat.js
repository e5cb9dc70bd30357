#!/usr/bin/env -S node --max-semi-space-size=32 --min-semi-space-size=16
// Launcher kept in git with its executable bit: `npm ci` links bins before `npm run build` creates
// dist/, so a bin pointing into dist/ would not be executable. The young generation starts at 16 MB
// (a short run then needs no collection while it loads) and grows to 32 MB (per-event garbage).
require('../dist/main.js');
