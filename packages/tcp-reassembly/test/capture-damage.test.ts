// Hostile captures (issue 11, items 4 and 5): impossible timestamps and pcapng damage are skipped
// per packet, counted, and reported as typed warnings naming the file; nothing throws.
import {
  CorruptCaptureWarning,
  LinkType,
  PcapReader,
  PcapWriter,
  TcpReassembler,
  TimestampOutOfRangeWarning,
  UndeclaredInterfaceWarning,
  UnsupportedLinkTypeWarning,
  type Frame,
} from '../src/index';
import { frame, RecordingConsumer } from './helpers';
import { PcapngBuilder } from './pcapng-builder';

const NAME = 'crafted.pcapng';

function pkt(i: number): Buffer {
  return frame(0, {
    src: '10.0.0.1',
    dst: '10.0.0.2',
    srcPort: 1000,
    dstPort: 80,
    seq: i * 10,
    payload: `p${i}`,
  }).data as Buffer;
}

/** A frame whose data was copied into a Buffer. */
type CopiedFrame = Frame & { data: Buffer };

/** Reads a capture given as bytes; returns the reader (for counters and warnings) and copied frames. */
async function read(bytes: Buffer): Promise<[PcapReader, CopiedFrame[]]> {
  const reader = PcapReader.open(bytes, { name: NAME });
  const frames: CopiedFrame[] = [];
  await reader.forEach((f) => frames.push({ ...f, data: Buffer.from(f.data) }));
  return [reader, frames];
}

/** An interface description block with raw options (code, value) in little-endian order. */
function idbWithOptions(b: PcapngBuilder, linktype: number, options: Array<[number, Buffer]>): PcapngBuilder {
  const parts: Buffer[] = [
    Buffer.from([linktype & 255, linktype >> 8, 0, 0]),
    Buffer.from([0xff, 0xff, 0, 0]),
  ];
  for (const [code, value] of options) {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(code, 0);
    head.writeUInt16LE(value.length, 2);
    parts.push(head, value, Buffer.alloc((4 - (value.length % 4)) % 4));
  }
  parts.push(Buffer.alloc(4));
  return b.block(1, Buffer.concat(parts));
}

describe('timestamps outside the years 1970..9999', () => {
  it('skips every packet of an interface with if_tsresol 0 (seconds) and warns once, naming the file', async () => {
    const bytes = new PcapngBuilder()
      .shb()
      .idb(LinkType.ETHERNET, 0)
      .epb(0, 1700000000123456n, pkt(1))
      .epb(0, 1700000000223456n, pkt(2))
      .build();
    const [reader, frames] = await read(bytes);
    expect(frames).toHaveLength(0);
    expect(reader.framesBadTimestamp).toBe(2);
    expect(reader.warnings).toHaveLength(1);
    const w = reader.warnings[0];
    expect(w).toBeInstanceOf(TimestampOutOfRangeWarning);
    expect(w).toMatchObject({ count: 2, recordsRead: 0 });
    expect(w.message).toMatch(/^crafted\.pcapng: 2 packets skipped, timestamps outside years 1970\.\.9999/);
  });

  it('keeps the good packets around huge and negative ones; every delivered timestamp makes an ISO date', async () => {
    const negOffset = Buffer.alloc(8);
    negOffset.writeBigInt64LE(-2000000000n);
    const b = new PcapngBuilder().shb().idb(LinkType.ETHERNET); // interface 0: µs
    idbWithOptions(b, LinkType.ETHERNET, [[14, negOffset]]); // interface 1: if_tsoffset -2e9 s
    const bytes = b
      .epb(0, 1700000000000000n, pkt(1))
      .epb(0, 0xffffffff_ffffffffn, pkt(2)) // 2^64 µs: year 586,912
      .epb(1, 1000000n, pkt(3)) // 1 s - 2e9 s: 1906
      .epb(0, 253402300800000000n, pkt(4)) // 10000-01-01: one ms too late
      .epb(0, 253402300799999000n, pkt(5)) // 9999-12-31T23:59:59.999Z: the last good instant
      .build();
    const [reader, frames] = await read(bytes);
    expect(frames.map((f) => f.data.equals(pkt(1)) || f.data.equals(pkt(5)))).toEqual([true, true]);
    expect(frames.map((f) => new Date(f.ts).toISOString())).toEqual([
      '2023-11-14T22:13:20.000Z',
      '9999-12-31T23:59:59.999Z',
    ]);
    expect(reader.framesBadTimestamp).toBe(3);
    const [w] = reader.warnings;
    expect(w).toBeInstanceOf(TimestampOutOfRangeWarning);
    expect((w as TimestampOutOfRangeWarning).firstValueMs).toBeGreaterThan(253402300799999);
  });

  it('leaves classic pcap timestamps alone: 32-bit seconds are always in range', async () => {
    const w = PcapWriter.memory(LinkType.ETHERNET);
    w.writePacket(4294967295 * 1000 + 999.999, pkt(1));
    const [reader, frames] = await read(w.toBuffer());
    expect(frames).toHaveLength(1);
    expect(new Date(frames[0].ts).toISOString()).toBe('2106-02-07T06:28:15.999Z');
    expect(reader.warnings).toEqual([]);
  });
});

