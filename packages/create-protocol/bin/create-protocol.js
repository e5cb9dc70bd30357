#!/usr/bin/env node
// Launcher kept in git with its executable bit: `npm ci` links bins before `npm run build` creates
// dist/, and npm does not link a bin whose file does not exist yet.
require('../dist/cli.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
