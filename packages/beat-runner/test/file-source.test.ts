import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  buildTcpFrame,
  CaptureFileError,
  NotACaptureError,
  PcapWriter,
  TcpFlags,
  type Frame,
} from '@wirebeat/tcp-reassembly';
import { FileSource, type FrameSink } from '../src/internal';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'beat-runner-file-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const echoPcap = path.resolve(__dirname, '../../../pcaps/echo.pcap');

/** Writes a capture of `n` one-byte client segments, `gapMs` apart, starting at `t0`. */
function writeCapture(name: string, n: number, gapMs: number, t0 = Date.UTC(2026, 0, 1)): string {
  const file = path.join(tmp, name);
  const w = PcapWriter.create(file, 1);
  for (let i = 0; i < n; i++) {
    const data = buildTcpFrame({
      src: '10.0.0.2',
      dst: '10.0.0.1',
      srcPort: 40000,
      dstPort: 3030,
      seq: 1000 + i,
      flags: TcpFlags.ACK | TcpFlags.PSH,
      payload: 'x',
    });
    w.write({ ts: t0 + i * gapMs, linktype: 1, data, origLen: data.length });
  }
  w.close();
  return file;
}

/** A sink that records timestamps and can hold the source back. */
class RecordingSink implements FrameSink {
  ts: number[] = [];
  ready = jest.fn();
  mustWait = false;
  waits = 0;
  release: (() => void) | undefined;
  private onWait: () => void = () => undefined;
  private onFrame: () => void = () => undefined;
  /** Resolves when the source first waits for space (what tests wait on instead of a delay). */
  readonly firstWait = new Promise<void>((r) => (this.onWait = r));
  /** Resolves when the first frame has arrived. */
  readonly firstFrame = new Promise<void>((r) => (this.onFrame = r));
  frame(f: Frame): void {
    this.ts.push(f.ts);
    this.onFrame();
  }
  waitForSpace(): Promise<void> {
    this.waits++;
    this.onWait();
    return new Promise((r) => (this.release = r));
  }
}

