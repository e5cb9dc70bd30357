// Shared by the create-protocol tests: running the built CLI and fingerprinting folders.
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The built command line (tests that spawn it need `npx tsc -b` first). */
export const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');

/** Fails with a clear message when the CLI has not been built. */
export function requireBuiltCli(): void {
  if (!fs.existsSync(CLI))
    throw new Error(`${CLI} is missing: run \`npx tsc -b\` at the repository root first`);
}

/** Runs create-protocol with argv in cwd, without a terminal. */
export function runCli(argv: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...argv], {
    cwd,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under dir with the hash of its content: equal fingerprints mean nothing was written. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        out[`${child}/`] = 'dir';
        walk(child);
      } else {
        out[child] = crypto
          .createHash('sha1')
          .update(fs.readFileSync(path.join(dir, child)))
          .digest('hex');
      }
    }
  };
  walk('');
  return out;
}

/** Writes files (path -> content) under dir. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
}

/** Fails with a clear message unless the CLI and the packages the generated code uses are built. */
export function requireBuiltRepository(): void {
  requireBuiltCli();
  const root = path.resolve(__dirname, '../../..');
  for (const pkg of ['streambuf', 'applayer', 'tcp-reassembly', 'testing', 'beat-runner', 'protocol-echo']) {
    if (!fs.existsSync(path.join(root, 'packages', pkg, 'dist', 'index.js'))) {
      throw new Error(`packages/${pkg} is not built: run \`npx tsc -b\` at the repository root first`);
    }
  }
}

/** Runs a command; a non-zero exit fails the test with the command's output. */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env, CI: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `\`${cmd} ${args.join(' ')}\` in ${cwd} exited ${result.status}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** NDJSON lines on stdout parsed. */
export function events(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((event) => 'status' in event);
}

/**
 * A copy of the repository (sources, builds, configuration) with a node_modules that links the
 * root's third-party modules and the copy's own packages, as npm workspaces would.
 */
export function copyRepository(repoRoot: string, target: string): void {
  for (const file of fs.readdirSync(repoRoot)) {
    if (['node_modules', '.git', '.cache', 'docs'].includes(file)) continue;
    fs.cpSync(path.join(repoRoot, file), path.join(target, file), {
      recursive: true,
      filter: (src) =>
        !/[/\\](node_modules|coverage)$/.test(src) && !src.endsWith(`create-protocol${path.sep}template`),
    });
  }
  const modules = path.join(target, 'node_modules');
  fs.mkdirSync(path.join(modules, '@wirebeat'), { recursive: true });
  for (const entry of fs.readdirSync(path.join(repoRoot, 'node_modules'))) {
    if (entry !== '@wirebeat')
      fs.symlinkSync(path.join(repoRoot, 'node_modules', entry), path.join(modules, entry));
  }
  for (const pkg of fs.readdirSync(path.join(target, 'packages'))) {
    fs.symlinkSync(path.join(target, 'packages', pkg), path.join(modules, '@wirebeat', pkg));
  }
  // Dependencies npm could not hoist live in a workspace's own node_modules: linked too.
  for (const dir of ['packages', 'examples']) {
    for (const pkg of fs.readdirSync(path.join(repoRoot, dir))) {
      const own = path.join(repoRoot, dir, pkg, 'node_modules');
      const copy = path.join(target, dir, pkg);
      if (fs.existsSync(own) && fs.existsSync(copy)) fs.symlinkSync(own, path.join(copy, 'node_modules'));
    }
  }
}
