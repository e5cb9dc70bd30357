#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS WIREBEAT_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} node --max-semi-space-size=32 --min-semi-space-size=16
// Launcher kept in git with its executable bit: `npm ci` links bins before `npm run build` creates
// dist/, so a bin pointing into dist/ would not be executable. The young generation starts at 16 MB
// (a short run then needs no collection while it loads) and grows to 32 MB (per-event garbage).
// NODE_EXTRA_CA_CERTS is moved aside: Node 20 parses that file at every start (35 ms for a
// system bundle); the beat takes it back and its TLS clients trust those CAs (@wirebeat/core).
require('../dist/main.js');
