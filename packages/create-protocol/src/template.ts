// Loads the protocol template: the files of packages/protocol-template, a real package of the
// repository that is built and tested like any other, so what we copy is known to work.
import fs from 'node:fs';
import path from 'node:path';
import { TemplateMissingError } from './errors';

/** The template package's protocol name, the word every generated name replaces. */
export const TEMPLATE_NAME = 'template';
/** The template's placeholder default port. */
export const TEMPLATE_PORT = 7357;

/** One file of the template, path relative to the template root with forward slashes. */
export interface TemplateFile {
  path: string;
  content: Buffer;
}

/** The template's files plus its package.json (for the dependency versions it was tested with). */
export interface Template {
  root: string;
  files: TemplateFile[];
  pkg: { description: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
}

/** Folders and files of the template that are copied; the rest is package plumbing rewritten per mode. */
const COPIED = ['src', 'test', 'scripts', 'README.md'];

/** A file starting with this marker exists only to test the template itself and is never copied. */
export const TEMPLATE_ONLY_MARKER = '// template-only';

/**
 * The template folder: the sibling package in a repository checkout (always current), otherwise
 * `template/` next to dist, which prepack fills for the published package.
 */
export function findTemplateRoot(packageRoot = path.resolve(__dirname, '..')): string {
  const candidates = [path.join(packageRoot, '..', 'protocol-template'), path.join(packageRoot, 'template')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'src', 'index.ts')));
  if (!found)
    throw new TemplateMissingError(`protocol template not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Reads every copied file of the template into memory. */
export function loadTemplate(root = findTemplateRoot()): Template {
  const files: TemplateFile[] = [];
  const walk = (rel: string): void => {
    const abs = path.join(root, rel);
    const stat = fs.statSync(abs);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(abs).sort()) walk(rel === '' ? entry : `${rel}/${entry}`);
      return;
    }
    const content = fs.readFileSync(abs);
    if (content.subarray(0, TEMPLATE_ONLY_MARKER.length).toString('utf8') === TEMPLATE_ONLY_MARKER) return;
    files.push({ path: rel, content });
  };
  for (const entry of COPIED) {
    if (!fs.existsSync(path.join(root, entry)))
      throw new TemplateMissingError(`template incomplete: ${entry} missing in ${root}`);
    walk(entry);
  }
  let pkg: Template['pkg'];
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  } catch (err) {
    throw new TemplateMissingError(`template package.json unreadable: ${(err as Error).message}`);
  }
  return {
    root,
    files,
    pkg: {
      description: pkg.description,
      dependencies: pkg.dependencies ?? {},
      devDependencies: pkg.devDependencies ?? {},
    },
  };
}
