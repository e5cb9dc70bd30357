// The template protocol: what it is, its options and fields, its parser, how responses pair and
// what a transaction becomes. applayer's defineProtocol does the rest (connections, correlation,
// timeouts, counters, events).
import { defineProtocol } from '@wirebeat/applayer';
import { DEFAULT_PORTS, templateOptions } from './config';
import { TemplateConfigError } from './errors';
import { templateFields } from './fields';
import type { TemplateMessage } from './message';
import { TemplateParser } from './parser';
import { summarise } from './pub';
import { matches } from './trans';

/** The template protocol: register it with a beat (`runBeat({ protocols: [templateProtocol] })`). */
export const templateProtocol = defineProtocol<typeof templateOptions, TemplateMessage, TemplateMessage>({
  name: 'template',
  description: 'Template protocol analyzer: the starting point of new wirebeat protocols.',
  ports: DEFAULT_PORTS,
  // 'tcp', 'udp' (one whole datagram per parse call) or both (the generator's --transport).
  transports: ['tcp'],
  options: templateOptions,
  fields: templateFields,
  // What dashboards show: the field counted in "top resources" and the one explaining an error.
  // TODO(protocol): the field that names what a request is about (a command, a key, a path).
  dashboard: { resource: 'template.request.type', error: 'error.message' },
  parser: (dir, tuple, config) => new TemplateParser(tuple, dir, config),
  // Responses pair in order; with --pairing key they pair with the oldest request of the same
  // pairingKey (an id both carry), the way DNS or memcached do.
  match: matches,
  transaction: summarise,
});

/** Parsed configuration: every option present, durations in milliseconds. */
export type TemplateConfig = ReturnType<typeof templateProtocol.parseConfig>;

/** Validates raw options (as written in a beat's config); throws TemplateConfigError naming each problem. */
export function parseTemplateConfig(raw: unknown = {}): TemplateConfig {
  return templateProtocol.parseConfig(raw, (message) => new TemplateConfigError(message));
}
