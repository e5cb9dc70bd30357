// output.elasticsearch.index as Beats writes it: `%{[agent.version]}`, `%{[agent.name]}`,
// `%{[beat.name]}`... are replaced once at start (they do not change during a run), `%{+yyyy.MM.dd}`
// stays for the output's daily names. An index the template pattern does not cover would be
// created without our mappings, so it is refused at start, as Beats does.
import { templateNames, type ElasticsearchOutputConfig, type TemplateConfig } from '@wirebeat/publisher';
import { IndexSettingError } from './errors';

/** Values of the placeholders, per field name as written between `%{[` and `]}`. */
export interface IndexFieldValues {
  /** The beat's type (`pb_echo`). */
  beatType: string;
  beatVersion: string;
  /** The shipper's name (the `name` setting, default the host name). */
  agentName: string;
}

/** Replaces every `%{[field]}`; an unknown field is an IndexSettingError naming the setting. */
export function resolveIndexFields(text: string, v: IndexFieldValues, setting: string): string {
  const known: Record<string, string> = {
    'agent.type': v.beatType,
    'agent.version': v.beatVersion,
    'agent.name': v.agentName,
    'beat.name': v.agentName,
    'beat.version': v.beatVersion,
    'observer.version': v.beatVersion,
    'host.name': v.agentName,
  };
  return text.replace(/%\{\[([^\]]*)\]\}/g, (whole, field: string) => {
    const value = known[field];
    if (value === undefined)
      throw new IndexSettingError(
        `${setting} "${text}": ${whole} is not known at start (use ${Object.keys(known)
          .map((k) => `%{[${k}]}`)
          .join(', ')}, %{beat}, %{version} or %{+yyyy.MM.dd})`,
      );
    return value;
  });
}

/** Glob match with `*` only, as index patterns are. */
export function globMatches(pattern: string, text: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
  );
  return re.test(text);
}

/**
 * Resolves the index name and template name/pattern placeholders of an Elasticsearch output and
 * checks that the template pattern covers every index the output will write to.
 */
export function prepareIndexSettings(
  es: ElasticsearchOutputConfig,
  template: TemplateConfig,
  v: IndexFieldValues,
): { es: ElasticsearchOutputConfig; template: TemplateConfig } {
  const index = resolveIndexFields(es.index, v, 'output.elasticsearch.index');
  const t = { ...template };
  if (t.name !== undefined) t.name = resolveIndexFields(t.name, v, 'setup.template.name');
  if (t.pattern !== undefined) t.pattern = resolveIndexFields(t.pattern, v, 'setup.template.pattern');
  if (t.enabled) {
    const { pattern } = templateNames(t, v.beatType, v.beatVersion);
    // A sample name: the date part and %{beat}/%{version} as the output will format them.
    const sample = index
      .replace(/%\{beat\}/g, v.beatType)
      .replace(/%\{version\}/g, v.beatVersion)
      .replace(/%\{\+([^}]*)\}/g, (_m, fmt: string) =>
        fmt.replace(/yyyy/g, '2026').replace(/MM|dd|HH/g, '01'),
      )
      .toLowerCase();
    if (!globMatches(pattern, sample))
      throw new IndexSettingError(
        `output.elasticsearch.index "${es.index}" gives indices like ${sample} that setup.template.pattern ` +
          `"${pattern}" does not cover: set setup.template.name and setup.template.pattern to match it`,
      );
  }
  return { es: { ...es, index }, template: t };
}
