// A 60 KB inline command arriving one byte per segment: the parser's search work stays linear in
// the bytes (it was quadratic: 6.2 s of CPU for this command).
import { streamScanWork } from '@wirebeat/streambuf';
import { PluginDriver } from '@wirebeat/testing';
import { redisProtocol } from '@wirebeat/protocol-redis';

const N = 60_000;

describe('redis: one-byte segments', () => {
  it('a 60 KB inline command costs linear search work and gives its transaction', () => {
    const driver = new PluginDriver(redisProtocol, {}, { poisonPayloads: false });
    const command = Buffer.from(`GET ${'k'.repeat(N)}\r\n`, 'latin1');
    const before = streamScanWork();
    for (let i = 0; i < command.length; i++) driver.data(0, command.subarray(i, i + 1));
    const work = streamScanWork() - before;
    driver.data(1, '$-1\r\n');
    driver.close();
    expect(driver.events).toHaveLength(1);
    expect(JSON.stringify(driver.events[0])).toContain('"method":"GET"');
    expect(work).toBeLessThan(16 * command.length);
  });
});
