// Golden replay: every capture in pcaps/ through the built pb_echo, compared event by event with its
// reviewed expected events. Nothing is ignored: replaying a file is deterministic (timestamps come
// from the packets, ids from the connections).
import * as fs from 'fs';
import * as path from 'path';
import {
  captureFiles,
  DAMAGED,
  events,
  goldenFileOf,
  GOLDEN_ARGS,
  PCAPS,
  plainStderrLines,
  runPbEcho,
} from './pb-echo-cli';

jest.setTimeout(60_000);

describe('golden replay of pcaps/', () => {
  const captures = captureFiles();

  it('finds the reference captures', () => {
    expect(captures).toEqual(
      expect.arrayContaining(['echo.pcap', 'echo-ipv6.pcap', 'echo-any-sll2.pcap', 'echo-truncated.pcap']),
    );
  });

  it.each(captures)('%s gives exactly its expected events', async (capture) => {
    const golden = goldenFileOf(capture);
    if (!fs.existsSync(golden))
      throw new Error(
        `${golden} is missing: generate it with examples/pb_echo/scripts/update-golden.js and review it`,
      );
    const expected = events(fs.readFileSync(golden, 'utf8'));
    const r = await runPbEcho(['-I', path.join(PCAPS, capture), ...GOLDEN_ARGS]);
    const damaged = DAMAGED[capture];
    const plain = plainStderrLines(r.stderr);
    if (damaged) {
      expect(r.code).toBe(damaged.code);
      expect(plain).toHaveLength(1);
      expect(plain[0]).toMatch(damaged.line);
    } else {
      expect(plain).toEqual([]);
      expect(r.code).toBe(0);
    }
    const got = events(r.stdout);
    expect(got).toHaveLength(expected.length);
    for (let i = 0; i < expected.length; i++)
      expect({ event: i, ...got[i] }).toEqual({ event: i, ...expected[i] });
  });

  it('echo.pcap without any config gives the same events, minus the request and response text', async () => {
    const expected = events(fs.readFileSync(goldenFileOf('echo.pcap'), 'utf8'));
    const r = await runPbEcho(['-I', path.join(PCAPS, 'echo.pcap'), '-t']);
    expect(r.code).toBe(0);
    const got = events(r.stdout);
    expect(got).toEqual(
      expected.map((e) => {
        const { request: _q, response: _r, ...rest } = e;
        return rest;
      }),
    );
  });
});

describe('golden replay of pcaps/ with two engine workers', () => {
  const sortedJson = (evs: Array<Record<string, unknown>>) => evs.map((e) => JSON.stringify(e)).sort();

  it.each(captureFiles())('%s gives the same set of events with -E pb_echo.workers=2', async (capture) => {
    const expected = events(fs.readFileSync(goldenFileOf(capture), 'utf8'));
    const r = await runPbEcho(['-I', path.join(PCAPS, capture), ...GOLDEN_ARGS, '-E', 'pb_echo.workers=2']);
    expect(r.code).toBe(DAMAGED[capture]?.code ?? 0);
    expect(plainStderrLines(r.stderr)).toHaveLength(DAMAGED[capture] ? 1 : 0);
    expect(sortedJson(events(r.stdout))).toEqual(sortedJson(expected));
  });
});
