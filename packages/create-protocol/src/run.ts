// The generator as a function: parse flags, ask what is missing, detect the site, plan, write.
import path from 'node:path';
import { detectSite } from './detect';
import { withCloneDependencies } from './from-clone';
import { GenerationPlan, planGeneration, writePlan } from './generate';
import { USAGE, parseCliOptions } from './options';
import { PromptIo, completeAnswers } from './prompts';
import { loadTemplate } from './template';

/** Where the generator runs: its working directory and terminal. */
export interface RunContext extends PromptIo {
  cwd: string;
  /** Template folder to use instead of the installed one (tests). */
  templateRoot?: string;
}

/** Runs the generator for argv; returns what it wrote, or null when it only printed help. */
export async function runCreateProtocol(argv: string[], ctx: RunContext): Promise<GenerationPlan | null> {
  const options = parseCliOptions(argv);
  if (options.help) {
    ctx.output.write(USAGE);
    return null;
  }
  const loaded = loadTemplate(ctx.templateRoot);
  const template =
    options.fromClone === undefined
      ? loaded
      : withCloneDependencies(loaded, path.resolve(ctx.cwd, options.fromClone));
  const site = detectSite(path.resolve(ctx.cwd, options.dir ?? '.'));
  const answers = await completeAnswers(options, ctx);
  const plan = await planGeneration(answers, site, template);
  writePlan(plan);
  return plan;
}
