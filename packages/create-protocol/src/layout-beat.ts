// Beat mode: the protocol inside a beat built on beat-runner, registered in its entry point.
import fs from 'node:fs';
import path from 'node:path';
import { CreateProtocolError, NameTakenError, TargetExistsError } from './errors';
import { PackageJson } from './detect';
import { addDependencies, addTsconfigReference, registerProtocolInEntry } from './edits';
import { GeneratorAnswers } from './options';
import { DEV_HELPERS, GenerationPlan } from './plan';
import { isTextFile } from './render';
import { Template } from './template';
import { TOOLCHAIN_VERSIONS } from './versions';

/** The beat's entry point: the TypeScript source of its bin (or main), or a usual name. */
export function findBeatEntry(root: string, pkg: PackageJson): string {
  const built = [
    typeof pkg.bin === 'string' ? pkg.bin : pkg.bin ? Object.values(pkg.bin)[0] : undefined,
    pkg.main,
  ];
  const candidates = built
    .filter((p): p is string => typeof p === 'string')
    .map((p) =>
      p
        .replace(/^\.\//, '')
        .replace(/^(dist|lib|build)\//, 'src/')
        .replace(/\.js$/, '.ts'),
    );
  candidates.push('src/main.ts', 'src/index.ts', 'main.ts', 'index.ts');
  const existing = candidates.map((rel) => path.join(root, rel)).filter((file) => fs.existsSync(file));
  const entry = existing.find((file) => fs.readFileSync(file, 'utf8').includes('runBeat')) ?? existing[0];
  if (!entry) throw new CreateProtocolError(`cannot find the entry point of the beat in ${root}`);
  return entry;
}

/** The plan for a protocol inside the beat at `root`. */
export function planBeat(
  answers: GeneratorAnswers,
  root: string,
  pkg: PackageJson,
  template: Template,
  rendered: Map<string, Buffer>,
  exportName: string,
): GenerationPlan {
  const entry = findBeatEntry(root, pkg);
  const entryText = fs.readFileSync(entry, 'utf8');
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  for (const taken of [`@wirebeat/protocol-${answers.name}`, `wirebeat-protocol-${answers.name}`]) {
    if (deps[taken]) throw new NameTakenError(answers.name, `${pkg.name ?? root} depends on ${taken}`);
  }
  if (new RegExp(`\\b${exportName}\\b`).test(entryText)) {
    throw new NameTakenError(answers.name, `${path.relative(root, entry)} already uses ${exportName}`);
  }
  const srcDir = path.join(path.dirname(entry), 'protocols', answers.name);
  const testDir = path.join(root, 'test', 'protocols', answers.name);
  for (const dir of [srcDir, testDir]) if (fs.existsSync(dir)) throw new TargetExistsError(dir);
  const srcFromTests = path.relative(testDir, srcDir).split(path.sep).join('/');
  const files = new Map<string, Buffer>();
  for (const [rel, content] of rendered) {
    if (rel.startsWith('scripts/')) continue; // the beat itself replays captures (-I FILE)
    if (rel.startsWith('test/') && isTextFile(rel)) {
      const text = content
        .toString('utf8')
        .replace(/(['"])\.\.\/src(?=['"/])/g, (_m, quote: string) => `${quote}${srcFromTests}`);
      files.set(path.join(testDir, rel.slice('test/'.length)), Buffer.from(text));
    } else if (rel.startsWith('test/')) {
      files.set(path.join(testDir, rel.slice('test/'.length)), content);
    } else if (rel.startsWith('src/')) {
      files.set(path.join(srcDir, rel.slice('src/'.length)), content);
    } else {
      files.set(path.join(srcDir, rel), content);
    }
  }
  const edits = new Map<string, string>();
  const nextSteps: string[] = [];
  const importPath = './' + path.relative(path.dirname(entry), srcDir).split(path.sep).join('/');
  const registered = registerProtocolInEntry(entryText, exportName, importPath);
  if (registered !== null) edits.set(entry, registered);
  else
    nextSteps.push(`add ${exportName} (from '${importPath}') to the protocols given to runBeat in ${entry}`);
  const devDeps: Record<string, string> = { 'fast-check': TOOLCHAIN_VERSIONS['fast-check'] };
  for (const name of DEV_HELPERS) devDeps[name] = template.pkg.devDependencies[name];
  const pkgFile = path.join(root, 'package.json');
  const withDeps = addDependencies(fs.readFileSync(pkgFile, 'utf8'), template.pkg.dependencies, devDeps);
  if (withDeps !== null) edits.set(pkgFile, withDeps);
  addBeatTsconfigReferences(root, edits);
  nextSteps.unshift(
    'npm install                       # the protocol needs @wirebeat/applayer and streambuf',
  );
  nextSteps.push(`edit ${path.relative(root, srcDir)}/parser.ts: look for TODO(protocol)`);
  return { site: { mode: 'beat', root, pkg }, target: srcDir, exportName, files, edits, nextSteps };
}

/** A beat inside the repository references its packages: add applayer and streambuf next to beat-runner. */
function addBeatTsconfigReferences(root: string, edits: Map<string, string>): void {
  const tsconfigFile = path.join(root, 'tsconfig.json');
  if (!fs.existsSync(tsconfigFile)) return;
  let text = fs.readFileSync(tsconfigFile, 'utf8');
  let refs: Array<{ path: string }>;
  try {
    refs = (JSON.parse(text) as { references?: Array<{ path: string }> }).references ?? [];
  } catch {
    return;
  }
  const runner = refs.find((ref) => /(^|\/)beat-runner\/?$/.test(ref.path));
  if (!runner) return;
  const packagesDir = runner.path.replace(/\/?beat-runner\/?$/, '');
  for (const dep of ['streambuf', 'applayer']) {
    const next = addTsconfigReference(text, `${packagesDir}/${dep}`);
    if (next !== null) text = next;
  }
  edits.set(tsconfigFile, text);
}
