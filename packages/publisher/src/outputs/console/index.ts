// output.console: NDJSON on stdout, the default output.
import { z } from 'zod';
import { defineOutput } from '../define';
import { ConsoleOutput } from './console-output';

/** `output.console`: NDJSON on stdout. */
export const consoleOutputSchema = z.strictObject({
  /** Whether this output is the active one (default true when the section is present). */
  enabled: z.boolean().default(true),
  /** Indented JSON instead of one line per event (default false). */
  pretty: z.boolean().default(false),
});

export type ConsoleOutputConfig = z.output<typeof consoleOutputSchema>;

/** The console output's definition. */
export const consoleOutput = defineOutput({
  name: 'console',
  schema: consoleOutputSchema,
  create: (cfg) => new ConsoleOutput({ pretty: cfg.pretty }),
  test: async () => 'console: OK (events go to stdout)',
});
