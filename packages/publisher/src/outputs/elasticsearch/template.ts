// The composable index template: explicit mappings built from field definitions, so a protocol gets
// its mapping from the `fields` it declares.
import { FieldMappingError } from '../../errors';
import type { FieldDefinition, FieldType } from '../../types';
import { commonFields } from '@wirebeat/core';

/** A mapping node: a leaf with a type, or an object with properties. */
export interface MappingProperty {
  type?: string;
  ignore_above?: number;
  properties?: Record<string, MappingProperty>;
}

/** Template options resolved from `setup.template`. */
export interface IndexTemplateOptions {
  pattern: string;
  beatName: string;
  beatVersion: string;
  numberOfShards: number;
  numberOfReplicas?: number;
  refreshInterval: string;
}

function leaf(type: FieldType): MappingProperty {
  if (type === 'keyword') return { type: 'keyword', ignore_above: 1024 };
  if (type === 'object') return { properties: {} };
  return { type };
}

/** Turns dotted field names into nested `properties`; later definitions override earlier ones. */
export function buildProperties(fields: readonly FieldDefinition[]): Record<string, MappingProperty> {
  const root: Record<string, MappingProperty> = {};
  for (const f of fields) {
    const parts = f.name.split('.');
    let props = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const name = parts[i];
      const node = props[name] ?? (props[name] = { properties: {} });
      if (!node.properties) {
        throw new FieldMappingError(
          `field ${f.name}: ${parts.slice(0, i + 1).join('.')} is a ${node.type}, not an object`,
        );
      }
      props = node.properties;
    }
    const last = parts[parts.length - 1];
    const existing = props[last];
    if (existing?.properties && Object.keys(existing.properties).length > 0 && f.type !== 'object') {
      throw new FieldMappingError(`field ${f.name}: declared ${f.type} but other fields are nested under it`);
    }
    if (f.type === 'object' && existing?.properties) continue;
    props[last] = leaf(f.type);
  }
  return root;
}

/** The `_index_template` body for the given fields (common fields are always included). */
export function buildIndexTemplate(fields: readonly FieldDefinition[], opts: IndexTemplateOptions): object {
  const settings: Record<string, unknown> = {
    number_of_shards: opts.numberOfShards,
    refresh_interval: opts.refreshInterval,
    'mapping.total_fields.limit': 10_000,
  };
  if (opts.numberOfReplicas !== undefined) settings.number_of_replicas = opts.numberOfReplicas;
  else settings.auto_expand_replicas = '0-1';
  return {
    index_patterns: [opts.pattern],
    // Above the built-in templates (100) so that a broad pattern of ours still wins.
    priority: 200,
    template: {
      settings: { index: settings },
      mappings: {
        date_detection: false,
        dynamic_templates: [
          {
            strings_as_keyword: {
              match_mapping_type: 'string',
              mapping: { type: 'keyword', ignore_above: 1024 },
            },
          },
        ],
        properties: buildProperties([...commonFields, ...fields]),
      },
    },
    _meta: {
      description: `wirebeat events of ${opts.beatName} ${opts.beatVersion}`,
      beat: opts.beatName,
      version: opts.beatVersion,
      managed_by: 'wirebeat',
    },
  };
}
