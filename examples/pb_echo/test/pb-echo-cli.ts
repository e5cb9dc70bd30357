// Runs the BUILT pb_echo (examples/pb_echo/dist/main.js) as a child process, as users do.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BEAT_ADDED_FIELDS, withoutBeatFields } from '@wirebeat/testing';

export const ROOT = path.resolve(__dirname, '../../..');
export const PCAPS = path.join(ROOT, 'pcaps');
export const MAIN = path.join(ROOT, 'examples/pb_echo/dist/main.js');
/** The launcher users run (its #! line sets node's options and moves NODE_EXTRA_CA_CERTS aside). */
export const BIN = path.join(ROOT, 'examples/pb_echo/bin/pb_echo.js');

/** Runs pb_echo through its launcher (bin/pb_echo.js, executed as a program) to the end. */
export function runPbEchoBin(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  requireBuild();
  return finished(spawn(BIN, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Fails with the fix when the beat was not built, instead of a confusing spawn error. */
export function requireBuild(): void {
  if (!fs.existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npx tsc -b\` at the repository root first`);
}

/** What a finished pb_echo run printed. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts pb_echo; the caller decides when it ends. */
export function startPbEcho(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
): ChildProcess {
  requireBuild();
  return spawn(process.execPath, [...(opts.nodeArgs ?? []), MAIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects a child's output until it exits. */
export function finished(child: ChildProcess): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs pb_echo to the end. */
export function runPbEcho(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
): Promise<RunResult> {
  return finished(startPbEcho(args, opts));
}

/** Every event of a run as printed (one JSON object per stdout line), `host` and `agent` included. */
export function rawEvents(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * Fields beat-runner adds to every event (not the protocol): `host` and `agent` describe the machine
 * and the run, `ecs` and `tags` come from the config, network.direction from the endpoints (`related` and `error` are the event builder's). The golden files
 * in pcaps/ are shared with protocol-echo's own replay (applayer's events), so they hold the
 * protocol's events only; beats-conventions.test.ts checks these fields.
 */
export const BEAT_FIELDS: readonly string[] = BEAT_ADDED_FIELDS;

/** The events of a run without the fields beat-runner adds (see BEAT_FIELDS): what the protocol published. */
export function events(stdout: string): Array<Record<string, unknown>> {
  return rawEvents(stdout).map((e) => withoutBeatFields(e));
}

/** Lines of stderr that are not JSON logs (pino) or the metrics line: the human-readable ones. */
export function plainStderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));
}

/** Every capture file in pcaps/ (pcap and pcapng). */
export function captureFiles(): string[] {
  return fs
    .readdirSync(PCAPS)
    .filter((f) => f.endsWith('.pcap') || f.endsWith('.pcapng'))
    .sort();
}

/** pcaps/<name>.expected.ndjson for pcaps/<name>.pcap(ng). */
export function goldenFileOf(capture: string): string {
  return path.join(PCAPS, capture.replace(/\.pcap(ng)?$/, '') + '.expected.ndjson');
}

/** The options golden files are made with: request and response text included, so a reviewer can compare them with tshark. */
export const GOLDEN_ARGS = [
  '-t',
  '-E',
  'pb_echo.protocols=[{type: echo, send_request: true, send_response: true}]',
];

/** Captures that are damaged on purpose, and the exit code and stderr line pb_echo must give for them. */
export const DAMAGED: Record<string, { code: number; line: RegExp }> = {
  'echo-truncated.pcap': {
    code: 3,
    line: /^pb_echo: .*echo-truncated\.pcap: capture truncated at byte \d+ after \d+ records/,
  },
};
