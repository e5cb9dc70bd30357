// redis.expected.ndjson checked against tshark's view of the capture rather than the analyzer that
// wrote it: each connection's bytes as tshark's TCP fields carry them, cut into RESP messages by a
// framer of this test, paired in order (pushes answer nothing) give each event's endpoints, command
// line, byte counts, status, @timestamp, event.start/end, event.duration (to the nanosecond the
// capture holds) and responsetime. Connections in pub/sub mode (RESP2 messages look like replies)
// are checked for their endpoints and commands only, by the dissector test in replay.test.ts.
import * as path from 'node:path';
import {
  fieldsLike,
  goldenPathFor,
  nsToIso,
  readGolden,
  tsharkTcpStreams,
  type JsonRecord,
  type TsharkChunk,
} from '@wirebeat/testing';

const CAPTURE = path.join(__dirname, 'fixtures/redis.pcap');

/** One RESP message (or inline command) of a direction. */
interface Frame {
  /** First byte's type: '*', '+', '-', '>' ..., or '' for an inline command. */
  type: string;
  size: number;
  tsNs: bigint;
  /** The bulk strings of a command array, or the words of an inline command. */
  args: string[];
}

/** Where the value starting at `pos` ends (after its last byte), or -1 when `buf` is too short. */
function valueEnd(buf: Buffer, pos: number, args?: string[]): number {
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return -1;
  const type = String.fromCharCode(buf[pos]);
  const n = Number(buf.toString('latin1', pos + 1, eol));
  switch (type) {
    case '$':
    case '=':
    case '!': {
      if (n < 0) return eol + 2;
      const end = eol + 2 + n + 2;
      if (buf.length < end) return -1;
      args?.push(buf.toString('utf8', eol + 2, eol + 2 + n));
      return end;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      let at = eol + 2;
      const count = type === '%' || type === '|' ? 2 * n : Math.max(0, n);
      for (let i = 0; i < count && at >= 0; i++) at = valueEnd(buf, at, type === '*' ? args : undefined);
      // An attribute comes before the reply it describes: both are one message.
      return type === '|' && at >= 0 ? valueEnd(buf, at) : at;
    }
    default:
      return eol + 2;
  }
}

/** The RESP messages of one direction, each with the time of the segment holding its first byte. */
function respFrames(chunks: TsharkChunk[]): Frame[] {
  expect(chunks.every((c) => c.gapBefore === 0)).toBe(true);
  const bytes = Buffer.concat(chunks.map((c) => c.bytes));
  const timeAt = (offset: number) => chunks.filter((c) => c.offset <= offset).pop()!.tsNs;
  const out: Frame[] = [];
  for (let pos = 0; pos < bytes.length;) {
    const first = String.fromCharCode(bytes[pos]);
    const inline = !'*+-:$_,#(=!%~>|'.includes(first);
    const args: string[] = [];
    const end = inline ? bytes.indexOf('\r\n', pos) + 2 : valueEnd(bytes, pos, args);
    expect(end).toBeGreaterThan(pos);
    if (inline)
      args.push(
        ...bytes
          .toString('utf8', pos, end - 2)
          .trim()
          .split(/\s+/),
      );
    out.push({ type: inline ? '' : first, size: end - pos, tsNs: timeAt(pos), args });
    pos = end;
  }
  return out;
}

describe('redis.expected.ndjson against tshark', () => {
  const golden = readGolden(goldenPathFor(CAPTURE));
  const streams = tsharkTcpStreams(CAPTURE, [6379]);

  it('has one golden event per command tshark carries, connection by connection', () => {
    let commands = 0;
    for (const s of streams) {
      const sent = respFrames(s.toServer);
      commands += sent.length;
      expect(golden.filter((g) => (g.client as JsonRecord).port === s.client.port)).toHaveLength(sent.length);
    }
    expect(golden).toHaveLength(commands);
  });

  it('each request/reply event has the endpoints, command, bytes, status, times and duration tshark shows', () => {
    let checked = 0;
    for (const s of streams) {
      const requests = respFrames(s.toServer);
      if (requests.some((r) => /^P?SUBSCRIBE$/i.test(r.args[0] ?? ''))) continue;
      const replies = respFrames(s.toClient).filter((r) => r.type !== '>');
      const events = golden.filter((g) => (g.client as JsonRecord).port === s.client.port);
      expect(replies).toHaveLength(requests.length);
      requests.forEach((req, i) => {
        const reply = replies[i];
        const elapsed = reply.tsNs - req.tsNs;
        const want: JsonRecord = {
          client: { ip: s.client.ip, port: s.client.port, bytes: req.size },
          server: { ip: s.server.ip, port: s.server.port, bytes: reply.size },
          bytes_in: req.size,
          bytes_out: reply.size,
          method: req.args[0].toUpperCase(),
          status: reply.type === '-' || reply.type === '!' ? 'Error' : 'OK',
          '@timestamp': nsToIso(req.tsNs),
          event: { start: nsToIso(req.tsNs), end: nsToIso(reply.tsNs), duration: Number(elapsed) },
          responsetime: Number(elapsed / 1_000_000n),
        };
        // The password of AUTH is published redacted; every other command line as sent.
        if (want.method !== 'AUTH') want.query = req.args.join(' ');
        expect({ [`${s.client.port} #${i}`]: fieldsLike(events[i], want) }).toEqual({
          [`${s.client.port} #${i}`]: want,
        });
        checked++;
      });
    }
    expect(checked).toBeGreaterThanOrEqual(40);
  });
});
