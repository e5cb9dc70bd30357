// template-only: `npm run replay` of a generated package is tested by create-protocol's tests.
// scripts/replay.js prints the events of any capture; it runs the built package (`npx tsc -b` first).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SAMPLE_CAPTURE } from './sample-capture';

const root = path.resolve(__dirname, '..');

describe('scripts/replay.js', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) {
      throw new Error(
        'packages/protocol-template is not built: run `npx tsc -b` at the repository root first',
      );
    }
  });

  it('prints one JSON event per transaction of the capture', () => {
    const result = spawnSync(process.execPath, ['scripts/replay.js', SAMPLE_CAPTURE, '7357'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events).toHaveLength(6);
    expect(events[0]).toMatchObject({ type: 'template', status: 'OK', request: 'hello', response: 'hello' });
    expect(result.stderr).toContain('replay: 6 events');
  });

  it('refuses a bad port and a missing file with one line', () => {
    const badPort = spawnSync(process.execPath, ['scripts/replay.js', SAMPLE_CAPTURE, 'http'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toBe('replay: invalid port in http\n');
    const missing = spawnSync(process.execPath, ['scripts/replay.js', 'no-such.pcap'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^replay: [^\n]*no-such\.pcap[^\n]*\n$/);
  });
});
