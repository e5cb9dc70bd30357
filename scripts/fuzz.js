#!/usr/bin/env node
// A longer fuzz campaign of every parser than `npm test` runs (needs a build: npx tsc -b):
// for each protocol, damaged conversations (random bytes, cuts, gaps) must not make the analyzer
// throw, and whole messages against random cuts must publish the same transactions.
// Prints cases, crashes, mismatches and peak memory; exits 1 when anything was found.
// Usage: node scripts/fuzz.js [--cases N] [--seed S] [--protocol echo|http|redis]
'use strict';

const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const load = (pkg) => require(path.join(ROOT, 'packages', pkg, 'dist'));

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

function main() {
  let testing;
  try {
    testing = load('testing');
  } catch {
    process.stderr.write('fuzz: build first (npx tsc -b)\n');
    return 1;
  }
  const cases = Number(option('cases', 20000));
  const seed = Number(option('seed', Date.now() % 0x7fffffff));
  const only = option('protocol', undefined);
  const protocols = [
    ['echo', load('protocol-echo').echoProtocol, testing.echoConversation, {}],
    [
      'http',
      load('protocol-http').httpProtocol,
      testing.httpConversation,
      { send_all_headers: true, send_request: true, send_response: true },
    ],
    [
      'redis',
      load('protocol-redis').redisProtocol,
      testing.redisConversation,
      { send_request: true, send_response: true },
    ],
  ].filter(([name]) => only === undefined || name === only);
  let peakRss = process.memoryUsage().rss;
  let found = 0;
  console.log(`fuzz: ${cases} cases per protocol, seed ${seed}`);
  for (const [name, module, generate, config] of protocols) {
    const started = process.hrtime.bigint();
    const report = testing.fuzzProtocol(module, config, generate, cases, seed);
    let mismatches = 0;
    const examples = [];
    for (let c = 0; c < cases; c++) {
      const convSeed = (seed + c * 104729) >>> 0;
      let why;
      try {
        why = testing.segmentationMismatch(
          module,
          config,
          generate(testing.seededRandom(convSeed)),
          convSeed ^ 0x5bd1e995,
        );
      } catch (err) {
        why = `threw: ${err && err.message}`;
      }
      if (why !== undefined) {
        mismatches++;
        if (examples.length < 3) examples.push(`  conversation seed ${convSeed}: ${why.split('\n')[0]}`);
      }
      if (c % 1000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(
      `${name}: ${cases} cases, ${report.crashes.length} crashes, ${report.malformed} malformed events, ` +
        `${mismatches} segmentation mismatches (${(ms / 1000).toFixed(1)} s)`,
    );
    for (const c of report.crashes.slice(0, 3)) console.log(`  crash, case seed ${c.seed}: ${c.error}`);
    for (const e of examples) console.log(e);
    found += report.crashes.length + report.malformed + mismatches;
  }
  console.log(`peak RSS ${(peakRss / 1048576).toFixed(0)} MB`);
  return found === 0 ? 0 : 1;
}

process.exitCode = main();
