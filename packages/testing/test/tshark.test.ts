// The tshark helpers golden files are checked with: exact nanosecond times, streams and lines.
import * as path from 'node:path';
import { epochToNs, fieldsLike, nsToIso, tsharkLines, tsharkTcpStreams, type TsharkChunk } from '../src';

const PCAPS = path.resolve(__dirname, '../../../pcaps');

describe('tshark helpers', () => {
  it('keeps every nanosecond of frame.time_epoch', () => {
    expect(epochToNs('1795954262.570127752')).toBe(1795954262570127752n);
    expect(epochToNs('1795954255.4216')).toBe(1795954255421600000n);
    expect(epochToNs('12')).toBe(12_000_000_000n);
    expect(nsToIso(1795954262570999999n)).toBe('2026-11-29T12:11:02.570Z');
  });

  it('cuts lines at newlines, with the time of the segment holding their first byte, and marks gaps', () => {
    const chunk = (offset: number, text: string, tsNs: bigint, gapBefore = 0): TsharkChunk => ({
      offset,
      tsNs,
      bytes: Buffer.from(text),
      gapBefore,
    });
    const lines = tsharkLines([chunk(0, '>a\n>b', 1n), chunk(5, 'c\n>d', 2n), chunk(20, 'x\n>e\n', 3n, 11)]);
    expect(lines.map((l) => [l.text, l.size, l.tsNs, l.damaged])).toEqual([
      ['>a', 3, 1n, false],
      ['>bc', 4, 1n, false],
      ['>d', 2, 2n, true],
      ['x', 2, 3n, true],
      ['>e', 3, 3n, false],
    ]);
  });

  it("reads a capture's connections: endpoints, and each side's bytes once", () => {
    const streams = tsharkTcpStreams(path.join(PCAPS, 'echo.pcap'), [3030]);
    expect(streams).toHaveLength(3);
    for (const s of streams) {
      expect(s).toMatchObject({ handshake: true, server: { ip: '127.0.0.1', port: 3030 } });
      const sent = s.toServer.reduce((n, c) => n + c.bytes.length, 0);
      expect(sent).toBe(s.toServer.at(-1)!.offset + s.toServer.at(-1)!.bytes.length);
    }
    expect(streams.map((s) => s.client.port)).toEqual([46180, 46184, 46190]);
  });

  it('picks the fields a derivation knows from an event', () => {
    const event = { a: 1, b: { c: 2, d: 3 }, e: [1], f: 'x' };
    expect(fieldsLike(event, { b: { c: 0 }, e: [], g: 1 })).toEqual({ b: { c: 2 }, e: [1], g: undefined });
  });
});
