// Pipelined commands that never get a reply: the connection's state stays bounded (the oldest are
// published as Error once max_pending_requests wait) instead of growing with every command.
import { Notes } from '@wirebeat/applayer';
import { redisProtocol } from '@wirebeat/protocol-redis';
import { PluginDriver } from '@wirebeat/testing';

describe('redis: pipelined commands without replies', () => {
  it('keeps at most max_pending_requests, publishing the older ones as Error', () => {
    const driver = new PluginDriver(redisProtocol, { max_pending_requests: 100 });
    const command = Buffer.from('*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n'.repeat(1000));
    for (let i = 0; i < 50; i++) driver.data(0, command);
    // The framework's correlator is the only queue: it holds the newest max_pending_requests.
    const state = driver.currentState as unknown as { pending: number };
    expect(state.pending).toBe(100);
    expect(driver.events).toHaveLength(50_000 - 100);
    expect(JSON.stringify(driver.events[0].fields)).toContain(Notes.responseTooManyPending);
    // The next reply answers the oldest command, already published: it stays alone, with a note.
    driver.data(1, '$1\r\nv\r\n');
    const last = driver.events[driver.events.length - 1].fields as { query?: string; notes: string[] };
    expect(last.query).toBeUndefined();
    expect(last.notes).toEqual([Notes.lateResponse]);
  });
});
