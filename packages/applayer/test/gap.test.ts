import { GapResync } from '@wirebeat/applayer';
import { StreamBuf, decodeLatin1 } from '@wirebeat/streambuf';

describe('GapResync', () => {
  it('drops the partial message and everything up to the next delimiter, then parsing resumes', () => {
    const buf = new StreamBuf();
    const resync = new GapResync(0x0a);
    buf.write(Buffer.from('>hel'));
    resync.onGap(buf);
    expect(buf.length).toBe(0);
    expect(resync.active).toBe(true);
    buf.write(Buffer.from('lo world'));
    expect(resync.resync(buf)).toBe(false);
    expect(buf.length).toBe(0); // nothing retained while waiting for the delimiter
    buf.write(Buffer.from('!\n>next\n'));
    expect(resync.resync(buf)).toBe(true);
    expect(resync.active).toBe(false);
    expect(decodeLatin1(buf.collectUntil(0x0a)!)).toBe('>next\n');
    expect(resync.discarded).toBe(4 + 8 + 2);
  });

  it('keeps a possible first half of a multi-byte delimiter', () => {
    const buf = new StreamBuf();
    const resync = new GapResync('\r\n');
    resync.onGap(buf);
    buf.write(Buffer.from('garbage\r'));
    expect(resync.resync(buf)).toBe(false);
    expect(buf.available).toBe(1);
    buf.write(Buffer.from('\nGET /\r\n'));
    expect(resync.resync(buf)).toBe(true);
    expect(buf.readLineCrlf()).toBe('GET /');
  });

  it('with isMessageStart, a gap between messages followed by a message start loses nothing more', () => {
    const buf = new StreamBuf();
    const resync = new GapResync(0x0a, { isMessageStart: (b) => b === 0x3e });
    resync.onGap(buf); // nothing buffered: the gap fell between two messages
    buf.write(Buffer.from('>whole\n'));
    expect(resync.resync(buf)).toBe(true);
    expect(resync.resumedAfterGap).toBe(true);
    expect(decodeLatin1(buf.collectUntil(0x0a)!)).toBe('>whole\n');
    expect(resync.discarded).toBe(0);
  });

  it('with isMessageStart, bytes that do not start a message are still skipped to the delimiter', () => {
    const buf = new StreamBuf();
    const resync = new GapResync(0x0a, { isMessageStart: (b) => b === 0x3e });
    resync.onGap(buf);
    buf.write(Buffer.from('tail\n>next\n'));
    expect(resync.resync(buf)).toBe(true);
    expect(resync.resumedAfterGap).toBe(false);
    expect(decodeLatin1(buf.collectUntil(0x0a)!)).toBe('>next\n');
  });

  it('with isMessageStart, a gap inside a message still skips its tail', () => {
    const buf = new StreamBuf();
    const resync = new GapResync(0x0a, { isMessageStart: (b) => b === 0x3e });
    buf.write(Buffer.from('>par'));
    resync.onGap(buf);
    buf.write(Buffer.from('>looks like a start but is a tail\n>next\n'));
    expect(resync.resync(buf)).toBe(true);
    expect(decodeLatin1(buf.collectUntil(0x0a)!)).toBe('>next\n');
  });

  it('is a no-op without a gap', () => {
    const buf = new StreamBuf();
    buf.write(Buffer.from('a\n'));
    expect(new GapResync(0x0a).resync(buf)).toBe(true);
    expect(buf.available).toBe(2);
  });
});
