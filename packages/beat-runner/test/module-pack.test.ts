// The module pack of start-up: a program's modules come from one pack file from its second start
// on, behave as Node's own loader gives them, and any edit, added file or moved module makes the
// next start load files again (and repack). Separate node processes, as beats start.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const BUILT = path.resolve(__dirname, '../dist/code-cache.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'module-pack-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes `files` (path relative to `dir` -> text) and returns `dir`. */
function tree(dir: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Runs `main.js` of `dir` (it installs the cache on `cache` first); returns what it printed as JSON. */
function run(dir: string, cache: string, env: NodeJS.ProcessEnv = {}): Record<string, unknown> {
  const r = spawnSync(process.execPath, [path.join(dir, 'main.js')], {
    encoding: 'utf8',
    env: { ...process.env, WIREBEAT_CODE_CACHE: '1', ...env, PACK_CACHE: cache },
  });
  if (r.status !== 0) throw new Error(`node exited with ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** The pack file of the cache directory (one program: one pack), with its mtime; undefined when none. */
function packOf(cache: string): { file: string; mtime: number } | undefined {
  const name = fs.existsSync(cache)
    ? fs.readdirSync(cache).find((f) => f.startsWith('pack-') && !f.startsWith('pack-of-'))
    : undefined;
  if (name === undefined) return undefined;
  const file = path.join(cache, name);
  return { file, mtime: fs.statSync(file).mtimeMs };
}

const MAIN = `require(${JSON.stringify(BUILT)}).installCodeCache(process.env.PACK_CACHE);
const lib = require('./lib');
console.log(JSON.stringify(lib.report()));
`;

// Each module says where its code runs from (the pack file or its own file) and what Node gave it.
const LIB = `#!/usr/bin/env node
const a = require('./cycle-a');
const dep = require('./dep');
const where = () => new Error().stack.split('\\n')[1];
const loadingAtTop = module.loaded === false && module.exports === exports;
exports.report = () => ({
  packed: where().includes(process.env.PACK_CACHE),
  value: dep.twice(21),
  dep: require.resolve('./dep'),
  filename: __filename,
  dirname: __dirname,
  cycle: a.seen,
  cached: Object.keys(require.cache).filter((f) => f.startsWith(__dirname)).length,
  isModule: loadingAtTop && module.loaded === true,
});
`;

const FILES = {
  'main.js': MAIN,
  'lib.js': LIB,
  'dep/index.js': 'module.exports = { twice: (x) => 2 * x };\n',
  'cycle-a.js': "exports.seen = 'before'; const b = require('./cycle-b'); exports.seen = b.sawA;\n",
  'cycle-b.js': "exports.sawA = require('./cycle-a').seen;\n",
};

describe('module pack', () => {
  beforeAll(() => {
    if (!fs.existsSync(BUILT)) throw new Error(`${BUILT} missing: build first (npx tsc -b)`);
  });

  it('is written on the first start, used from the second, and gives modules what Node gives them', () => {
    const dir = tree(path.join(tmp, 'app'), FILES);
    const cache = path.join(tmp, 'cache-app');
    const first = run(dir, cache);
    expect(first).toEqual({
      packed: false,
      value: 42,
      dep: path.join(dir, 'dep/index.js'),
      filename: path.join(dir, 'lib.js'),
      dirname: dir,
      cycle: 'before',
      cached: 5,
      isModule: true,
    });
    const written = packOf(cache);
    expect(written).toBeDefined();
    // The second start runs from the pack and stores its code cache; the third leaves it as is.
    expect(run(dir, cache)).toEqual({ ...first, packed: true });
    const warm = packOf(cache)!;
    expect(warm.mtime).toBeGreaterThan(written!.mtime);
    expect(run(dir, cache)).toEqual({ ...first, packed: true });
    expect(packOf(cache)!.mtime).toBe(warm.mtime);
  });

  it('keeps text beyond Latin-1 as escapes of the same meaning, and each module its own search paths', () => {
    const text = [
      '// a comment — with → arrows',
      "const s = 'dash — arrow → λ';",
      'const re = /[—–]+/;',
      "const identity = '\\—';",
      'const π = 3;',
      'const again = require("./text-b");',
      'module.paths.push("/mutated");',
      'module.exports = { s, dashes: re.test("a–b"), identity, pi: π, paths: module.paths, other: again.paths };',
    ].join('\n');
    const dir = tree(path.join(tmp, 'text'), {
      'main.js': `require(${JSON.stringify(BUILT)}).installCodeCache(process.env.PACK_CACHE);\nconsole.log(JSON.stringify(require('./text')));\n`,
      'text.js': text,
      'text-b.js': 'module.exports = { paths: module.paths };\n',
    });
    const cache = path.join(tmp, 'cache-text');
    const first = run(dir, cache);
    expect(first).toMatchObject({ s: 'dash — arrow → λ', dashes: true, identity: '—', pi: 3 });
    const pack = packOf(cache)!;
    const bytes = fs.readFileSync(pack.file);
    const header = JSON.parse(bytes.toString('utf8', 16, 16 + bytes.readUInt32LE(8))) as { encoding: string };
    expect(header.encoding).toBe('latin1');
    expect(run(dir, cache)).toEqual(first);
    // Search paths as Node computes them; one module changing its own list leaves the other's alone.
    expect(first.other).toEqual((first.paths as string[]).slice(0, -1));
    expect((first.paths as string[]).at(-1)).toBe('/mutated');
  });

  it('loads an edited module from its file, then packs it anew', () => {
    const dir = tree(path.join(tmp, 'edit'), FILES);
    const cache = path.join(tmp, 'cache-edit');
    run(dir, cache);
    expect(run(dir, cache)).toMatchObject({ packed: true, value: 42 });
    fs.writeFileSync(path.join(dir, 'dep/index.js'), 'module.exports = { twice: (x) => 30 * x };\n');
    expect(run(dir, cache)).toMatchObject({ packed: false, value: 630 });
    expect(run(dir, cache)).toMatchObject({ packed: true, value: 630 });
  });

  it('resolves again when a file is added that a require now finds first', () => {
    const dir = tree(path.join(tmp, 'shadow'), FILES);
    const cache = path.join(tmp, 'cache-shadow');
    run(dir, cache);
    expect(run(dir, cache)).toMatchObject({ packed: true, dep: path.join(dir, 'dep/index.js') });
    fs.writeFileSync(path.join(dir, 'dep.js'), 'module.exports = { twice: (x) => 4 * x };\n');
    expect(run(dir, cache)).toMatchObject({ packed: false, value: 84, dep: path.join(dir, 'dep.js') });
  });

  it('follows a package relinked in node_modules (a workspace symlink moved to another folder)', () => {
    const dir = tree(path.join(tmp, 'relink'), {
      'main.js': `require(${JSON.stringify(BUILT)}).installCodeCache(process.env.PACK_CACHE);
console.log(JSON.stringify({ thing: require('thing') }));
`,
      'impl-a/index.js': "module.exports = 'a';\n",
      'impl-b/index.js': "module.exports = 'b';\n",
    });
    const cache = path.join(tmp, 'cache-relink');
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(path.join(dir, 'impl-a'), path.join(dir, 'node_modules/thing'));
    expect(run(dir, cache)).toEqual({ thing: 'a' });
    expect(run(dir, cache)).toEqual({ thing: 'a' });
    expect(packOf(cache)).toBeDefined();
    fs.rmSync(path.join(dir, 'node_modules/thing'));
    fs.symlinkSync(path.join(dir, 'impl-b'), path.join(dir, 'node_modules/thing'));
    expect(run(dir, cache)).toEqual({ thing: 'b' });
  });

  it('removes what was not used for a week when it writes a pack, at most once a day', () => {
    const dir = tree(path.join(tmp, 'sweep'), FILES);
    const cache = path.join(tmp, 'cache-sweep');
    fs.mkdirSync(cache, { mode: 0o700 });
    const ago = (ms: number): Date => new Date(Date.now() - ms);
    const DAY = 24 * 3600 * 1000;
    const entry = (name: string, atime: Date, mtime: Date): string => {
      const file = path.join(cache, name);
      fs.writeFileSync(file, 'x');
      fs.utimesSync(file, atime, mtime);
      return file;
    };
    const hex = (c: string, n: number): string => c.repeat(n);
    const oldPack = entry(`pack-${hex('a', 16)}`, ago(8 * DAY), ago(8 * DAY));
    const recentPack = entry(`pack-${hex('b', 16)}`, ago(8 * DAY), ago(2 * DAY));
    const oldModule = entry(hex('c', 40), ago(8 * DAY), ago(8 * DAY));
    // Made long ago but read yesterday (by a worker thread): kept.
    const readModule = entry(hex('d', 40), ago(DAY), ago(30 * DAY));
    const deadTmp = entry(`${hex('e', 40)}.123.tmp`, ago(2 * 3600 * 1000), ago(2 * 3600 * 1000));
    const liveTmp = entry(`pack-${hex('f', 16)}.456.tmp`, ago(60 * 1000), ago(60 * 1000));
    const foreign = entry('notes.txt', ago(30 * DAY), ago(30 * DAY));
    run(dir, cache);
    const exists = (files: string[]): boolean[] => files.map((f) => fs.existsSync(f));
    expect(exists([oldPack, recentPack, oldModule, readModule, deadTmp, liveTmp, foreign])).toEqual([
      false,
      true,
      false,
      true,
      false,
      true,
      true,
    ]);
    // The next pack written the same day does not look at the directory again; a day later it does.
    const another = entry(hex('9', 40), ago(8 * DAY), ago(8 * DAY));
    fs.appendFileSync(path.join(dir, 'dep/index.js'), '// edited\n');
    run(dir, cache);
    expect(exists([another])).toEqual([true]);
    fs.utimesSync(path.join(cache, '.swept'), ago(2 * DAY), ago(2 * DAY));
    fs.appendFileSync(path.join(dir, 'dep/index.js'), '// edited again\n');
    run(dir, cache);
    expect(exists([another, recentPack])).toEqual([false, true]);
  });

  it('leaves a module that calls import() to Node, and is not used with WIREBEAT_CODE_CACHE=0', () => {
    const dir = tree(path.join(tmp, 'dynamic'), {
      ...FILES,
      'dep/index.js':
        "module.exports = { twice: (x) => 2 * x, later: import('./value.mjs') };\n// import('x') in a comment line\n",
      'dep/value.mjs': 'export const v = 1;\n',
    });
    const cache = path.join(tmp, 'cache-dynamic');
    run(dir, cache);
    expect(run(dir, cache)).toMatchObject({ packed: true, value: 42 });
    const off = path.join(tmp, 'cache-off');
    expect(run(dir, off, { WIREBEAT_CODE_CACHE: '0' })).toMatchObject({ packed: false, value: 42 });
    expect(packOf(off)).toBeUndefined();
  });
});
