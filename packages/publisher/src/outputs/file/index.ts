// output.file: NDJSON files rotated by size.
import fs from 'fs';
import path from 'path';
import { OutputConnectionError } from '../../errors';
import { defineOutput } from '../define';
import { FileOutput } from './file-output';
import { fileOutputSchema } from './schema';

export { fileOutputSchema, type FileOutputConfig } from './schema';

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
