// libbeat's logging options: logging.files (rotation by size, keepfiles, permissions),
// logging.json: false (text lines), logging.to_stderr; the metrics line follows the logs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PCAPS, runPbEcho } from './pb-echo-cli';

jest.setTimeout(60_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-echo-logging-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const ECHO = path.join(PCAPS, 'echo.pcap');

describe('logging.files', () => {
  it('rotates by size, keeps keepfiles files, creates them with the permissions asked', async () => {
    const dir = path.join(tmp, 'rot');
    const args = [
      '-I',
      ECHO,
      '-t',
      '-E',
      `logging.files.path=${dir}`,
      '-E',
      'logging.files.name=nb',
      '-E',
      'logging.files.rotateeverybytes=2048',
      '-E',
      'logging.files.keepfiles=3',
      '-E',
      'logging.files.permissions=0640',
      '-E',
      'logging.level=debug',
      '-E',
      'logging.selectors=[tcp]',
    ];
    const r = await runPbEcho(args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const names = fs.readdirSync(dir).sort();
    expect(names).toEqual(['nb.1.ndjson', 'nb.2.ndjson', 'nb.ndjson']);
    for (const n of names) {
      const st = fs.statSync(path.join(dir, n));
      expect(st.mode & 0o777).toBe(0o640);
      // A file is rotated before a line would take it past the limit (one line may be longer).
      const lines = fs.readFileSync(path.join(dir, n), 'utf8').split('\n').filter(Boolean);
      if (lines.length > 1) expect(st.size).toBeLessThanOrEqual(2048);
      for (const l of lines) expect(JSON.parse(l)).toHaveProperty('level');
    }
    const current = fs.readFileSync(path.join(dir, 'nb.ndjson'), 'utf8');
    expect(current).toContain('"msg":"metrics at exit"');
  });

  it('logging.json: false writes text lines; to_stderr puts the logs on stderr', async () => {
    const r = await runPbEcho(['-I', ECHO, '-t', '-E', 'logging.json=false', '-E', 'logging.to_stderr=true']);
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines.some((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z\tINFO\tstarted\t\{/.test(l))).toBe(true);
    expect(lines.some((l) => /\tINFO\tmetrics at exit\t\{"metrics":/.test(l))).toBe(true);
    expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
  });
});
