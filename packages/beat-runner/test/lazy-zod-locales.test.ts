// zod's message locales load on first use: a beat (English only) never loads the ~60 locale files,
// and code that asks for a locale still gets it. Separate node processes: require.cache and zod's
// global configuration are per process.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const BUILT = path.resolve(__dirname, '../dist/index.js');

/** Runs `script` after loading the built beat-runner; returns what it printed as JSON. */
function afterBeatRunner(script: string): Record<string, unknown> {
  const r = spawnSync(
    process.execPath,
    ['-e', `require(${JSON.stringify(BUILT)});\nconst { z } = require('zod');\n${script}`],
    { cwd: path.dirname(BUILT), encoding: 'utf8', env: { ...process.env, WIREBEAT_CODE_CACHE: '0' } },
  );
  if (r.status !== 0) throw new Error(`node exited with ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const localeFiles = `Object.keys(require.cache).filter((f) => /zod[\\\\/]v4[\\\\/]locales[\\\\/][^\\\\/]+\\.cjs$/.test(f)).map((f) => require('path').basename(f))`;

describe('zod locales', () => {
  beforeAll(() => {
    if (!fs.existsSync(BUILT)) throw new Error(`${BUILT} missing: build first (npx tsc -b)`);
  });

  it('only English loads with the beat, and messages stay English', () => {
    const r = afterBeatRunner(
      `const issue = z.strictObject({ a: z.number() }).safeParse({ a: 'x', b: 1 }).error.issues.map((i) => i.message);
       console.log(JSON.stringify({ files: ${localeFiles}, issue }));`,
    );
    expect(r.files).toEqual(['en.cjs']);
    expect(r.issue).toEqual(['Invalid input: expected number, received string', 'Unrecognized key: "b"']);
  });

  it('a locale asked for loads then, through z.locales and z.core.locales', () => {
    const r = afterBeatRunner(
      `const names = Object.keys(z.locales);
       z.config(z.locales.de());
       const de = z.number().safeParse('x').error.issues[0].message;
       console.log(JSON.stringify({ names, de, same: z.core.locales.fr === z.locales.fr, files: ${localeFiles}.length }));`,
    );
    expect(r.names).toEqual(expect.arrayContaining(['en', 'de', 'fr', 'ja', 'zhCN']));
    expect(r.de).toMatch(/Ungültige Eingabe/);
    expect(r.same).toBe(true);
    expect(r.files).toBeGreaterThan(50);
  });
});
