#!/usr/bin/env node
// Checks that every package's package.json matches what its code imports: each package imported by
// src/ is in dependencies (or optional/peer dependencies), each one imported by test/, scripts/ or
// bin/ is in dependencies, devDependencies or the root's devDependencies (shared tooling), and
// nothing in dependencies goes unused by src/. Benchmarks (bench/) run only in the repository and
// compare packages, so they may also use any workspace package. Prints one line per problem and
// exits 1 if there is any.
const fs = require('fs');
const path = require('path');
const { builtinModules } = require('module');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
const rootPkg = readJson(path.join(root, 'package.json'));
const BUILTINS = new Set(builtinModules);

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Files with code under dir (ts and js), recursively, skipping dist, fixtures and node_modules. */
function codeFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'fixtures', 'captures'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...codeFiles(full));
    else if (/\.(ts|js|cjs|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The package a specifier names: '@scope/name' or 'name', without a subpath. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Packages imported by the files, each with one file that imports it. */
function importsOf(files) {
  const found = new Map();
  for (const file of files) {
    // The compiler's own scanner: imports, exports, import() and require(), not text in strings.
    const text = fs.readFileSync(file, 'utf8');
    const { importedFiles } = ts.preProcessFile(text, true, true);
    // A beat's built-in `{ name: 'http', package: '@wirebeat/protocol-http' }` in its src/ requires
    // that package when its config runs the protocol: the package is imported, by name (comment lines aside).
    const calls = /[/\\]src[/\\]/.test(file) ? text.replace(/^\s*(\/\/|\*).*$/gm, '') : '';
    const byName = [...calls.matchAll(/\bname: '[^']*',\s*package: '([^']+)'/g)].map((m) => ({
      fileName: m[1],
    }));
    for (const { fileName: spec } of [...importedFiles, ...byName]) {
      if (
        spec.startsWith('.') ||
        spec.startsWith('/') ||
        spec.startsWith('node:') ||
        BUILTINS.has(spec.split('/')[0])
      )
        continue;
      const pkg = packageOf(spec);
      if (!found.has(pkg)) found.set(pkg, file);
    }
  }
  return found;
}

function check(dir) {
  const pkgFile = path.join(dir, 'package.json');
  if (!fs.existsSync(pkgFile)) return [];
  const pkg = readJson(pkgFile);
  const deps = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  const devDeps = new Set([
    ...Object.keys(pkg.devDependencies ?? {}),
    ...Object.keys(rootPkg.devDependencies ?? {}),
  ]);
  const problems = [];
  const rel = (file) => path.relative(root, file);
  const srcImports = importsOf(codeFiles(path.join(dir, 'src')));
  for (const [name, file] of srcImports) {
    if (name === pkg.name) continue;
    if (!deps.has(name)) problems.push(`${pkg.name}: ${rel(file)} imports ${name}, not in dependencies`);
  }
  const otherFiles = ['test', 'scripts', 'bin'].flatMap((d) => codeFiles(path.join(dir, d)));
  for (const [name, file] of importsOf(otherFiles)) {
    if (name === pkg.name || deps.has(name) || devDeps.has(name)) continue;
    problems.push(`${pkg.name}: ${rel(file)} imports ${name}, not in dependencies or devDependencies`);
  }
  for (const [name, file] of importsOf(codeFiles(path.join(dir, 'bench')))) {
    if (name === pkg.name || deps.has(name) || devDeps.has(name) || workspace.has(name)) continue;
    problems.push(`${pkg.name}: ${rel(file)} imports ${name}, not a dependency nor a workspace package`);
  }
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    if (!srcImports.has(name)) problems.push(`${pkg.name}: depends on ${name}, which src/ never imports`);
  }
  return problems;
}

const dirs = ['packages', 'examples'].flatMap((group) =>
  fs.readdirSync(path.join(root, group)).map((name) => path.join(root, group, name)),
);
const workspace = new Set(
  dirs
    .filter((d) => fs.existsSync(path.join(d, 'package.json')))
    .map((d) => readJson(path.join(d, 'package.json')).name),
);
const problems = dirs.flatMap(check);
for (const line of problems) console.error(line);
if (problems.length > 0) process.exit(1);
console.log(`dependencies match imports in ${dirs.length} packages`);
