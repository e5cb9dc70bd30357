// Monorepo mode: packages/protocol-<name> in the wirebeat repository, added to the root tsconfig.
import fs from 'node:fs';
import path from 'node:path';
import { NameTakenError, TargetExistsError } from './errors';
import { PackageJson, readPackageJson } from './detect';
import { addTsconfigReference } from './edits';
import { GeneratorAnswers } from './options';
import { GenerationPlan } from './plan';
import { renderText } from './render';
import { Template } from './template';

/** The plan for a new package of the repository at `root`. */
export function planMonorepo(
  answers: GeneratorAnswers,
  root: string,
  template: Template,
  rendered: Map<string, Buffer>,
  exportName: string,
): GenerationPlan {
  const folder = `protocol-${answers.name}`;
  const packageName = `@wirebeat/${folder}`;
  const packagesDir = path.join(root, 'packages');
  for (const dir of fs.readdirSync(packagesDir)) {
    if (readPackageJson(path.join(packagesDir, dir))?.name === packageName) {
      throw new NameTakenError(answers.name, `packages/${dir} is ${packageName}`);
    }
  }
  const target = path.join(packagesDir, folder);
  if (fs.existsSync(target)) throw new TargetExistsError(target);
  const files = new Map<string, Buffer>();
  for (const [rel, content] of rendered) files.set(path.join(target, rel), content);
  const renderPlumbing = (rel: string): string =>
    renderText(
      fs.readFileSync(path.join(template.root, rel), 'utf8'),
      rel,
      answers,
      template.pkg.description,
    );
  const pkg = JSON.parse(renderPlumbing('package.json')) as PackageJson & {
    repository?: { directory?: string };
  };
  delete pkg.private;
  pkg.version = '0.1.0';
  if (pkg.repository) pkg.repository.directory = `packages/${folder}`;
  files.set(path.join(target, 'package.json'), Buffer.from(JSON.stringify(pkg, null, 2) + '\n'));
  for (const rel of ['tsconfig.json', 'jest.config.js'])
    files.set(path.join(target, rel), Buffer.from(renderPlumbing(rel)));
  const license = path.join(root, 'LICENSE');
  if (fs.existsSync(license)) files.set(path.join(target, 'LICENSE'), fs.readFileSync(license));
  const edits = new Map<string, string>();
  const rootTsconfig = path.join(root, 'tsconfig.json');
  const withRef = addTsconfigReference(fs.readFileSync(rootTsconfig, 'utf8'), `packages/${folder}`);
  if (withRef !== null) edits.set(rootTsconfig, withRef);
  return {
    site: { mode: 'monorepo', root },
    target,
    packageName,
    exportName,
    files,
    edits,
    nextSteps: [
      `npm install                       # links ${packageName} into the workspace`,
      `npx tsc -b packages/${folder} && npx jest --selectProjects ${packageName}`,
      `edit packages/${folder}/src/parser.ts: look for TODO(protocol)`,
    ],
  };
}
