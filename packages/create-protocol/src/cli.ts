#!/usr/bin/env node
// `create-protocol` / `npm init @wirebeat/protocol`: one clear line and a non-zero exit on any
// refusal, never a stack trace.
import path from 'node:path';
import { CreateProtocolError } from './errors';
import { runCreateProtocol } from './run';

/** Command-line entry: exit code 0 on success, 1 on a refusal, 2 on a usage error. */
export async function main(argv: string[]): Promise<number> {
  try {
    const plan = await runCreateProtocol(argv, {
      cwd: process.cwd(),
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    });
    if (plan === null) return 0;
    const shown = path.relative(process.cwd(), plan.target) || '.';
    process.stdout.write(
      `Created ${plan.packageName ?? plan.exportName} in ${shown} (${plan.site.mode} mode)\n`,
    );
    for (const file of plan.edits.keys())
      process.stdout.write(`Updated ${path.relative(process.cwd(), file)}\n`);
    process.stdout.write(`Next:\n${plan.nextSteps.map((step) => `  ${step}\n`).join('')}`);
    return 0;
  } catch (err) {
    if (err instanceof CreateProtocolError) {
      process.stderr.write(`create-protocol: ${err.message}\n`);
      return err.name === 'UsageError' ? 2 : 1;
    }
    process.stderr.write(`create-protocol: unexpected failure: ${(err as Error).message ?? String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
