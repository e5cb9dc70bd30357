// One frame missing from a 100-command Redis connection: the parser resynchronises at the next
// command or reply instead of dropping the connection, and every command is published once.
import { Notes } from '@wirebeat/applayer';
import { redisProtocol } from '@wirebeat/protocol-redis';
import { buildConversation, replayFrames, type ConversationMessage } from '@wirebeat/testing';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const cmd = (...args: string[]) =>
  `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');

/** What GET key:i returns. */
const reply = (i: number) => `got ${i - 1}`;

/** 100 commands each answered before the next, alternating SET and GET. */
function conversation(): ConversationMessage[] {
  const messages: ConversationMessage[] = [];
  for (let i = 0; i < 100; i++) {
    const key = `key:${String(i).padStart(3, '0')}`;
    if (i % 2 === 0) {
      messages.push({ from: 'client', data: cmd('SET', key, `value ${i}`) });
      messages.push({ from: 'server', data: '+OK\r\n' });
    } else {
      messages.push({ from: 'client', data: cmd('GET', key) });
      messages.push({ from: 'server', data: `$${reply(i).length}\r\n${reply(i)}\r\n` });
    }
  }
  return messages;
}

/** Replays the conversation without the frame whose payload contains `marker`. */
function replayWithout(marker: string): Doc[] {
  const frames = buildConversation({ server: { port: 6379 }, messages: conversation() });
  const kept = frames.filter((f) => !Buffer.from(f.data).includes(marker));
  expect(kept.length).toBe(frames.length - 1);
  const { events } = replayFrames(kept, [{ module: redisProtocol }]);
  return events.map((e) => e.fields as Doc);
}

describe('redis: one frame lost in a 100-command connection', () => {
  it('a lost command: its reply is published alone with a note, the other 99 pair as before', () => {
    // The gap is only seen with the next command, after the lost command's reply went by alone.
    const docs = replayWithout('key:050');
    const ok = docs.filter((d) => d.status === 'OK');
    expect(ok).toHaveLength(99);
    expect(ok.map((d) => d.resource)).not.toContain('key:050');
    for (const d of ok) {
      const i = Number(d.resource.slice(4));
      expect(d.redis.return_value).toBe(i % 2 === 0 ? 'OK' : reply(i));
    }
    const lost = docs.filter((d) => d.status !== 'OK');
    expect(lost).toHaveLength(1);
    expect(lost[0].notes).toEqual([Notes.responseWithoutRequest]);
    expect(lost[0].redis.return_value).toBe('OK');
  });

  it('a lost reply: its command is published as Error, the following ones pair again', () => {
    const docs = replayWithout('got 48');
    expect(docs).toHaveLength(100);
    const byKey = new Map(docs.map((d) => [d.resource, d]));
    expect(byKey.size).toBe(100);
    expect(byKey.get('key:049')!.status).toBe('Error');
    expect(byKey.get('key:049')!.notes).toContain(Notes.responseLostInGap);
    const ok = docs.filter((d) => d.status === 'OK');
    // The first reply after the gap is not trusted until the connection was idle again.
    expect(ok.length).toBeGreaterThanOrEqual(98);
    for (const d of ok) {
      const i = Number(d.resource.slice(4));
      expect(d.redis.return_value).toBe(i % 2 === 0 ? 'OK' : reply(i));
    }
  });
});
