// The closing rule of a run: exit code 0 only when everything read was delivered. Anything else is
// one error, whose message is the one line the user sees.
import type { BeatResult } from './beat';
import {
  type BeatRunnerError,
  DamagedInputError,
  LostEventsError,
  NothingDecodedError,
  PluginFailureError,
  UndeliveredEventsError,
} from './errors';

function count(section: Record<string, unknown>, key: string): number {
  const v = section[key];
  return typeof v === 'number' ? v : 0;
}

/** `unsupported_linktype 12, not_tcp 3` from the reassembler's undecodable counters. */
function undecodableSummary(reassembly: Record<string, unknown>): string {
  const reasons = (reassembly.undecodable ?? {}) as Record<string, number>;
  return Object.entries(reasons)
    .filter(([, n]) => n > 0)
    .map(([why, n]) => `${why} ${n}`)
    .join(', ');
}

/** The error a finished run ends with, or undefined when everything read was delivered. */
export function runResultError(result: BeatResult): BeatRunnerError | undefined {
  const { reassembly, publisher } = result.metrics;
  if (result.source.damage.length > 0) return new DamagedInputError(result.source.damage.join('; '));
  const packets = count(reassembly, 'packets');
  if (packets > 0 && count(reassembly, 'decoded') === 0) {
    const why = undecodableSummary(reassembly);
    return new NothingDecodedError(
      `none of the ${packets} packets read could be decoded as TCP or UDP over IP${why ? ` (${why})` : ''}`,
    );
  }
  if (result.undelivered > 0) return new UndeliveredEventsError(result.undelivered, result.lastOutputFailure);
  const failed = count(publisher, 'failed');
  const dropped = count(publisher, 'dropped');
  if (failed > 0 || dropped > 0) {
    const parts = [
      failed > 0 ? `${failed} events rejected by the output` : '',
      dropped > 0 ? `${dropped} events dropped because the queue was full` : '',
    ];
    return new LostEventsError(parts.filter(Boolean).join(' and ') + ' (see the log for why)');
  }
  const failures = Object.entries(result.metrics.protocols ?? {})
    .map(([name, c]) => [name, count(c as Record<string, unknown>, 'plugin_failures')] as const)
    .filter(([, n]) => n > 0);
  if (failures.length > 0) {
    const list = failures.map(([name, n]) => `${name} ${n}`).join(', ');
    return new PluginFailureError(
      `protocol analyzers failed (${list}): those transactions were published as Error with a note (see the log)`,
    );
  }
  return undefined;
}

/** Throws the error of a run that did not deliver everything it read. */
export function checkRunResult(result: BeatResult): void {
  const err = runResultError(result);
  if (err !== undefined) throw err;
}
