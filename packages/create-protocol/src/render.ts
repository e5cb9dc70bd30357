// Turns template files into the new protocol's files: keeps the chosen framing variant, renames
// `template` / `Template` / `TEMPLATE`, sets the port and the description. One pass per file, so
// text a replacement inserts is never rewritten again.
import { FRAMINGS, Framing, GeneratorAnswers } from './options';
import { constantCase, pascalCase } from './names';
import { TEMPLATE_NAME, TEMPLATE_PORT, TemplateFile } from './template';
import { TEMPLATE_FRAMING_DECLARATION, framingDeclaration } from './length-framing';

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
  const source = withLengthFraming(
    withTransportAndPairing(
      filePath.endsWith('.md') ? text.replace(TEMPLATE_ONLY_SECTION, '') : text,
      answers,
    ),
    answers,
  );
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

/** The template's transports line, as the template has it and as each answer writes it. */
const TEMPLATE_TRANSPORTS = "transports: ['tcp'],";
const TRANSPORTS_LINE = {
  tcp: TEMPLATE_TRANSPORTS,
  udp: "transports: ['udp'],",
  both: "transports: ['tcp', 'udp'],",
};
/** The template pairs in order; pairing by key adds this line before its proof of pairing. */
const TEMPLATE_MATCH = 'match: matches,';

/** The protocol definition with the chosen transports and pairing. */
function withTransportAndPairing(text: string, answers: GeneratorAnswers): string {
  if (!text.includes(TEMPLATE_TRANSPORTS)) return text;
  const transports = text.replace(TEMPLATE_TRANSPORTS, TRANSPORTS_LINE[answers.transport ?? 'tcp']);
  if (answers.pairing !== 'key') return transports;
  return transports
    .replace(TEMPLATE_MATCH, `pairBy: pairingKey,\n  ${TEMPLATE_MATCH}`)
    .replace("import { matches } from './trans';", "import { matches, pairingKey } from './trans';");
}

/** The length-prefixed parser with the chosen framing. */
function withLengthFraming(text: string, answers: GeneratorAnswers): string {
  if (answers.lengthFraming === undefined) return text;
  return text.replace(TEMPLATE_FRAMING_DECLARATION, framingDeclaration(answers.lengthFraming));
}

/** Tests of TCP streams (sample capture, splitting, gaps): a UDP-only protocol has none. */
const TCP_ONLY_TESTS = /^test\/(replay|replay-script|split|gap)\.test\.ts$/;

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
    if (answers.transport === 'udp' && TCP_ONLY_TESTS.test(kept)) continue;
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
