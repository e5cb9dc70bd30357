// The code cache of start-up: separate node processes (as beats start) load modules through it;
// the second one takes the code the first one left, an edited module is compiled anew, modules
// with a #! line or import() still work, and a directory others can write to is not used.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const BUILT = path.resolve(__dirname, '../dist/code-cache.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'code-cache-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs node: installs the cache on `dir`, requires `main`, prints what it exports as JSON. */
function run(dir: string, main: string): { out: string; err: string } {
  const script =
    `require(${JSON.stringify(BUILT)}).installCodeCache(${JSON.stringify(dir)});` +
    `Promise.resolve(require(${JSON.stringify(main)})).then((v) => console.log(JSON.stringify(v)));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node exited with ${r.status}: ${r.stderr}`);
  return { out: r.stdout.trim(), err: r.stderr };
}

/** The cache files and their modification times. */
function entries(dir: string): Record<string, number> {
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));
}

describe('code cache', () => {
  beforeAll(() => {
    if (!fs.existsSync(BUILT)) throw new Error(`${BUILT} missing: build first (npx tsc -b)`);
  });

  it('fills on the first start, is read as is on the next, and compiles an edited module anew', () => {
    const dir = path.join(tmp, 'cache');
    const lib = path.join(tmp, 'lib.js');
    const main = path.join(tmp, 'main.js');
    fs.writeFileSync(lib, 'exports.twice = (x) => 2 * x;\n');
    fs.writeFileSync(
      main,
      `#!/usr/bin/env node\nmodule.exports = { v: require('./lib').twice(21), dir: __dirname, lib: require.resolve('./lib') };\n`,
    );
    expect(JSON.parse(run(dir, main).out)).toEqual({ v: 42, dir: tmp, lib });
    const first = entries(dir);
    expect(Object.keys(first)).toHaveLength(2);
    expect(JSON.parse(run(dir, main).out).v).toBe(42);
    expect(entries(dir)).toEqual(first);
    fs.writeFileSync(lib, 'exports.twice = (x) => 3 * x;\n');
    expect(JSON.parse(run(dir, main).out).v).toBe(63);
    expect(Object.keys(entries(dir))).toHaveLength(3);
  });

  it('leaves modules that use import() to Node', () => {
    const dir = path.join(tmp, 'cache-import');
    const esm = path.join(tmp, 'value.mjs');
    const cjs = path.join(tmp, 'dynamic.js');
    fs.writeFileSync(esm, 'export const value = 7;\n');
    fs.writeFileSync(cjs, `module.exports = import('./value.mjs').then((m) => m.value);\n`);
    expect(run(dir, cjs).out).toBe('7');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('leaves ES modules that require() loads to Node (the Kafka client is one)', () => {
    const dir = path.join(tmp, 'cache-esm');
    const pkg = path.join(tmp, 'esm-pkg');
    fs.mkdirSync(pkg);
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"type":"module","main":"index.js"}\n');
    fs.writeFileSync(path.join(pkg, 'index.js'), 'export const value = 8;\n');
    const main = path.join(tmp, 'requires-esm.js');
    fs.writeFileSync(main, `module.exports = require('./esm-pkg').value;\n`);
    expect(run(dir, main).out).toBe('8');
    // The CommonJS file that required it is cached; the ES module is not.
    expect(fs.readdirSync(dir)).toHaveLength(1);
  });

  it('does not use a directory others may write to', () => {
    const dir = path.join(tmp, 'open');
    fs.mkdirSync(dir, { mode: 0o777 });
    fs.chmodSync(dir, 0o777);
    const lib = path.join(tmp, 'plain.js');
    fs.writeFileSync(lib, 'module.exports = 5;\n');
    expect(run(dir, lib).out).toBe('5');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
