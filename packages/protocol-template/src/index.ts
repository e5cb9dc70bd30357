// Public API of @wirebeat/protocol-template: the protocol module a beat registers, plus its parts.
export { templateProtocol, parseTemplateConfig } from './template';
export type { TemplateConfig } from './template';
export { DEFAULT_PORTS, templateOptions } from './config';
export { TemplateError, TemplateConfigError } from './errors';
export { templateFields } from './fields';
export type { TemplateMessage } from './message';
export { TemplateParser } from './parser';
export { summarise } from './pub';
export type { TemplateTransaction } from './pub';
export { matches } from './trans';
