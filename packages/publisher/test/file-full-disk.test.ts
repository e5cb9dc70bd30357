// output.file on a full disk: a failed write leaves whole lines only, is tried once more, and what
// could not be written is handed back for a later retry, so nothing is written twice.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileOutput, type BeatEvent } from '@wirebeat/publisher';
import { BlockWriter } from '../src/block-writer';
import { echoEvents } from './helpers/events';

/** A FileOutput whose disk takes `room` more bytes, then fails with ENOSPC (after a short write). */
class SmallDiskFile extends FileOutput {
  room = Infinity;
  failures = 0;
  protected override writeSome(buf: Buffer, off: number): Promise<number> {
    const want = buf.length - off;
    if (want <= this.room) {
      this.room -= want;
      return super.writeSome(buf, off);
    }
    if (this.room > 0) {
      // The short write a full disk gives: part of the bytes, then the error on the next call.
      const part = Buffer.from(buf.subarray(off, off + this.room));
      this.room = 0;
      return super.writeSome(part, 0);
    }
    this.failures++;
    const err = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return Promise.reject(err);
  }
}

const ids = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { '@timestamp': string })['@timestamp']); // throws on a broken line

/** Publishes `events` until the output stops handing any back. */
async function publishAll(out: FileOutput, events: BeatEvent[]): Promise<number> {
  let pending = events;
  let acked = 0;
  for (let round = 0; pending.length > 0 && round < 10; round++) {
    const r = await out.publishBatch(pending);
    acked += r.acked;
    pending = r.retry;
  }
  return acked;
}

describe('FileOutput on a full disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-fulldisk-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const expected = (events: BeatEvent[]) => events.map((e) => e.fields['@timestamp']);

  it('a short write then ENOSPC: whole lines only, the batch handed back, then written once', async () => {
    const out = new SmallDiskFile({ path: dir, filename: 'beat', rotateBytes: 1 << 30, numberOfFiles: 2 });
    await out.connect();
    const events = echoEvents(100, 'd');
    expect((await out.publishBatch(events.slice(0, 40))).acked).toBe(40);
    out.room = 5000; // part of the next batch fits
    const r = await out.publishBatch(events.slice(40));
    expect(r.acked).toBe(0);
    expect(r.retry).toHaveLength(60);
    expect(r.retryReason).toMatch(/ENOSPC/);
    expect(out.failures).toBe(2); // tried once more
    expect(ids(path.join(dir, 'beat'))).toEqual(expected(events.slice(0, 40)));
    out.room = Infinity; // space freed
    expect(await publishAll(out, r.retry)).toBe(60);
    await out.close();
    expect(ids(path.join(dir, 'beat'))).toEqual(expected(events));
  });

  it('a write that fails once succeeds on its second try', async () => {
    const out = new SmallDiskFile({ path: dir, filename: 'beat', rotateBytes: 1 << 30, numberOfFiles: 2 });
    await out.connect();
    const events = echoEvents(30, 'o');
    out.room = 1000;
    const first = out.publishBatch(events);
    // The first attempt fails after 1000 bytes; space comes back before the second.
    const writeSome = out['writeSome'].bind(out);
    let calls = 0;
    out['writeSome'] = (buf: Buffer, off: number) => {
      if (++calls > 1 && out.failures > 0) out.room = Infinity;
      return writeSome(buf, off);
    };
    expect((await first).acked).toBe(30);
    await out.close();
    expect(ids(path.join(dir, 'beat'))).toEqual(expected(events));
  });

  it('with rotation: the events of the chunks written are acknowledged, the rest handed back', async () => {
    const out = new SmallDiskFile({ path: dir, filename: 'beat', rotateBytes: 8192, numberOfFiles: 10 });
    await out.connect();
    const events = echoEvents(100, 'r');
    out.room = 20_000;
    const r = await out.publishBatch(events);
    expect(r.acked).toBeGreaterThan(0);
    expect(r.acked + r.retry.length).toBe(100);
    out.room = Infinity;
    expect(await publishAll(out, r.retry)).toBe(100 - r.acked);
    await out.close();
    const files = fs.readdirSync(dir).sort((a, b) => b.length - a.length || (a < b ? 1 : -1));
    expect(files.flatMap((f) => ids(path.join(dir, f)))).toEqual(expected(events));
  });

  it('a block with rotation: the lines written are acknowledged, the rest come back as one block, written once', async () => {
    const out = new SmallDiskFile({ path: dir, filename: 'beat', rotateBytes: 8192, numberOfFiles: 10 });
    await out.connect();
    const events = echoEvents(100, 'b');
    const writer = new BlockWriter();
    for (const e of events) writer.add(e);
    out.room = 20_000;
    const r = await out.publishBlock(writer.seal());
    expect(r.acked).toBeGreaterThan(0);
    expect(r.retry).toHaveLength(1);
    const rest = r.retry[0];
    expect(rest.count).toBe(100 - r.acked);
    expect(rest.ids.split('\n')).toEqual(events.slice(r.acked).map((e) => e.id));
    expect([...rest.timestamps]).toEqual(events.slice(r.acked).map((e) => e.timestamp));
    out.room = Infinity;
    expect((await out.publishBlock(rest)).acked).toBe(100 - r.acked);
    await out.close();
    const files = fs.readdirSync(dir).sort((a, b) => b.length - a.length || (a < b ? 1 : -1));
    expect(files.flatMap((f) => ids(path.join(dir, f)))).toEqual(expected(events));
  });

  it('on a real full tmpfs (64 KiB): whole lines, and every event once after space is freed', async () => {
    const mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { stdio: 'pipe' });
    } catch (e) {
      throw new Error(`this test mounts a 64 KiB tmpfs and needs root: ${(e as Error).message}`);
    }
    const out = new FileOutput({ path: mnt, filename: 'beat', rotateBytes: 1 << 30, numberOfFiles: 2 });
    try {
      const filler = path.join(mnt, 'filler');
      fs.writeFileSync(filler, Buffer.alloc(40 * 1024));
      await out.connect();
      const events = echoEvents(60, 't'); // about 42 KiB of lines: more than fits beside the filler
      let pending = events;
      let refused: BeatEvent[] = [];
      for (let i = 0; i < events.length && refused.length === 0; i += 10) {
        const r = await out.publishBatch(events.slice(i, i + 10));
        if (r.retry.length > 0) {
          expect(r.retryReason).toMatch(/ENOSPC|no space/i);
          refused = [...r.retry, ...events.slice(i + 10)];
        }
        pending = events.slice(i + 10);
      }
      expect(refused.length).toBeGreaterThan(0); // the disk did fill up
      const before = ids(path.join(mnt, 'beat')); // whole lines only
      expect(before).toEqual(expected(events.slice(0, before.length)));
      fs.rmSync(filler); // space freed
      expect(await publishAll(out, refused)).toBe(refused.length);
      await out.close();
      expect(ids(path.join(mnt, 'beat'))).toEqual(expected(events));
      expect(pending.length).toBeLessThan(events.length);
    } finally {
      await out.close();
      execFileSync('umount', [mnt]);
    }
  });
});
