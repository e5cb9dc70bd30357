import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileOutput, Pipeline, createOutput, outputsConfigSchema } from '@wirebeat/publisher';
import { BlockWriter } from '../src/block-writer';
import { echoEvents, RecordingLogger } from './helpers/events';

describe('FileOutput', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-file-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const lines = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8').trimEnd().split('\n');

  it('appends NDJSON and rotates by size, keeping N files with the newest events', async () => {
    const out = new FileOutput({
      path: path.join(dir, 'sub'),
      filename: 'beat',
      rotateBytes: 4096,
      numberOfFiles: 3,
    });
    await out.connect();
    const events = echoEvents(100, 'f');
    for (let i = 0; i < 100; i += 7) await out.publishBatch(events.slice(i, i + 7));
    await out.close();
    dir = path.join(dir, 'sub');
    expect(fs.readdirSync(dir).sort()).toEqual(['beat', 'beat.1', 'beat.2']);
    for (const f of ['beat', 'beat.1', 'beat.2']) {
      expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(4096);
      // Created 0600, as libbeat creates its output files (whatever the umask lets through).
      expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    }
    // Oldest first: .2, .1, current; together they end with the last event, in order, without gaps.
    const kept = [...lines('beat.2'), ...lines('beat.1'), ...lines('beat')].map(
      (l) => (JSON.parse(l) as { '@timestamp': string })['@timestamp'],
    );
    const expected = events.map((e) => e.fields['@timestamp']).slice(-kept.length);
    expect(kept).toEqual(expected);
    expect(kept.length).toBeLessThan(100);
  });

  it('writes a block as its lines, rotated at the same lines as the events one by one', async () => {
    const events = echoEvents(100, 'k');
    const make = async (sub: string) => {
      const out = new FileOutput({
        path: path.join(dir, sub),
        filename: 'beat',
        rotateBytes: 4096,
        numberOfFiles: 3,
      });
      await out.connect();
      return out;
    };
    const byEvents = await make('events');
    for (let i = 0; i < 100; i += 30) await byEvents.publishBatch(events.slice(i, i + 30));
    await byEvents.close();
    const byBlocks = await make('blocks');
    for (let i = 0; i < 100; i += 30) {
      const writer = new BlockWriter();
      for (const e of events.slice(i, i + 30)) writer.add(e);
      expect(await byBlocks.publishBlock(writer.seal())).toEqual({
        acked: Math.min(30, 100 - i),
        failed: 0,
        retry: [],
      });
    }
    await byBlocks.close();
    for (const f of ['beat', 'beat.1', 'beat.2'])
      expect(lines(path.join('blocks', f))).toEqual(lines(path.join('events', f)));
  });

  it('continues an existing file after a restart', async () => {
    const opts = { path: dir, filename: 'x', rotateBytes: 1 << 20, numberOfFiles: 2 };
    for (const prefix of ['one', 'two']) {
      const out = new FileOutput(opts);
      await out.connect();
      await out.publishBatch(echoEvents(3, prefix));
      await out.close();
    }
    expect(lines('x')).toHaveLength(6);
  });

  it('is built from the output.file config, named after the beat by default, behind a pipeline', async () => {
    const cfg = outputsConfigSchema.parse({ file: { path: dir, rotate_every_kb: 1, number_of_files: 2 } });
    const out = createOutput(cfg, {
      beatName: 'pb_test',
      beatVersion: '1.0.0',
      logger: new RecordingLogger(),
      fields: [],
    });
    await out.connect();
    const p = new Pipeline(out, { batchSize: 10 });
    for (const e of echoEvents(30, 'p')) p.publish(e);
    expect((await p.close(5000)).undelivered).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['pb_test', 'pb_test.1']);
    expect(fs.statSync(path.join(dir, 'pb_test')).size).toBeLessThanOrEqual(1024);
  });

  it('fails connect with a clear error when the directory cannot be created', async () => {
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, '');
    const out = new FileOutput({
      path: path.join(blocker, 'sub'),
      filename: 'b',
      rotateBytes: 100,
      numberOfFiles: 2,
    });
    await expect(out.connect()).rejects.toThrow(/file output: cannot open .*sub\/b/);
  });
});
