// Jest globalTeardown: stops the local Elasticsearch only if jest-es-setup.js started it and no
// other live test run holds a lease on it.
'use strict';

const fs = require('fs');
const path = require('path');
const es = require('./es');
const { leaseDir } = require('./jest-es-setup');

module.exports = async function jestEsTeardown() {
  if (process.env.WIREBEAT_ES_MANAGED !== '1') return;
  const dir = leaseDir();
  fs.rmSync(path.join(dir, String(process.pid)), { force: true });
  const others = (fs.existsSync(dir) ? fs.readdirSync(dir) : []).filter((f) => es.alive(Number(f)));
  if (globalThis.__wirebeatEsStarted && others.length === 0) {
    await es.stop();
    delete process.env.ELASTICSEARCH_URL;
    delete process.env.WIREBEAT_ES_MANAGED;
  }
  globalThis.__wirebeatEsStarted = false;
};