describe('pcapng damage', () => {
  it('stops at a block whose trailing length differs from its leading length', async () => {
    const bytes = new PcapngBuilder()
      .shb()
      .idb(LinkType.ETHERNET)
      .epb(0, 1700000000000000n, pkt(1))
      .epb(0, 1700000000000001n, pkt(2))
      .epb(0, 1700000000000002n, pkt(3))
      .build();
    // The second packet block starts after the first: find it by its leading length and damage its tail.
    const first = bytes.indexOf(Buffer.from([6, 0, 0, 0]), 28 + 20);
    const len = bytes.readUInt32LE(first + 4);
    const second = first + len;
    bytes.writeUInt32LE(len + 4, second + bytes.readUInt32LE(second + 4) - 4);
    const [reader, frames] = await read(bytes);
    expect(frames.map((f) => f.data.equals(pkt(1)))).toEqual([true]);
    expect(reader.warnings).toHaveLength(1);
    expect(reader.warnings[0]).toBeInstanceOf(CorruptCaptureWarning);
    expect(reader.warnings[0].message).toMatch(
      /^crafted\.pcapng: corrupt record at byte \d+ after 1 records \(trailing block length \d+ differs from \d+\)$/,
    );
  });

  it('counts and reports packets of undeclared interfaces instead of skipping them silently', async () => {
    const bytes = new PcapngBuilder()
      .shb()
      .idb(LinkType.ETHERNET)
      .epb(3, 1700000000000000n, pkt(1))
      .epb(0, 1700000000000001n, pkt(2))
      .epb(7, 1700000000000002n, pkt(3))
      .build();
    const [reader, frames] = await read(bytes);
    expect(frames).toHaveLength(1);
    expect(reader.framesUndeclaredInterface).toBe(2);
    expect(reader.warnings).toHaveLength(1);
    expect(reader.warnings[0]).toBeInstanceOf(UndeclaredInterfaceWarning);
    expect(reader.warnings[0]).toMatchObject({ count: 2, interfaceId: 3 });
    expect(reader.warnings[0].message).toMatch(
      /^crafted\.pcapng: 2 packets skipped, their interface \(first: 3 at byte \d+\) was never declared$/,
    );
  });

  it('reports simple packet blocks before any interface', async () => {
    const [reader] = await read(new PcapngBuilder().shb().spb(pkt(1)).build());
    expect(reader.framesUndeclaredInterface).toBe(1);
    expect(reader.warnings[0]).toBeInstanceOf(UndeclaredInterfaceWarning);
  });

  it('delivers and reports packets of an unsupported link type; the reassembler decodes none of them', async () => {
    const bytes = new PcapngBuilder()
      .shb()
      .idb(147) // LINKTYPE_USER0
      .idb(LinkType.ETHERNET)
      .epb(0, 1700000000000000n, pkt(1))
      .epb(1, 1700000000000001n, pkt(2))
      .epb(0, 1700000000000002n, pkt(3))
      .build();
    const [reader, frames] = await read(bytes);
    expect(frames.map((f) => f.linktype)).toEqual([147, 1, 147]);
    expect(reader.framesUnsupportedLinktype).toBe(2);
    expect(reader.warnings).toHaveLength(1);
    expect(reader.warnings[0]).toBeInstanceOf(UnsupportedLinkTypeWarning);
    expect(reader.warnings[0].message).toBe(
      `${NAME}: 2 packets of unsupported link type 147 cannot be decoded`,
    );
    const r = new TcpReassembler(new RecordingConsumer());
    for (const f of frames) r.processFrame(f);
    expect(r.counters()).toMatchObject({ decoded: 1, undecodable: { unsupported_linktype: 2 } });
  });

  it('reports a classic pcap file of an unsupported link type', async () => {
    const w = PcapWriter.memory(147);
    w.writePacket(1700000000000, pkt(1));
    w.writePacket(1700000000001, pkt(2));
    const [reader, frames] = await read(w.toBuffer());
    expect(frames).toHaveLength(2);
    expect(reader.framesUnsupportedLinktype).toBe(2);
    expect(reader.warnings.map((x) => x.constructor.name)).toEqual(['UnsupportedLinkTypeWarning']);
  });

  it('reports the same through the async iterator', async () => {
    const bytes = new PcapngBuilder()
      .shb()
      .idb(LinkType.ETHERNET, 0)
      .epb(0, 1n << 60n, pkt(1))
      .build();
    const reader = PcapReader.open(bytes, { name: NAME });
    const seen: Frame[] = [];
    for await (const f of reader) seen.push(f);
    expect(seen).toHaveLength(0);
    expect(reader.warnings.map((x) => x.constructor.name)).toEqual(['TimestampOutOfRangeWarning']);
  });
});
