// Replies nested thousands of levels deep: no stack overflow, no transaction lost, and memory
// that does not grow with the depth (aggregates beyond MAX_NESTING are counted, not kept).
import { PluginDriver } from '@wirebeat/testing';
import { MAX_NESTING, RedisNotes, redisProtocol, formatValue } from '@wirebeat/protocol-redis';

const command = (key: string) => `*2\r\n$3\r\nGET\r\n$${key.length}\r\n${key}\r\n`;

describe('redis: deeply nested aggregates', () => {
  it('a reply nested 3,300 arrays deep is published with its neighbours, with a note', () => {
    const driver = new PluginDriver(redisProtocol, {});
    driver.data(0, command('a') + command('b') + command('c'));
    const deep = '*1\r\n'.repeat(3300) + ':7\r\n';
    driver.data(1, '+first\r\n' + deep + '+third\r\n');
    driver.close();
    const events = driver.events.map(
      (e) => e.fields as { redis?: { return_value?: string }; notes?: string[] },
    );
    expect(events).toHaveLength(3);
    expect(events.map((e) => e.redis?.return_value?.slice(0, 8))).toEqual(['first', '[[[[[[[[', 'third']);
    const nested = events[1].redis!.return_value!;
    expect(nested).toBe('['.repeat(MAX_NESTING) + '[...]' + ']'.repeat(MAX_NESTING));
    expect(nested).toContain('[...]');
    expect(events[1].notes).toContain(RedisNotes.nestedTooDeep);
  });

  it('nesting deeper than the stack holds (a million levels) is followed in constant memory', () => {
    const driver = new PluginDriver(redisProtocol, {});
    driver.data(0, command('k'));
    const level = Buffer.from('*1\r\n'.repeat(10_000));
    for (let i = 0; i < 100; i++) driver.data(1, level);
    driver.data(1, ':1\r\n');
    driver.close();
    expect(driver.events).toHaveLength(1);
    const fields = driver.events[0].fields as { status: string; redis: { return_value: string } };
    expect(fields.status).toBe('OK');
    expect(fields.redis.return_value.endsWith('[...]' + ']'.repeat(MAX_NESTING))).toBe(true);
  });

  it('maps, sets and attributes beyond the limit are counted by their own element counts', () => {
    const driver = new PluginDriver(redisProtocol, {});
    driver.data(0, command('a') + command('b'));
    // 70 levels of a map of one pair whose value nests further; an attribute at the deepest level.
    const open = '%1\r\n+k\r\n'.repeat(70);
    driver.data(1, open + '|1\r\n+ttl\r\n:3\r\n~2\r\n:1\r\n:2\r\n' + '+next\r\n');
    driver.close();
    const values = driver.events.map(
      (e) => (e.fields as { redis: { return_value: string } }).redis.return_value,
    );
    expect(values).toHaveLength(2);
    expect(values[0].startsWith('{k: {k: ')).toBe(true);
    expect(values[1]).toBe('next');
  });

  it('the formatter itself is depth-bounded', () => {
    let v: unknown = 1;
    for (let i = 0; i < 10_000; i++) v = [v];
    expect(formatValue(v as never)).toContain('[...]');
  });
});
