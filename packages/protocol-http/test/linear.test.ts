// A 100 KB request line arriving one byte per segment: the parser's search work stays linear in
// the bytes (it was quadratic: 16.5 s of CPU for this request).
import { streamScanWork } from '@wirebeat/streambuf';
import { PluginDriver } from '@wirebeat/testing';
import { httpProtocol } from '@wirebeat/protocol-http';

const N = 100_000;

describe('http: one-byte segments', () => {
  it('a 100 KB request line costs linear search work and gives its transaction', () => {
    const driver = new PluginDriver(httpProtocol, {}, { poisonPayloads: false });
    const request = Buffer.from(`GET /${'a'.repeat(N)} HTTP/1.1\r\nHost: h\r\n\r\n`, 'latin1');
    const before = streamScanWork();
    for (let i = 0; i < request.length; i++) driver.data(0, request.subarray(i, i + 1));
    const work = streamScanWork() - before;
    driver.data(1, 'HTTP/1.1 204 No Content\r\n\r\n');
    driver.close();
    expect(driver.events).toHaveLength(1);
    expect(JSON.stringify(driver.events[0])).toContain('"status_code":204');
    expect(work).toBeLessThan(16 * request.length);
  });
});
