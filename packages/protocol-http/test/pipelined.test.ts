// Pipelined requests that never get a response: the connection's state stays bounded (the oldest
// are published as Error once max_pending_requests wait) instead of growing with every request.
import { Notes } from '@wirebeat/applayer';
import { httpProtocol } from '@wirebeat/protocol-http';
import { PluginDriver } from '@wirebeat/testing';

describe('http: pipelined requests without responses', () => {
  it('keeps at most max_pending_requests, publishing the older ones as Error', () => {
    const driver = new PluginDriver(httpProtocol, { max_pending_requests: 100 });
    const requests = Buffer.from('GET /a HTTP/1.1\r\nHost: h\r\n\r\n'.repeat(1000));
    for (let i = 0; i < 50; i++) driver.data(0, requests);
    // The framework's correlator is the only queue: it holds the newest max_pending_requests.
    const state = driver.currentState as unknown as { pending: number };
    expect(state.pending).toBe(100);
    expect(driver.events).toHaveLength(50_000 - 100);
    expect(JSON.stringify(driver.events[0].fields)).toContain(Notes.responseTooManyPending);
  });
});
