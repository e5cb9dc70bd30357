// Redis options: defaults and one clear error per bad option.
import { RedisConfigError, parseRedisConfig } from '@wirebeat/protocol-redis';

describe('redis config', () => {
  it('defaults to port 6379 and 1 KiB of each bulk string', () => {
    expect(parseRedisConfig()).toMatchObject({ ports: [6379], max_bulk_bytes: 1024, send_request: false });
  });

  it('names the bad option', () => {
    expect(() => parseRedisConfig({ max_bulk_bytes: 0 })).toThrow(RedisConfigError);
    expect(() => parseRedisConfig({ max_bulk: 1 })).toThrow(/unknown option 'max_bulk'/);
  });
});
