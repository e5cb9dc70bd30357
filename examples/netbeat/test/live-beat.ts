// What the live tests share: the built netbeat started on a config written to a temp folder, and
// waiting for a child's output to show a pattern (no sleeps).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'examples/netbeat/dist/main.js');

/** Resolves when the child's output (stdout and stderr) has shown `pattern`. */
export function outputShows(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onExit = (code: number | null) =>
      reject(new Error(`${what} exited with ${code} before showing ${pattern}: ${seen.slice(-2000)}`));
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (!pattern.test(seen)) return;
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      resolve(seen);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** A running netbeat: the child, what it wrote so far, and its exit code once it closes. */
export interface LiveBeat {
  beat: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Starts the built netbeat (`-c <dir>/netbeat.yml -e`) on `configLines`; resolves once it has started. */
export async function startNetbeat(
  dir: string,
  configLines: string[],
  children: ChildProcess[],
): Promise<LiveBeat> {
  if (!fs.existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npx tsc -b\` at the repository root first`);
  const config = path.join(dir, 'netbeat.yml');
  fs.writeFileSync(config, [...configLines, ''].join('\n'));
  const beat = spawn(process.execPath, [MAIN, '-c', config, '-e'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(beat);
  let stdout = '';
  let stderr = '';
  beat.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  beat.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => beat.once('close', resolve));
  await outputShows(beat, /"msg":"started"/, 'netbeat');
  return { beat, stdout: () => stdout, stderr: () => stderr, exited };
}
