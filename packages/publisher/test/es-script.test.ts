// scripts/es.js fails with one clear line (no stack trace) when it cannot do its job.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.join(__dirname, '../../../scripts/es.js');

function run(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/es.js', () => {
  it('says that Java is missing, in one line, and exits 1', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-nojava-'));
    try {
      const r = run(['start', '--port', '9290'], { PATH: empty, TMPDIR: empty });
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe('es: no Java found: install a JDK 17+ or set JAVA_HOME');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('rejects unknown options and commands with the usage', () => {
    expect(run(['start', '--prot', '1'], process.env)).toMatchObject({
      code: 1,
      stderr: 'es: unknown option --prot\n',
    });
    const r = run(['restart'], process.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^es: usage: node scripts\/es\.js start\|stop\|status/);
  });

  it('reports an instance that is not running', () => {
    expect(run(['status', '--port', '9291'], process.env)).toMatchObject({
      code: 1,
      stdout: 'not running on port 9291\n',
    });
  });
});
