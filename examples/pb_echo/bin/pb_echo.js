#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS WIREBEAT_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} node --max-semi-space-size=32 --min-semi-space-size=16
// Launcher kept in git with its executable bit: `npm ci` links bins before `npm run build` creates
// dist/, so a bin pointing into dist/ would not be executable. A larger young generation suits a
// beat's many short-lived per-event objects (about 10% less CPU on the synthetic benchmark); starting
// it at 16 MB spares a short run the 8 collections of a young generation growing from 1 MB (20 ms).
// NODE_EXTRA_CA_CERTS is moved aside: Node 20 parses that file at every start (35 ms for a
// system bundle); the beat takes it back and its TLS clients trust those CAs (@wirebeat/core).
require('../dist/main.js');
