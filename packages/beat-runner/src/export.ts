// `export config` and `export template`: what the beat would run with, printed instead of run.
import {
  buildIndexTemplate,
  templateNames,
  type FieldDefinition,
  type TemplateConfig,
} from '@wirebeat/publisher';
import { yaml } from './config/yaml';

const SECRET_KEYS = /^(password|api_key|passphrase|token|secret|key_passphrase)$/i;
/** What a secret is replaced with. */
export const MASK = '[redacted]';

/** A copy of the config with every secret value (password, api_key, ...) masked. */
export function maskSecrets(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/^([a-z]+:\/\/[^:/@\s]+):[^@/\s]+@/i, `$1:${MASK}@`);
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEYS.test(k) && v !== null && typeof v !== 'object') out[k] = MASK;
    else out[k] = maskSecrets(v);
  }
  return out;
}

/** The config as YAML with secrets masked. */
export function exportConfig(raw: Record<string, unknown>): string {
  return yaml().stringify(maskSecrets(raw));
}

/** The index template body (as `setup` installs it) as indented JSON. */
export function exportTemplate(
  fields: FieldDefinition[],
  template: TemplateConfig,
  beatName: string,
  beatVersion: string,
): string {
  const { pattern } = templateNames(template, beatName, beatVersion);
  const body = buildIndexTemplate(fields, {
    pattern,
    beatName,
    beatVersion,
    numberOfShards: template.settings.number_of_shards,
    numberOfReplicas: template.settings.number_of_replicas,
    refreshInterval: template.settings.refresh_interval,
  });
  return JSON.stringify(body, null, 2) + '\n';
}
