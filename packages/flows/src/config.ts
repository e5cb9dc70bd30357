// `<beat>.flows`: Packetbeat's flow settings. timeout and period keep Packetbeat's meaning and
// limits (timeout at least 1 s; period -1, which turns intermediate reports off, or at least 1 s);
// max_flows is ours: the table is bounded.
import { durationSchema } from '@wirebeat/core';
import { z } from 'zod';
import { FlowsConfigError } from './errors';

/** What the flow table runs with (durations in ms of packet time). */
export interface FlowsOptions {
  /** A flow without packets for longer than this is reported final and forgotten (Packetbeat: 30 s). */
  timeoutMs: number;
  /** Every flow is reported (final false) at each multiple of this; -1: never (Packetbeat: 10 s). */
  periodMs: number;
  /** Flows kept at most; the least recently seen one is reported final and dropped to make room. */
  maxFlows: number;
}

/** Flows kept at most by default (about 300 bytes each). */
export const DEFAULT_MAX_FLOWS = 100_000;

/** `period: -1` (or '-1', '-1s'): intermediate reports off. */
const disabledPeriod = z.union([z.literal(-1), z.literal('-1'), z.literal('-1s')]).transform(() => -1);

/** The `<beat>.flows` section (absent: flows off; present: on unless `enabled: false`). */
export const flowsConfigSchema = z
  .strictObject({
    /** Publish network flows (default true when the section is present). */
    enabled: z.boolean().default(true),
    /** Idle time after which a flow is final (default 30s, at least 1s). */
    timeout: durationSchema.default(30_000),
    /** Period of intermediate reports (default 10s; -1 turns them off). */
    period: z.union([disabledPeriod, durationSchema]).default(10_000),
    /** Flows kept at most (default 100000); more evict the least recently seen. */
    max_flows: z.number().int().min(1).default(DEFAULT_MAX_FLOWS),
  })
  .superRefine((c, ctx) => {
    const problem = limitProblem(c.timeout, c.period);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

/** What is wrong with a timeout and a period by Packetbeat's limits, undefined when nothing. */
function limitProblem(timeoutMs: number, periodMs: number): string | undefined {
  if (timeoutMs < 1000) return `flows.timeout must be at least 1s, got ${timeoutMs}ms`;
  if (periodMs !== -1 && periodMs < 1000) return `flows.period must be -1 or at least 1s, got ${periodMs}ms`;
  return undefined;
}

/** The section as written, after validation. */
export type FlowsConfig = z.output<typeof flowsConfigSchema>;

/** The table's options from a validated section; throws FlowsConfigError on Packetbeat's limits. */
export function flowsOptions(c: FlowsConfig): FlowsOptions {
  const problem = limitProblem(c.timeout, c.period);
  if (problem !== undefined) throw new FlowsConfigError(problem);
  return { timeoutMs: c.timeout, periodMs: c.period, maxFlows: c.max_flows };
}
