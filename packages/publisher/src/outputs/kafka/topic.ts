// The topic of an event: the first `topics` rule whose condition holds, else `topic`.
import { OutputConfigError } from '../../errors';
import type { EventCondition } from '../../types';
import { compileFormat, type Formatter } from './format';
import type { KafkaOutputConfig } from './schema';

/** The topic of an event's fields, or undefined when no rule or format gives one. */
export type TopicSelector = (fields: Record<string, unknown>) => string | undefined;

interface Rule {
  when?: EventCondition;
  format: Formatter;
  mappings?: Record<string, string>;
  fallback?: string;
}

/** Compiles `topic` and `topics`; `compile` is the beat's condition compiler (needed for `when`). */
export function topicSelector(
  cfg: Pick<KafkaOutputConfig, 'topic' | 'topics'>,
  compile?: (spec: unknown, where: string) => EventCondition,
): TopicSelector {
  const rules: Rule[] = (cfg.topics ?? []).map((r, i) => {
    const where = `output.kafka.topics.${i}`;
    if (r.when !== undefined && !compile)
      throw new OutputConfigError(`${where}.when: conditions need a beat (no condition compiler given)`);
    return {
      when: r.when !== undefined ? compile!(r.when, `${where}.when`) : undefined,
      format: compileFormat(r.topic, `${where}.topic`),
      mappings: r.mappings,
      fallback: r.default,
    };
  });
  const base = cfg.topic !== undefined ? compileFormat(cfg.topic, 'output.kafka.topic') : undefined;
  return (fields) => {
    for (const r of rules) {
      if (r.when && !r.when(fields)) continue;
      const t = r.format(fields);
      const name = t !== undefined ? (r.mappings?.[t] ?? t) : r.fallback;
      if (name) return name;
    }
    return base?.(fields) || undefined;
  };
}
