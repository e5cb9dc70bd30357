// The shared definitions: durations as Beats write them, error codes, the common fields.
import {
  WirebeatError,
  commonFields,
  beatAddedFields,
  beatAddedRoots,
  rootNamesOf,
  durationSchema,
  errorCodeOf,
  parseDuration,
} from '@wirebeat/core';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['1m', 60_000],
    ['2h', 7_200_000],
    ['1m30s', 90_000],
    ['1h15m', 4_500_000],
    ['1.5s', 1500],
    ['250us', 0.25],
    [3, 3000],
    ['3', 3000],
  ])('%s is %d ms', (input, ms) => {
    expect(durationSchema.parse(input)).toBe(ms);
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['soon', '10 parsecs', '-1s', '1m30', ''])('rejects %j saying what it expects', (input) => {
    const r = durationSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe(
      `expected a duration such as '10s', '500ms', '1m', '2h' or a number of seconds, got ${JSON.stringify(input)}`,
    );
  });
});

describe('WirebeatError', () => {
  class PortConflictError extends WirebeatError {}
  it('has a code derived from its class name, a name, and keeps its cause', () => {
    const cause = new Error('below');
    const err = new PortConflictError('port 80 twice', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'PortConflictError', code: 'ERR_PORT_CONFLICT', cause });
    expect(new WirebeatError('x', { code: 'ERR_CUSTOM' }).code).toBe('ERR_CUSTOM');
    expect(errorCodeOf('TcpReassemblyError')).toBe('ERR_TCP_REASSEMBLY');
  });
});

describe('commonFields and beatAddedFields', () => {
  it('list each field once over both lists, process names with what the beat adds', () => {
    const names = [...commonFields, ...beatAddedFields].map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(commonFields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['@timestamp', 'network.community_id', 'event.duration']),
    );
    expect(beatAddedFields.map((f) => f.name)).toEqual(expect.arrayContaining(['source.process.name']));
  });

  it('derive the roots only a beat adds', () => {
    expect(beatAddedRoots).toEqual(['ecs', 'host', 'agent', 'related', 'error', 'tags']);
    expect(rootNamesOf(commonFields)).not.toContain('host');
  });
});
