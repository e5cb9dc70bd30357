// The golden events of pcaps/ checked against tshark, not against the analyzer that wrote them:
// each connection's lines as tshark's TCP fields carry them, paired by their echoed text, give the
// endpoints, byte counts, request and response text, status, @timestamp, event.start/end,
// event.duration (to the nanosecond the capture holds) and responsetime of every transaction.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  fieldsLike,
  nsToIso,
  nsToIsoNanos,
  readGolden,
  goldenPathFor,
  tsharkLines,
  tsharkTcpStreams,
  type JsonRecord,
  type TsharkLine,
  type TsharkStream,
} from '@wirebeat/testing';

jest.setTimeout(60_000);

const PCAPS = path.resolve(__dirname, '../../../pcaps');
const captures = fs.readdirSync(PCAPS).filter((f) => /\.pcap(ng)?$/.test(f));

/** A transaction as the capture shows it: a request line, the line that echoes it, either missing. */
interface Derived {
  stream: TsharkStream;
  request?: TsharkLine;
  response?: TsharkLine;
}

const MARKERS = ['>', '<', '!'];
/** The text of a line without its marker. */
const textOf = (line: TsharkLine) => (MARKERS.includes(line.text[0]) ? line.text.slice(1) : line.text);

/** Pairs each response with the earliest unanswered request whose text it echoes. */
function derive(capture: string): Derived[] {
  const out: Derived[] = [];
  for (const stream of tsharkTcpStreams(capture, [3030])) {
    const open: TsharkLine[] = tsharkLines(stream.toServer);
    for (const response of tsharkLines(stream.toClient)) {
      const i = open.findIndex((r) => !r.damaged && !response.damaged && textOf(r) === textOf(response));
      if (i < 0) out.push({ stream, response });
      else out.push({ stream, request: open.splice(i, 1)[0], response });
    }
    for (const request of open) out.push({ stream, request });
  }
  return out;
}

/** True when some packet time of the stream has nanoseconds beyond whole microseconds. */
const hasNanoseconds = (s: TsharkStream) => [...s.toServer, ...s.toClient].some((c) => c.tsNs % 1000n !== 0n);

/**
 * The fields of an event tshark's view determines. Times of nanosecond captures keep their nine
 * digits (as date_nanos would), those of microsecond captures the milliseconds.
 */
function expectedFields(d: Derived, nanos: boolean): JsonRecord {
  const iso = nanos ? nsToIsoNanos : nsToIso;
  const { client, server } = d.stream;
  const bytesIn = d.request?.size ?? 0;
  const bytesOut = d.response?.size ?? 0;
  const fields: JsonRecord = {
    client: { ip: client.ip, port: client.port, bytes: bytesIn },
    server: { ip: server.ip, port: server.port, bytes: bytesOut },
    source: { ip: client.ip, port: client.port, bytes: bytesIn },
    destination: { ip: server.ip, port: server.port, bytes: bytesOut },
    network: { type: client.ip.includes(':') ? 'ipv6' : 'ipv4', bytes: bytesIn + bytesOut },
    bytes_in: bytesIn,
    bytes_out: bytesOut,
    '@timestamp': iso((d.request ?? d.response)!.tsNs),
  };
  if (d.request !== undefined) fields.request = textOf(d.request);
  if (d.response !== undefined) fields.response = textOf(d.response);
  if (d.request !== undefined && d.response !== undefined) {
    const elapsed = d.response.tsNs - d.request.tsNs;
    fields.status = d.response.text.startsWith('<') ? 'OK' : 'Error';
    fields.responsetime = Number(elapsed / 1_000_000n);
    fields.event = {
      start: iso(d.request.tsNs),
      end: iso(d.response.tsNs),
      duration: Number(elapsed),
    };
  }
  return fields;
}

const key = (port: unknown, request: unknown, response: unknown) =>
  `${String(port)} ${String(request)} ${String(response)}`;

it('finds captures with microsecond and with nanosecond packet times', () => {
  const kinds = captures.map((f) =>
    tsharkTcpStreams(path.join(PCAPS, f), [3030]).some(hasNanoseconds) ? 'ns' : 'us',
  );
  expect(kinds).toContain('ns');
  expect(kinds).toContain('us');
});

describe.each(captures)('%s: golden events against tshark', (file) => {
  const capture = path.join(PCAPS, file);
  const golden = readGolden(goldenPathFor(capture));
  const derived = derive(capture);
  // A capture with nanosecond packet times (tshark shows digits below the microsecond).
  const nanos = derived.some((d) => hasNanoseconds(d.stream));
  const complete = derived.filter(
    (d) => d.request && d.response && !d.request.damaged && !d.response.damaged,
  );

  it('every complete exchange tshark shows is one golden event without notes, with the same fields', () => {
    expect(complete.length).toBeGreaterThan(0);
    const clean = golden.filter((g) => g.notes === undefined);
    expect(clean).toHaveLength(complete.length);
    // Matched by connection and text (the same text may repeat: first unmatched first).
    const pool = new Map<string, JsonRecord[]>();
    for (const g of clean) {
      const k = key((g.client as JsonRecord).port, g.request, g.response);
      pool.set(k, [...(pool.get(k) ?? []), g]);
    }
    for (const d of complete) {
      const want = expectedFields(d, nanos);
      const g = pool.get(key(d.stream.client.port, want.request, want.response))?.shift();
      expect({
        [`${file} ${d.stream.client.port} ${String(want.request)}`]: g && fieldsLike(g, want),
      }).toEqual({
        [`${file} ${d.stream.client.port} ${String(want.request)}`]: want,
      });
    }
  });

  it('every golden event with notes is a request without its echo, an echo without its request, or damaged', () => {
    const noted = golden.filter((g) => g.notes !== undefined);
    const unanswered = derived.filter((d) => d.request && !d.response && !d.request.damaged);
    const orphans = derived.filter((d) => d.response && !d.request && !d.response.damaged);
    const damaged = derived.filter((d) => d.request?.damaged === true || d.response?.damaged === true);
    for (const g of noted) {
      const port = (g.client as JsonRecord).port;
      if (g.response === undefined) {
        const i = unanswered.findIndex(
          (d) => d.stream.client.port === port && textOf(d.request!) === g.request,
        );
        expect({
          [String(g.request)]:
            i >= 0 ? fieldsLike(g, expectedFields(unanswered[i], nanos)) : 'not unanswered',
        }).toEqual({
          [String(g.request)]: i >= 0 ? expectedFields(unanswered[i], nanos) : 'unanswered',
        });
        unanswered.splice(i, 1);
      } else if (g.request === undefined) {
        const i = orphans.findIndex(
          (d) => d.stream.client.port === port && textOf(d.response!) === g.response,
        );
        expect(i).toBeGreaterThanOrEqual(0);
        expect(fieldsLike(g, expectedFields(orphans[i], nanos))).toEqual(expectedFields(orphans[i], nanos));
        orphans.splice(i, 1);
      } else {
        // A message cut by a gap: tshark shows the damage on that connection.
        expect(damaged.some((d) => d.stream.client.port === port)).toBe(true);
      }
    }
    // Nothing the capture shows unanswered (or unasked) is missing from the golden events.
    expect(unanswered.map((d) => d.request!.text)).toEqual([]);
    expect(orphans.map((d) => d.response!.text)).toEqual([]);
  });
});
