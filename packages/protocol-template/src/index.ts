// Public API of @wirebeat/protocol-template: the protocol module a beat registers, plus its parts.
import type { ProtocolContext, ProtocolModule } from '@wirebeat/applayer';
import { DEFAULT_PORTS, TemplateConfig, templateConfigSchema } from './config';
import { templateFields } from './fields';
import { TemplatePlugin } from './template';

/** The template protocol: register it with a beat (`runBeat({ protocols: [templateProtocol] })`). */
export const templateProtocol: ProtocolModule<TemplateConfig> = {
  name: 'template',
  defaultPorts: DEFAULT_PORTS,
  description: 'Template protocol analyzer: the starting point of new wirebeat protocols.',
  configSchema: templateConfigSchema,
  fields: templateFields,
  create: (config: TemplateConfig, ctx: ProtocolContext) => new TemplatePlugin(config, ctx),
};

export {
  DEFAULT_PORTS,
  DEFAULT_MAX_MESSAGE_BYTES,
  templateConfigSchema,
  parseTemplateConfig,
} from './config';
export { TemplateError, TemplateConfigError } from './errors';
export type { TemplateConfig } from './config';
export { templateFields } from './fields';
export type { TemplateMessage } from './message';
export { TemplateParser } from './parser';
export type { ParserOptions } from './parser';
export { TemplatePlugin, TemplateConnection } from './template';
export { createEvent, createEventBuilder, transactionStatus } from './pub';
export { createCorrelator } from './trans';
export type { TemplateTransaction } from './trans';
