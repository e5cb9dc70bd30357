// Plans everything the generator writes (new files and edits to existing ones) in memory, checks
// that nothing would be overwritten, then writes. A refusal therefore leaves the disk untouched.
import fs from 'node:fs';
import path from 'node:path';
import { TargetExistsError } from './errors';
import { GenerationSite } from './detect';
import { planBeat } from './layout-beat';
import { planMonorepo } from './layout-monorepo';
import { planStandalone } from './layout-standalone';
import { GeneratorAnswers } from './options';
import { GenerationPlan } from './plan';
import { renderTemplate } from './render';
import { Template } from './template';
import { PRETTIER_OPTIONS } from './versions';

export type { GenerationPlan } from './plan';
export { findBeatEntry } from './layout-beat';

/** Builds the plan for the answers at a site. Throws (nothing written) when it cannot be done. */
export async function planGeneration(
  answers: GeneratorAnswers,
  site: GenerationSite,
  template: Template,
): Promise<GenerationPlan> {
  const rendered = renderTemplate(template.files, answers, template.pkg.description);
  const exportName = `${answers.name}Protocol`;
  let plan: GenerationPlan;
  if (site.mode === 'monorepo') plan = planMonorepo(answers, site.root, template, rendered, exportName);
  else if (site.mode === 'beat')
    plan = planBeat(answers, site.root, site.pkg, template, rendered, exportName);
  else plan = planStandalone(answers, site.dir, template, rendered, exportName);
  for (const file of plan.files.keys()) {
    if (fs.existsSync(file)) throw new TargetExistsError(file);
  }
  await formatPlan(plan);
  return plan;
}

/** Writes a plan: new files first (never overwriting), then the edits. */
export function writePlan(plan: GenerationPlan): void {
  for (const [file, content] of plan.files) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { flag: 'wx' });
  }
  for (const [file, content] of plan.edits) fs.writeFileSync(file, content);
}

/** Formats generated sources with prettier so they pass `prettier --check` whatever the name's length. */
async function formatPlan(plan: GenerationPlan): Promise<void> {
  const prettier = await import('prettier');
  const format = async (file: string, text: string): Promise<string> => {
    const config = (await prettier.resolveConfig(file)) ?? PRETTIER_OPTIONS;
    return prettier.format(text, { ...config, filepath: file });
  };
  for (const [file, content] of plan.files) {
    if (!/\.(ts|js|json|md)$/.test(file)) continue;
    const text = content.toString('utf8');
    const formatted =
      plan.site.mode === 'standalone'
        ? await prettier.format(text, { ...PRETTIER_OPTIONS, filepath: file })
        : await format(file, text);
    plan.files.set(file, Buffer.from(formatted));
  }
  for (const [file, text] of plan.edits) {
    if (/\.(ts|json)$/.test(file) && (await prettier.resolveConfigFile(file)) !== null) {
      plan.edits.set(file, await format(file, text));
    }
  }
}
