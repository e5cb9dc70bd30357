// tshark's dissection of a capture as rows of fields (multi-valued fields split on '|').
import { execFileSync } from 'node:child_process';

/** One row per frame matching `filter`: field name -> values (empty list when absent). */
export function tsharkFields(
  capture: string,
  filter: string,
  fields: string[],
): Array<Record<string, string[]>> {
  let out: string;
  try {
    out = execFileSync(
      'tshark',
      [
        '-r',
        capture,
        '-Y',
        filter,
        '-T',
        'fields',
        '-E',
        'aggregator=|',
        ...fields.flatMap((f) => ['-e', f]),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 },
    );
  } catch (err) {
    throw new Error(`tshark is needed for this test (apt-get install tshark): ${(err as Error).message}`);
  }
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const cols = line.split('\t');
      return Object.fromEntries(fields.map((f, i) => [f, cols[i] ? cols[i].split('|') : []]));
    });
}
