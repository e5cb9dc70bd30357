// Golden files: stable NDJSON, normalisation, and the update switch.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  GoldenFileError,
  compareWithGolden,
  goldenPathFor,
  normaliseEvent,
  proposeGolden,
  proposedPathFor,
  readGolden,
  toNdjson,
  writeGolden,
} from '../src';

const event = {
  id: 'c-0',
  timestamp: 1,
  fields: { type: 'x', event: { dataset: 'x', kind: 'event' }, b: 1, a: { z: 1, y: undefined } },
};
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-golden-'));
});
afterEach(() => {
  delete process.env.UPDATE_GOLDEN;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('golden helpers', () => {
  it('names the golden file after the capture', () => {
    expect(goldenPathFor('/x/echo.pcap')).toBe('/x/echo.expected.ndjson');
    expect(goldenPathFor('/x/echo.pcapng')).toBe('/x/echo.expected.ndjson');
  });

  it('normalises: id as _id, keys sorted deeply, undefined dropped, paths omitted', () => {
    expect(JSON.stringify(normaliseEvent(event))).toBe(
      '{"_id":"c-0","a":{"z":1},"b":1,"event":{"dataset":"x","kind":"event"},"type":"x"}',
    );
    expect(normaliseEvent(event, { omit: ['type', 'event.dataset', '_id', 'a.z'] })).toEqual({
      b: 1,
      event: { kind: 'event' },
    });
    expect(toNdjson([event, event]).split('\n')).toHaveLength(3);
  });

  it('writes and reads golden files', () => {
    const file = path.join(dir, 'g.expected.ndjson');
    writeGolden(file, [event]);
    expect(readGolden(file)).toEqual([normaliseEvent(event)]);
  });

  it('says how to create a missing golden file, and where a bad line is', () => {
    expect(() => readGolden(path.join(dir, 'none.ndjson'))).toThrow(/UPDATE_GOLDEN=1/);
    const bad = path.join(dir, 'bad.ndjson');
    fs.writeFileSync(bad, '{}\nnot json\n');
    expect(() => readGolden(bad)).toThrow(GoldenFileError);
    expect(() => readGolden(bad)).toThrow(/bad\.ndjson:2/);
  });

  it('compares with the golden file', () => {
    const file = path.join(dir, 'g.expected.ndjson');
    writeGolden(file, [event]);
    const changed = { ...event, fields: { ...event.fields, b: 2 } };
    const { expected, actual } = compareWithGolden(file, [changed]);
    expect(actual).not.toEqual(expected);
    expect(compareWithGolden(file, [event]).actual).toEqual(compareWithGolden(file, [event]).expected);
  });

  it('under UPDATE_GOLDEN=1 writes <golden>.new, leaves the golden file alone and fails', () => {
    const file = path.join(dir, 'g.expected.ndjson');
    writeGolden(file, [event]);
    const before = fs.readFileSync(file, 'utf8');
    const changed = { ...event, fields: { ...event.fields, b: 2 } };
    process.env.UPDATE_GOLDEN = '1';
    expect(() => compareWithGolden(file, [changed])).toThrow(GoldenFileError);
    expect(() => compareWithGolden(file, [changed])).toThrow(`wrote ${proposedPathFor(file)}`);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(readGolden(proposedPathFor(file))[0].b).toBe(2);
    // Unchanged events: no .new file (a stale one is removed), and the run still fails.
    expect(() => compareWithGolden(file, [event])).toThrow(/unchanged \(an update run always fails\)/);
    expect(fs.existsSync(proposedPathFor(file))).toBe(false);
  });

  it('under UPDATE_GOLDEN=1 proposes a missing golden file instead of creating it', () => {
    const file = path.join(dir, 'new.expected.ndjson');
    process.env.UPDATE_GOLDEN = '1';
    expect(() => compareWithGolden(file, [event])).toThrow(GoldenFileError);
    expect(fs.existsSync(file)).toBe(false);
    expect(readGolden(proposedPathFor(file))).toEqual([normaliseEvent(event)]);
  });

  it('proposes binary files (captures) the same way', () => {
    const file = path.join(dir, 'x.pcap');
    fs.writeFileSync(file, Buffer.from([1, 2, 3]));
    expect(() => proposeGolden(file, new Uint8Array([1, 2, 4]))).toThrow(/wrote .*x\.pcap\.new/);
    expect([...fs.readFileSync(file)]).toEqual([1, 2, 3]);
    expect([...fs.readFileSync(file + '.new')]).toEqual([1, 2, 4]);
  });
});
