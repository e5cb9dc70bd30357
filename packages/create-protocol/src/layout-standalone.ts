// Standalone mode: a publishable package of its own, with its own build, lint and test setup.
import fs from 'node:fs';
import path from 'node:path';
import { TargetExistsError } from './errors';
import { GeneratorAnswers } from './options';
import { DEV_HELPERS, GenerationPlan } from './plan';
import { Template } from './template';
import {
  STANDALONE_ESLINT_CONFIG,
  STANDALONE_GITIGNORE,
  STANDALONE_JEST_CONFIG,
  STANDALONE_PRETTIERIGNORE,
  STANDALONE_PRETTIERRC,
  STANDALONE_TSCONFIG,
  STANDALONE_TSCONFIG_BUILD,
} from './standalone-files';
import { TOOLCHAIN_VERSIONS } from './versions';

/** The plan for a new package folder in `dir`. */
export function planStandalone(
  answers: GeneratorAnswers,
  dir: string,
  template: Template,
  rendered: Map<string, Buffer>,
  exportName: string,
): GenerationPlan {
  const folder = `wirebeat-protocol-${answers.name}`;
  const packageName = answers.scope ? `@${answers.scope}/${folder}` : folder;
  const target = path.join(dir, folder);
  if (fs.existsSync(target)) throw new TargetExistsError(target);
  const files = new Map<string, Buffer>();
  for (const [rel, content] of rendered) {
    const text = rel.endsWith('.md')
      ? content.toString('utf8').replace(/@wirebeat\/protocol-/g, 'wirebeat-protocol-')
      : null;
    files.set(
      path.join(target, rel),
      text === null ? content : Buffer.from(text.replaceAll(folder, packageName)),
    );
  }
  const devDependencies: Record<string, string> = { ...TOOLCHAIN_VERSIONS };
  for (const name of DEV_HELPERS) devDependencies[name] = template.pkg.devDependencies[name];
  const pkg = {
    name: packageName,
    version: '0.1.0',
    description: answers.description,
    license: 'MIT',
    keywords: ['wirebeat', 'wirebeat-protocol', 'protocol', 'analyzer', answers.name],
    engines: { node: '>=20' },
    main: 'dist/index.js',
    types: 'dist/index.d.ts',
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './package.json': './package.json',
    },
    files: ['dist/**/*.js', 'dist/**/*.d.ts'],
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      test: 'jest',
      lint: 'eslint . && prettier --check . && tsc -p tsconfig.json',
      format: 'prettier --write .',
      replay: 'tsc -p tsconfig.build.json && node scripts/replay.js',
      prepack: 'tsc -p tsconfig.build.json',
    },
    dependencies: sortKeys(template.pkg.dependencies),
    devDependencies: sortKeys(devDependencies),
  };
  const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value, null, 2) + '\n');
  files.set(path.join(target, 'package.json'), json(pkg));
  files.set(path.join(target, 'tsconfig.json'), json(STANDALONE_TSCONFIG));
  files.set(path.join(target, 'tsconfig.build.json'), json(STANDALONE_TSCONFIG_BUILD));
  files.set(path.join(target, 'jest.config.js'), Buffer.from(STANDALONE_JEST_CONFIG));
  files.set(path.join(target, 'eslint.config.js'), Buffer.from(STANDALONE_ESLINT_CONFIG));
  files.set(path.join(target, '.gitignore'), Buffer.from(STANDALONE_GITIGNORE));
  files.set(path.join(target, '.prettierrc.json'), Buffer.from(STANDALONE_PRETTIERRC));
  files.set(path.join(target, '.prettierignore'), Buffer.from(STANDALONE_PRETTIERIGNORE));
  return {
    site: { mode: 'standalone', dir },
    target,
    packageName,
    exportName,
    files,
    edits: new Map(),
    nextSteps: [
      `cd ${path.relative(process.cwd(), target) || '.'}`,
      'npm install',
      'npm test && npm run lint',
      'npm run replay -- test/captures/sample.pcap 7357   # any capture; ports after the file',
      'edit src/parser.ts: look for TODO(protocol)',
    ],
  };
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
