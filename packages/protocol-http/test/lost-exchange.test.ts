// A request and its response both lost in gaps (a real capture with drops had this shape): the
// next request is still paired with its own response, not published alone beside it.
import { httpProtocol } from '@wirebeat/protocol-http';
import { buildConversation, replayFrames, type ConversationMessage } from '@wirebeat/testing';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function exchange(path: string, code: number): ConversationMessage[] {
  return [
    { from: 'client', data: `GET ${path} HTTP/1.1\r\nHost: ad.example\r\n\r\n` },
    { from: 'server', data: `HTTP/1.1 ${code} X\r\nContent-Length: 0\r\n\r\n` },
  ];
}

describe('http: an exchange lost in both directions', () => {
  it('the next request is paired with its real response', () => {
    const frames = buildConversation({
      server: { port: 80 },
      messages: [
        ...exchange('/ad/l/0', 200),
        ...exchange('/ad/l/lost', 204),
        ...exchange('/ad/l/1?kv=1', 201),
      ],
    });
    const kept = frames.filter((f) => {
      const data = Buffer.from(f.data);
      return !data.includes('/ad/l/lost') && !data.includes('HTTP/1.1 204');
    });
    expect(kept).toHaveLength(frames.length - 2);
    const docs = replayFrames(kept, [{ module: httpProtocol }]).events.map((e) => e.fields as Doc);
    expect(docs.map((d) => [d.url?.original, d.http?.response?.status_code, d.status])).toEqual([
      ['/ad/l/0', 200, 'OK'],
      ['/ad/l/1?kv=1', 201, 'OK'],
    ]);
  });

  it('a lost request whose response went by first: the next exchanges still pair', () => {
    const frames = buildConversation({
      server: { port: 80 },
      messages: [
        ...exchange('/ad/l/0', 200),
        ...exchange('/ad/l/lost', 204),
        ...exchange('/ad/l/1?kv=1', 201),
      ],
    });
    const kept = frames.filter((f) => !Buffer.from(f.data).includes('/ad/l/lost'));
    expect(kept).toHaveLength(frames.length - 1);
    const docs = replayFrames(kept, [{ module: httpProtocol }]).events.map((e) => e.fields as Doc);
    expect(docs.map((d) => [d.url?.original, d.http?.response?.status_code, d.status])).toEqual([
      ['/ad/l/0', 200, 'OK'],
      [undefined, 204, 'Error'],
      ['/ad/l/1?kv=1', 201, 'OK'],
    ]);
  });
});
