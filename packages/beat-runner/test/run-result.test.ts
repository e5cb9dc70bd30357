// The closing rule on its own: which result ends with which error (the CLI tests run it for real).
import type { BeatResult } from '../src/internal';
import {
  checkRunResult,
  DamagedInputError,
  LostEventsError,
  NothingDecodedError,
  PluginFailureError,
  UndeliveredEventsError,
} from '../src/internal';

function result(over: {
  damage?: string[];
  undelivered?: number;
  lastOutputFailure?: string;
  reassembly?: Record<string, unknown>;
  publisher?: Record<string, unknown>;
  protocols?: Record<string, unknown>;
}): BeatResult {
  return {
    source: { frames: 10, bytes: 1000, damage: over.damage ?? [] },
    undelivered: over.undelivered ?? 0,
    lastOutputFailure: over.lastOutputFailure,
    metrics: {
      uptime_ms: 1,
      source: { frames: 10 },
      reassembly: { packets: 10, decoded: 10, undecodable: {}, ...over.reassembly },
      udp: {},
      fragments: {},
      protocols: over.protocols ?? {},
      publisher: { published: 4, acked: 4, failed: 0, dropped: 0, ...over.publisher },
    },
  };
}

describe('checkRunResult', () => {
  it('passes a run that delivered everything it read, and one that read nothing', () => {
    expect(() => checkRunResult(result({}))).not.toThrow();
    expect(() => checkRunResult(result({ reassembly: { packets: 0, decoded: 0 } }))).not.toThrow();
  });

  it('names the damage first (exit 3)', () => {
    expect(() => checkRunResult(result({ damage: ['a.pcap: truncated'], undelivered: 3 }))).toThrow(
      new DamagedInputError('a.pcap: truncated'),
    );
  });

  it('refuses a run where nothing read could be decoded (exit 3), with the reasons', () => {
    let err: unknown;
    try {
      checkRunResult(
        result({
          reassembly: {
            packets: 7,
            decoded: 0,
            undecodable: { not_ip: 5, unsupported_linktype: 2, not_tcp: 0 },
          },
        }),
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NothingDecodedError);
    expect((err as NothingDecodedError).exitCode).toBe(3);
    expect((err as Error).message).toBe(
      'none of the 7 packets read could be decoded as TCP or UDP over IP (not_ip 5, unsupported_linktype 2)',
    );
  });

  it('reports undelivered events with the last output failure (exit 4)', () => {
    expect(() =>
      checkRunResult(result({ undelivered: 12, lastOutputFailure: 'output elasticsearch: down' })),
    ).toThrow(new UndeliveredEventsError(12, 'output elasticsearch: down'));
    expect(new UndeliveredEventsError(12, 'x').message).toBe(
      '12 events could not be delivered to the output before the drain timeout (last failure: x)',
    );
  });

  it('reports events rejected by the output and events dropped by a full queue (exit 4)', () => {
    expect(() => checkRunResult(result({ publisher: { failed: 2, dropped: 5 } }))).toThrow(
      new LostEventsError(
        '2 events rejected by the output and 5 events dropped because the queue was full (see the log for why)',
      ),
    );
    expect(new LostEventsError('x').exitCode).toBe(4);
  });

  it('ends a run where a protocol analyzer threw with exit 3, naming the protocols', () => {
    let err: unknown;
    try {
      checkRunResult(result({ protocols: { http: { plugin_failures: 0 }, redis: { plugin_failures: 2 } } }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PluginFailureError);
    expect((err as PluginFailureError).exitCode).toBe(3);
    expect((err as Error).message).toContain('(redis 2)');
  });
});
