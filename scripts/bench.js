#!/usr/bin/env node
// Runs every benchmark: each package's and example's bench/*.js, in dependency order.
// Benchmarks print their own figures; this script only sequences them and fails if one fails.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const order = [
  'streambuf',
  'applayer',
  'tcp-reassembly',
  'flows',
  'protocol-echo',
  'protocol-http',
  'protocol-redis',
  'protocol-dns',
  'protocol-memcache',
  'protocol-mysql',
  'protocol-pgsql',
  'protocol-tls',
  'protocol-template',
  'publisher',
  'beat-runner',
];
const dirs = [
  ...order.map((p) => path.join(root, 'packages', p)),
  ...fs.readdirSync(path.join(root, 'examples')).map((e) => path.join(root, 'examples', e)),
];
const only = process.argv.slice(2);
let failed = 0;
for (const dir of dirs) {
  const bench = path.join(dir, 'bench');
  if (!fs.existsSync(bench)) continue;
  for (const file of fs.readdirSync(bench).sort()) {
    if (!file.endsWith('.bench.js')) continue;
    const rel = path.relative(root, path.join(bench, file));
    if (only.length && !only.some((o) => rel.includes(o))) continue;
    console.log(`\n== ${rel}`);
    const r = spawnSync(process.execPath, ['--expose-gc', path.join(bench, file)], {
      stdio: 'inherit',
      cwd: root,
    });
    if (r.status !== 0) {
      console.log(`!! ${rel} exited with ${r.status}`);
      failed++;
    }
  }
}
process.exit(failed ? 1 : 0);
