import {
  activeOutputName,
  durationSchema,
  outputsConfigSchema,
  queueConfigSchema,
  setupConfigSchema,
  pipelineOptionsFromConfig,
} from '@wirebeat/publisher';

describe('configuration schemas', () => {
  it('parses durations to milliseconds', () => {
    expect(durationSchema.parse('500ms')).toBe(500);
    expect(durationSchema.parse('10s')).toBe(10_000);
    expect(durationSchema.parse('1m')).toBe(60_000);
    expect(durationSchema.parse('2h')).toBe(7_200_000);
    expect(durationSchema.parse('1m30s')).toBe(90_000);
    expect(durationSchema.parse(3)).toBe(3000);
    expect(() => durationSchema.parse('10 parsecs')).toThrow(/expected a duration such as/);
  });

  it('fills the Elasticsearch defaults and accepts a single host string', () => {
    const c = outputsConfigSchema.parse({ elasticsearch: { hosts: 'es1:9200' } });
    expect(c.elasticsearch).toMatchObject({
      enabled: true,
      hosts: ['es1:9200'],
      index: '%{beat}-%{version}-%{+yyyy.MM.dd}',
      bulk_max_size: 1600,
      worker: 1,
      flush_interval: 1000,
      backoff: { init: 1000, max: 60_000 },
    });
    expect(activeOutputName(c)).toBe('elasticsearch');
  });

  it('defaults to the console output when none is enabled', () => {
    expect(activeOutputName(outputsConfigSchema.parse({}))).toBe('console');
    expect(activeOutputName(outputsConfigSchema.parse({ elasticsearch: { enabled: false } }))).toBe(
      'console',
    );
  });

  it('rejects two enabled outputs, unknown keys and half credentials, naming the problem', () => {
    expect(() => outputsConfigSchema.parse({ console: {}, elasticsearch: {} })).toThrow(
      /only one output may be enabled, got console and elasticsearch/,
    );
    const unknown = outputsConfigSchema.safeParse({ elasticsearch: { hostz: ['x'] } });
    expect(unknown.success).toBe(false);
    expect(JSON.stringify(unknown.error?.issues)).toMatch(/hostz/);
    expect(() => outputsConfigSchema.parse({ elasticsearch: { username: 'u' } })).toThrow(
      /username and password go together/,
    );
    expect(() =>
      outputsConfigSchema.parse({ elasticsearch: { api_key: 'a:b', username: 'u', password: 'p' } }),
    ).toThrow(/either api_key or username/);
    expect(() =>
      outputsConfigSchema.parse({ elasticsearch: { ssl: { verification_mode: 'maybe' } } }),
    ).toThrow();
  });

  it('fills queue and template defaults and maps the queue to pipeline options', () => {
    const q = queueConfigSchema.parse(undefined);
    expect(q).toEqual({
      mem: { events: 8192, bytes: 64 * 1024 * 1024, flush: { min_events: 1600, timeout: 1000 } },
    });
    expect(
      pipelineOptionsFromConfig(
        queueConfigSchema.parse({ mem: { events: 10, flush: { timeout: '5s' } } }),
        'drop',
      ),
    ).toMatchObject({
      maxEvents: 10,
      flushIntervalMs: 5000,
      policy: 'drop',
    });
    expect(setupConfigSchema.parse(undefined)).toEqual({
      template: { enabled: true, overwrite: true, settings: { number_of_shards: 1, refresh_interval: '5s' } },
    });
  });
});
