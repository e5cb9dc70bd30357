// Golden files: stable NDJSON, normalisation, and the update switch.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  GoldenFileError,
  compareWithGolden,
  goldenPathFor,
  normaliseEvent,
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

  it('compares with the golden file, and rewrites it only under UPDATE_GOLDEN=1', () => {
    const file = path.join(dir, 'g.expected.ndjson');
    writeGolden(file, [event]);
    const changed = { ...event, fields: { ...event.fields, b: 2 } };
    const { expected, actual } = compareWithGolden(file, [changed]);
    expect(actual).not.toEqual(expected);
    process.env.UPDATE_GOLDEN = '1';
    const updated = compareWithGolden(file, [changed]);
    expect(updated.actual).toEqual(updated.expected);
    expect(readGolden(file)[0].b).toBe(2);
  });
});
