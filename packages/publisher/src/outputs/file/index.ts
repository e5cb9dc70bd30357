// output.file: NDJSON files rotated by size.
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { OutputConnectionError } from '../../errors';
import { defineOutput } from '../define';
import { FileOutput } from './file-output';

/** `output.file`: NDJSON files rotated by size. */
export const fileOutputSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Directory of the files (created if missing). */
  path: z.string().min(1),
  /** Name of the current file (default: the beat's name); rotated files get `.1`, `.2`, ... */
  filename: z.string().min(1).optional(),
  /** Rotate when the current file would exceed this many KiB (default 10240). */
  rotate_every_kb: z.number().int().positive().default(10_240),
  /** Files kept, the current one included (default 7, 2..1024). */
  number_of_files: z.number().int().min(2).max(1024).default(7),
});

export type FileOutputConfig = z.output<typeof fileOutputSchema>;

/** The file output's definition. */
export const fileOutput = defineOutput({
  name: 'file',
  schema: fileOutputSchema,
  create: (f, ctx) =>
    new FileOutput({
      path: f.path,
      filename: f.filename ?? ctx.beatName,
      rotateBytes: f.rotate_every_kb * 1024,
      numberOfFiles: f.number_of_files,
    }),
  async test(f, ctx) {
    const file = path.join(f.path, f.filename ?? ctx.beatName);
    try {
      await fs.promises.mkdir(f.path, { recursive: true });
      await fs.promises.access(f.path, fs.constants.W_OK);
    } catch (e) {
      throw new OutputConnectionError(
        `file: ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    return `file: ${file} OK`;
  },
});
