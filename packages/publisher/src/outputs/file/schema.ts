// `output.file`: where the NDJSON files go and how they rotate.
import { z } from 'zod';

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
