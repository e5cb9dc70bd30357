// memcache options: defaults, and one clear error per bad option.
import { MemcacheConfigError, parseMemcacheConfig } from '@wirebeat/protocol-memcache';

describe('memcache options', () => {
  it('defaults: port 11211, 100 keys, 500 stats lines', () => {
    expect(parseMemcacheConfig()).toMatchObject({ ports: [11211], max_keys: 100, max_stats: 500 });
  });

  it('a bad value or an unknown option is a MemcacheConfigError naming it', () => {
    expect(() => parseMemcacheConfig({ max_keys: 0 })).toThrow(MemcacheConfigError);
    expect(() => parseMemcacheConfig({ max_keys: 0 })).toThrow(/max_keys/);
    expect(() => parseMemcacheConfig({ max_values: 3 })).toThrow(/max_values/);
  });
});
