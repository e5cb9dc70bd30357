// Public API of @wirebeat/create-protocol: the generator as a library (the CLI is bin/create-protocol).
export { main } from './cli';
export { runCreateProtocol } from './run';
export type { RunContext } from './run';
export { detectSite, isBeatProject, isWirebeatMonorepo } from './detect';
export type { GenerationSite, PackageJson } from './detect';
export { planGeneration, writePlan, findBeatEntry } from './generate';
export type { GenerationPlan } from './generate';
export {
  parseCliOptions,
  parseFraming,
  parsePort,
  parseTransport,
  parsePairing,
  FRAMINGS,
  TRANSPORTS,
  PAIRINGS,
  DEFAULT_PORT,
  USAGE,
} from './options';
export type { CliOptions, Framing, GeneratorAnswers } from './options';
export {
  completeLengthFraming,
  parseLengthSize,
  parseHeaderBytes,
  parseByteOrder,
  DEFAULT_LENGTH_FRAMING,
} from './length-framing';
export type { LengthFramingAnswers } from './length-framing';
export { completeAnswers } from './prompts';
export type { PromptIo } from './prompts';
export { validateProtocolName, pascalCase, constantCase } from './names';
export { loadTemplate, findTemplateRoot, TEMPLATE_NAME, TEMPLATE_PORT } from './template';
export type { Template, TemplateFile } from './template';
export { renderTemplate, renderText, variantPath } from './render';
export { addTsconfigReference, registerProtocolInEntry, addDependencies } from './edits';
export { TOOLCHAIN_VERSIONS } from './versions';
export {
  CreateProtocolError,
  UsageError,
  InvalidNameError,
  NameTakenError,
  TargetExistsError,
  InvalidOptionError,
  TemplateMissingError,
} from './errors';
