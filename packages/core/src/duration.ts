// Durations as Beats configurations write them: a number with a unit, units combined ('1m30s',
// '1h15m', '1.5s'), units ns, us, µs, ms, s, m, h; or a bare number of seconds.
import { z } from 'zod';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const DURATION_PART_RE = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;

/** What a duration option expects, for error messages. */
export const DURATION_EXPECTED =
  "expected a duration such as '10s', '500ms', '1m', '2h' or a number of seconds";

/** Parses '10s', '500ms', '1m30s', '2h' or a number of seconds into milliseconds; undefined if invalid. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (!DURATION_RE.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(DURATION_PART_RE)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return ms;
}

/** A duration option: a string with units or a number of seconds; parses to milliseconds. */
export const durationSchema = z
  .union([z.string(), z.number()], { error: DURATION_EXPECTED })
  .transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `${DURATION_EXPECTED}, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return ms;
  });
