// Turns template files into the new protocol's files: keeps the chosen framing variant, renames
// `template` / `Template` / `TEMPLATE`, sets the port and the description. One pass per file, so
// text a replacement inserts is never rewritten again.
import { FRAMINGS, Framing, GeneratorAnswers } from './options';
import { constantCase, pascalCase } from './names';
import { TEMPLATE_NAME, TEMPLATE_PORT, TemplateFile } from './template';

const TEXT_EXTENSIONS = /\.(ts|js|json|md|ndjson|txt)$/;

/** True for files the generator rewrites as text (captures and other binaries are copied as is). */
export function isTextFile(filePath: string): boolean {
  return TEXT_EXTENSIONS.test(filePath);
}
const VARIANT_FILE = new RegExp(`-(${FRAMINGS.join('|')})(?=\\.[^/]*$)`);

/** Escapes a literal for use inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A file name with `-newline` (etc.) removed when it is the chosen variant; null for other variants. */
export function variantPath(filePath: string, framing: Framing): string | null {
  const match = VARIANT_FILE.exec(filePath);
  if (!match) return filePath;
  if (match[1] !== framing) return null;
  return filePath.slice(0, match.index) + filePath.slice(match.index + match[0].length);
}

/** Replaces the protocol name in a path (file names such as `src/template.ts`). */
export function renamePath(filePath: string, name: string): string {
  return filePath.replace(/template/g, name);
}

/** Sections of the template's Markdown that describe the template itself, not the new protocol. */
const TEMPLATE_ONLY_SECTION = /<!-- template-only -->[\s\S]*?<!-- \/template-only -->\n*/g;

/** Renders the text of one template file for the given answers. */
export function renderText(
  text: string,
  filePath: string,
  answers: GeneratorAnswers,
  templateDescription: string,
): string {
  const pascal = pascalCase(answers.name);
  const constant = constantCase(answers.name);
  const setsPort = /(^|\/)(config\.ts|README\.md)$/.test(filePath);
  const description = answers.description;
  const quotedDescription = filePath.endsWith('.ts')
    ? `'${description.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
    : JSON.stringify(description);
  const patterns: string[] = [
    `'${escapeRegExp(templateDescription)}'`,
    `"${escapeRegExp(templateDescription)}"`,
    escapeRegExp(templateDescription),
    `\\b(?:parser|wire|sample)-(?:${FRAMINGS.join('|')})\\b`,
    'Template',
    'TEMPLATE',
    'template',
  ];
  if (setsPort) patterns.push(`\\b${TEMPLATE_PORT}\\b`);
  const combined = new RegExp(patterns.join('|'), 'g');
  const source = filePath.endsWith('.md') ? text.replace(TEMPLATE_ONLY_SECTION, '') : text;
  return source.replace(combined, (match) => {
    if (match === `'${templateDescription}'` || match === `"${templateDescription}"`)
      return quotedDescription;
    if (match === templateDescription) return description;
    if (match === 'Template') return pascal;
    if (match === 'TEMPLATE') return constant;
    if (match === TEMPLATE_NAME) return answers.name;
    if (match === String(TEMPLATE_PORT)) return String(answers.port);
    return match.replace(new RegExp(`-(?:${answers.framing})$`), '');
  });
}

/** Renders the template for the answers: new relative paths and contents, other variants dropped. */
export function renderTemplate(
  files: TemplateFile[],
  answers: GeneratorAnswers,
  templateDescription: string,
): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const variants: Array<[string, Buffer]> = [];
  for (const file of files) {
    const kept = variantPath(file.path, answers.framing);
    if (kept === null) continue;
    const target = renamePath(kept, answers.name);
    const content = TEXT_EXTENSIONS.test(file.path)
      ? Buffer.from(renderText(file.content.toString('utf8'), target, answers, templateDescription), 'utf8')
      : file.content;
    // The chosen variant replaces the template's default file of the same name (parser.ts re-exports one).
    if (kept !== file.path) variants.push([target, content]);
    else if (!out.has(target)) out.set(target, content);
  }
  for (const [target, content] of variants) out.set(target, content);
  return out;
}
