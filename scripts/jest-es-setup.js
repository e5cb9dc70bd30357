// Jest globalSetup: provides a real Elasticsearch to the tests of a project.
// ELASTICSEARCH_URL set: used as is. Otherwise our local instance (scripts/es.js) is started, or
// reused when our pid file shows it running, and its URL exported for the workers.
// A failure to start does not abort the other projects' tests: the reason goes into
// WIREBEAT_ES_ERROR and every Elasticsearch test fails with it (see requireElasticsearch()).
// Each run using our instance leaves a lease (a file named after its pid) so that a concurrent
// run's teardown does not stop the cluster under it.
'use strict';

const fs = require('fs');
const path = require('path');
const es = require('./es');

/** Folder of the leases on our instance. */
function leaseDir() {
  return path.join(es.stateDir(Number(process.env.ES_PORT || 9200)), 'leases');
}

module.exports = async function jestEsSetup() {
  if (process.env.ELASTICSEARCH_URL) {
    process.env.WIREBEAT_ES_MANAGED = process.env.WIREBEAT_ES_MANAGED || '0';
    return;
  }
  try {
    const r = await es.start();
    process.env.ELASTICSEARCH_URL = r.url;
    process.env.WIREBEAT_ES_MANAGED = '1';
    fs.mkdirSync(leaseDir(), { recursive: true });
    fs.writeFileSync(path.join(leaseDir(), String(process.pid)), '');
    // Shared with globalTeardown (same context): stop only what this run started.
    globalThis.__wirebeatEsStarted = r.started;
  } catch (e) {
    process.env.WIREBEAT_ES_ERROR = `Elasticsearch could not be started: ${e && e.message}`;
    process.stderr.write(`\n${process.env.WIREBEAT_ES_ERROR}\n`);
  }
};

module.exports.leaseDir = leaseDir;