describe('FileSource', () => {
  it('delivers every frame of a real capture and reports no damage', async () => {
    const sink = new RecordingSink();
    const summary = await new FileSource({ path: echoPcap, topSpeed: true }).run(sink);
    expect(sink.ready).toHaveBeenCalledTimes(1);
    expect(summary).toEqual({ frames: 107, bytes: fs.statSync(echoPcap).size, damage: [] });
    expect(sink.ts).toHaveLength(107);
    expect([...sink.ts].sort((a, b) => a - b)).toEqual(sink.ts);
  });

  it('reports a truncated capture as damage after delivering its complete records', async () => {
    const sink = new RecordingSink();
    const summary = await new FileSource({
      path: path.join(path.dirname(echoPcap), 'echo-truncated.pcap'),
      topSpeed: true,
    }).run(sink);
    expect(summary.frames).toBe(81);
    expect(summary.damage).toEqual([expect.stringMatching(/capture truncated at byte \d+ after 81 records/)]);
  });

  it('throws the reader errors for a missing file and for a file that is not a capture', async () => {
    await expect(
      new FileSource({ path: path.join(tmp, 'none.pcap'), topSpeed: true }).run(new RecordingSink()),
    ).rejects.toThrow(CaptureFileError);
    const notCap = path.join(tmp, 'text.pcap');
    fs.writeFileSync(notCap, 'hello world, not a capture');
    await expect(new FileSource({ path: notCap, topSpeed: true }).run(new RecordingSink())).rejects.toThrow(
      NotACaptureError,
    );
    await expect(new FileSource({ path: notCap }).run(new RecordingSink())).rejects.toThrow(NotACaptureError);
  });

  it('stops reading while the sink asks to wait, and goes on when it has space', async () => {
    // 60,000 frames of ~55 bytes = over 4 MB: several 1 MiB chunks.
    const file = writeCapture('big.pcap', 60_000, 1);
    const sink = new RecordingSink();
    sink.mustWait = true;
    const run = new FileSource({ path: file, topSpeed: true }).run(sink);
    await sink.firstWait;
    // Held back after at most a couple of chunks: far fewer frames than the file holds.
    const heldAt = sink.ts.length;
    expect(sink.waits).toBeGreaterThan(0);
    expect(heldAt).toBeLessThan(60_000);
    expect(heldAt).toBeLessThanOrEqual(3 * Math.ceil((1024 * 1024) / 70));
    sink.mustWait = false;
    sink.release!();
    const summary = await run;
    expect(summary.frames).toBe(60_000);
    expect(sink.ts).toHaveLength(60_000);
  });

  it('pauses inside a chunk at the frame after which the sink is full', async () => {
    // 5,000 frames of ~70 bytes: one 1 MiB chunk, read in one go unless the sink says it is full.
    const file = writeCapture('one-chunk.pcap', 5000, 1);
    const sink = new RecordingSink();
    let full = false;
    Object.defineProperty(sink, 'full', { get: () => full || sink.ts.length === 100 });
    const run = new FileSource({ path: file, topSpeed: true }).run(sink);
    await sink.firstWait;
    // Held exactly where the sink filled up, the rest of the chunk not parsed yet.
    expect(sink.ts).toHaveLength(100);
    expect(sink.waits).toBe(1);
    full = false;
    sink.release!();
    const summary = await run;
    expect(summary.frames).toBe(5000);
    expect(sink.ts).toHaveLength(5000);
    expect(sink.waits).toBe(1);
  });

  it('stop() while paused inside a chunk ends the reading there', async () => {
    const file = writeCapture('stop-in-chunk.pcap', 5000, 1);
    const sink = new RecordingSink();
    Object.defineProperty(sink, 'full', { get: () => sink.ts.length >= 10 });
    const src = new FileSource({ path: file, topSpeed: true });
    const run = src.run(sink);
    await sink.firstWait;
    src.stop();
    const summary = await run;
    expect(sink.ts).toHaveLength(10);
    expect(summary.frames).toBe(10);
  });

  it('replays at the recorded pace unless topSpeed is set', async () => {
    const file = writeCapture('slow.pcap', 4, 100);
    // The pacing waits are what differ: the paced run sleeps, the top-speed run never does. Only
    // lower bounds are safe on a busy machine: a late wake-up shortens the next wait (the pace
    // follows the recorded times), so the sum of the waits may fall below the gaps; the wall time
    // may not.
    const sleeps = jest.spyOn(
      FileSource.prototype as unknown as { sleep(ms: number): Promise<void> },
      'sleep',
    );
    try {
      const t0 = Date.now();
      await new FileSource({ path: file }).run(new RecordingSink());
      expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
      expect(sleeps).toHaveBeenCalled();
      sleeps.mockClear();
      const sink = new RecordingSink();
      await new FileSource({ path: file, topSpeed: true }).run(sink);
      expect(sleeps).not.toHaveBeenCalled();
      expect(sink.ts).toHaveLength(4);
    } finally {
      sleeps.mockRestore();
    }
  });

  it('reads the file several times, each pass later in time than the previous one', async () => {
    const file = writeCapture('loop.pcap', 3, 10);
    const sink = new RecordingSink();
    const summary = await new FileSource({ path: file, topSpeed: true, loop: 3 }).run(sink);
    expect(summary.frames).toBe(9);
    const t0 = Date.UTC(2026, 0, 1);
    // Each pass starts 120 s after the previous one ended (the file spans 20 ms).
    expect(sink.ts.map((t) => t - t0)).toEqual([0, 10, 20, 120020, 120030, 120040, 240040, 240050, 240060]);
  });

  it('stop() ends a paced replay early', async () => {
    const file = writeCapture('long.pcap', 50, 100);
    const sink = new RecordingSink();
    const src = new FileSource({ path: file });
    const run = src.run(sink);
    await sink.firstFrame;
    src.stop();
    const summary = await run;
    // Stopped while sleeping 100 ms before the second frame: the rest of the 5 s is not waited.
    expect(summary.frames).toBeGreaterThan(0);
    expect(summary.frames).toBeLessThanOrEqual(2);
  });

  it('reports progress as a growing fraction up to 1', async () => {
    const file = writeCapture('progress.pcap', 20_000, 1);
    const seen: number[] = [];
    await new FileSource({ path: file, topSpeed: true, onProgress: (f) => seen.push(f) }).run(
      new RecordingSink(),
    );
    expect(seen.length).toBeGreaterThan(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen[seen.length - 1]).toBe(1);
  });
});

describe('FileSource.workerFeed', () => {
  /** Every frame's time and length a source delivers. */
  async function framesOf(source: { run(sink: FrameSink): Promise<unknown> }): Promise<string[]> {
    const seen: string[] = [];
    await source.run({
      frame: (f: Frame) => seen.push(`${f.ts}/${f.data.length}`),
      mustWait: false,
      waitForSpace: async () => undefined,
      ready: () => undefined,
    });
    return seen;
  }

  it('lets workers read a regular file at top speed themselves: the same frames, every pass', async () => {
    const opts = { path: echoPcap, topSpeed: true, loop: 2 };
    const setup = new FileSource(opts).workerFeed();
    expect(setup).toBeDefined();
    // The worker's module, as the worker loads it (its config is structured-cloned there).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const make = require(setup!.file)[setup!.exportName] as (c: unknown) => FileSource;
    const feed = make(structuredClone(setup!.config));
    const want = await framesOf(new FileSource(opts));
    expect(want.length).toBeGreaterThan(2 * 100);
    expect(await framesOf(feed)).toEqual(want);
  });

  it('keeps paced replay, named pipes and missing files on the main thread', () => {
    const fifo = path.join(tmp, 'feed.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(new FileSource({ path: echoPcap }).workerFeed()).toBeUndefined();
    expect(new FileSource({ path: fifo, topSpeed: true }).workerFeed()).toBeUndefined();
    expect(
      new FileSource({ path: path.join(tmp, 'absent.pcap'), topSpeed: true }).workerFeed(),
    ).toBeUndefined();
  });
});
