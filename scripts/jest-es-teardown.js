// Jest globalTeardown: stops the local Elasticsearch only if jest-es-setup.js started it.
'use strict';

const es = require('./es');

module.exports = async function jestEsTeardown() {
  if (globalThis.__wirebeatEsStarted) {
    globalThis.__wirebeatEsStarted = false;
    await es.stop();
    delete process.env.ELASTICSEARCH_URL;
    delete process.env.WIREBEAT_ES_MANAGED;
  }
};
