import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import {
  CaptureFileError,
  CorruptCaptureWarning,
  LinkType,
  NotACaptureError,
  PcapReader,
  PcapWriter,
  readAllFrames,
  TruncatedCaptureWarning,
  type Frame,
} from '../src/index';
import { frame } from './helpers';
import { PcapngBuilder } from './pcapng-builder';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-pcap-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Rec {
  sec: number;
  frac: number;
  data: Buffer;
  origLen?: number;
}

/** A classic pcap written by hand in the requested byte order and time resolution. */
function classicPcap(le: boolean, nanos: boolean, linktype: number, recs: Rec[]): Buffer {
  const u32 = (v: number): Buffer => {
    const b = Buffer.alloc(4);
    if (le) b.writeUInt32LE(v >>> 0);
    else b.writeUInt32BE(v >>> 0);
    return b;
  };
  const u16 = (v: number): Buffer => {
    const b = Buffer.alloc(2);
    if (le) b.writeUInt16LE(v);
    else b.writeUInt16BE(v);
    return b;
  };
  const parts = [
    u32(nanos ? 0xa1b23c4d : 0xa1b2c3d4),
    u16(2),
    u16(4),
    u32(0),
    u32(0),
    u32(65535),
    u32(linktype),
  ];
  for (const r of recs)
    parts.push(u32(r.sec), u32(r.frac), u32(r.data.length), u32(r.origLen ?? r.data.length), r.data);
  return Buffer.concat(parts);
}

const pkt = (n: number): Buffer =>
  Buffer.from(
    frame(0, { src: '10.0.0.2', dst: '10.0.0.1', srcPort: 4000 + n, dstPort: 80, seq: n, payload: `p${n}` })
      .data,
  );

type CopiedFrame = Omit<Frame, 'data'> & { data: Buffer };

async function collect(reader: PcapReader): Promise<CopiedFrame[]> {
  const out: CopiedFrame[] = [];
  for await (const f of reader) out.push({ ...f, data: Buffer.from(f.data) });
  return out;
}

describe('classic pcap', () => {
  it.each([
    ['µs', false],
    ['ns', true],
  ])('forEach (one Frame object refilled) gives the frames the iterator gives (%s)', async (_n, nanos) => {
    const recs: Rec[] = Array.from({ length: 50 }, (_, i) => ({
      sec: 1700000000 + i,
      frac: nanos ? i * 19_999_999 : i * 19_999,
      data: pkt(i % 7).subarray(0, 20 + (i % 30)),
      origLen: i % 3 === 0 ? 200 : undefined,
    }));
    const file = classicPcap(true, nanos, LinkType.ETHERNET, recs);
    const iterated = (await collect(PcapReader.open(file))).map((f) => ({ ...f, data: Buffer.from(f.data) }));
    const seen: Frame[] = [];
    const objects = new Set<Frame>();
    await PcapReader.open(file).forEach((f) => {
      objects.add(f);
      seen.push({
        ts: f.ts,
        tsNanos: f.tsNanos,
        linktype: f.linktype,
        data: Buffer.from(f.data),
        origLen: f.origLen,
      });
    });
    expect(seen).toEqual(iterated);
    expect(seen.map((f) => f.tsNanos !== undefined)).toEqual(recs.map(() => nanos));
    expect(objects.size).toBe(1);
  });

  it.each([
    ['little-endian µs', true, false],
    ['big-endian µs', false, false],
    ['little-endian ns', true, true],
    ['big-endian ns', false, true],
  ])('reads %s', async (_n, le, nanos) => {
    const recs: Rec[] = [
      { sec: 1700000000, frac: nanos ? 123456789 : 123456, data: pkt(1) },
      {
        sec: 1700000001,
        frac: nanos ? 999999999 : 999999,
        data: pkt(2).subarray(0, 40),
        origLen: pkt(2).length,
      },
    ];
    const reader = PcapReader.open(classicPcap(le, nanos, LinkType.ETHERNET, recs));
    const frames = await collect(reader);
    expect(reader.format).toBe('pcap');
    expect(frames).toHaveLength(2);
    // Times to the microsecond in ts, exactly; the nanoseconds below it (ns captures) in tsNanos.
    expect(frames[0].ts).toBe(1700000000123.456);
    expect(frames[1].ts).toBe(1700000001999.999);
    expect(frames.map((f) => f.tsNanos)).toEqual(nanos ? [789, 999] : [undefined, undefined]);
    expect(frames[0].data.equals(pkt(1))).toBe(true);
    expect(frames[0].linktype).toBe(LinkType.ETHERNET);
    // The snaplen-cut frame is flagged by origLen > data.length, and counted.
    expect(frames[1].data.length).toBe(40);
    expect(frames[1].origLen).toBe(pkt(2).length);
    expect(reader.framesTruncated).toBe(1);
    expect(reader.framesRead).toBe(2);
    expect(reader.warnings).toEqual([]);
  });

  it('round-trips through PcapWriter, from a path, a Buffer and a Readable in tiny chunks', async () => {
    const file = path.join(tmp, 'rt.pcap');
    const w = PcapWriter.create(file, LinkType.ETHERNET, 60);
    const mem = PcapWriter.memory(LinkType.ETHERNET, 60);
    const written: Frame[] = [];
    for (let i = 0; i < 50; i++) {
      const data = Buffer.concat([pkt(i), Buffer.alloc(i)]);
      const f: Frame = {
        ts: 1700000000000 + i * 1.5,
        linktype: LinkType.ETHERNET,
        data,
        origLen: data.length,
      };
      written.push(f);
      w.write(f);
      mem.write(f);
    }
    w.close();
    const bytes = fs.readFileSync(file);
    expect(mem.toBuffer().equals(bytes)).toBe(true);
    const fromPath = await readAllFrames(file, { chunkSize: 97 });
    const fromBuffer = await readAllFrames(bytes);
    const fromStream = await collect(PcapReader.open(Readable.from(chunks(bytes, 7))));
    const iterated = await collect(PcapReader.open(file, { chunkSize: 50 }));
    for (const got of [fromPath.frames, fromBuffer.frames, fromStream, iterated]) {
      expect(got).toHaveLength(50);
      got.forEach((f, i) => {
        expect(f.ts).toBeCloseTo(written[i].ts, 6);
        expect(Buffer.from(f.data).equals(Buffer.from(written[i].data.subarray(0, 60)))).toBe(true);
        expect(f.origLen).toBe(written[i].data.length);
      });
    }
    // tcpdump reads what PcapWriter wrote.
    const out = execFileSync('tcpdump', ['-nn', '-r', file], {
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
    expect(out.trim().split('\n')).toHaveLength(50);
  });

  it('hands out every frame as a plain Uint8Array, from Buffers and where a record spans two reads', async () => {
    // One kind of byte array from the reader on: V8 optimises the decoders and parsers for the
    // kind it sees, and a second kind (the first chunk's frames were Buffers, records joined
    // across reads Uint8Arrays) makes every one of them slower.
    const recs = Array.from({ length: 40 }, (_, i) => ({ sec: 1, frac: i, data: pkt(i) }));
    const bytes = classicPcap(true, false, LinkType.ETHERNET, recs);
    const file = path.join(tmp, 'kinds.pcap');
    fs.writeFileSync(file, bytes);
    const kinds = async (reader: PcapReader): Promise<string[]> => {
      const seen: string[] = [];
      for await (const f of reader) seen.push(f.data.constructor.name);
      return seen;
    };
    for (const reader of [
      PcapReader.open(file, { chunkSize: 97 }),
      PcapReader.open(Readable.from(chunks(bytes, 7))),
      PcapReader.open(Readable.from(chunks(bytes, 1000))),
      PcapReader.open(bytes),
    ])
      expect(await kinds(reader)).toEqual(Array(40).fill('Uint8Array'));
  });

  it('reads records that span stream chunks of any size, large records too, as from one buffer', async () => {
    // Small and large records (a 40 kB one spans more than the bytes copied at a chunk's start).
    const recs = Array.from({ length: 300 }, (_, i) => ({
      sec: 2,
      frac: i,
      data: Buffer.concat([pkt(i), Buffer.alloc(i % 50 === 7 ? 40000 : (i * 37) % 1500, i)]),
    }));
    const bytes = classicPcap(true, false, LinkType.ETHERNET, recs);
    const whole = await collect(PcapReader.open(bytes));
    expect(whole).toHaveLength(300);
    for (const size of [7, 1000, 16383, 16385, 20000, 45000, 70001, bytes.length - 1]) {
      const reader = PcapReader.open(Readable.from(chunks(bytes, size)));
      const got = await collect(reader);
      expect(got.map((f) => [f.ts, f.data.toString('hex')])).toEqual(
        whole.map((f) => [f.ts, f.data.toString('hex')]),
      );
      expect(reader.bytesRead).toBe(bytes.length);
      expect(reader.warnings).toEqual([]);
    }
    // A record cut by the end of the input is still reported after a chunk that was bridged.
    const cut = bytes.subarray(0, bytes.length - 10);
    const reader = PcapReader.open(Readable.from(chunks(cut, 20000)));
    expect(await collect(reader)).toHaveLength(299);
    expect(reader.warnings.map((w) => w.constructor.name)).toEqual(['TruncatedCaptureWarning']);
  });

  it('stops when the frame callback closes the reader', async () => {
    const reader = PcapReader.open(
      classicPcap(
        true,
        false,
        1,
        [1, 2, 3].map((n) => ({ sec: n, frac: 0, data: pkt(n) })),
      ),
    );
    let seen = 0;
    await reader.forEach(() => {
      if (++seen === 2) reader.close();
    });
    expect(seen).toBe(2);
  });

  it('waits for a promise the frame callback returns before the next frame of the same chunk', async () => {
    const reader = PcapReader.open(
      classicPcap(
        true,
        false,
        1,
        [1, 2, 3, 4].map((n) => ({ sec: n, frac: 0, data: pkt(n) })),
      ),
    );
    const seen: number[] = [];
    let release: () => void = () => undefined;
    let onPause: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => (onPause = resolve));
    const done = reader.forEach((f) => {
      seen.push(f.ts);
      if (seen.length !== 2) return undefined;
      onPause();
      return new Promise<void>((r) => (release = r));
    });
    await paused;
    // The whole capture is one chunk: without the wait all four frames would be in already.
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([1000, 2000]);
    release();
    await done;
    expect(seen).toEqual([1000, 2000, 3000, 4000]);
  });

  it('delivers the records before a truncated last record, then warns with offset and count', async () => {
    const whole = classicPcap(
      true,
      false,
      1,
      [1, 2, 3].map((n) => ({ sec: n, frac: 0, data: pkt(n) })),
    );
    const cut = whole.subarray(0, whole.length - 10);
    for (const source of [cut, Readable.from(chunks(cut, 13))]) {
      const reader = PcapReader.open(source);
      const frames = await collect(reader);
      expect(frames).toHaveLength(2);
      expect(reader.warnings).toHaveLength(1);
      const w = reader.warnings[0];
      expect(w).toBeInstanceOf(TruncatedCaptureWarning);
      expect(w.offset).toBe(24 + 2 * (16 + pkt(1).length));
      expect(w.recordsRead).toBe(2);
      expect(w.message).toMatch(/truncated at byte \d+ after 2 records/);
    }
  });

  it('stops at an impossible record length with a CorruptCaptureWarning', async () => {
    const bad = Buffer.from(
      classicPcap(true, false, 1, [
        { sec: 1, frac: 0, data: pkt(1) },
        { sec: 2, frac: 0, data: pkt(2) },
      ]),
    );
    bad.writeUInt32LE(0x7fffffff, 24 + 16 + pkt(1).length + 8);
    const reader = PcapReader.open(bad);
    expect(await collect(reader)).toHaveLength(1);
    expect(reader.warnings[0]).toBeInstanceOf(CorruptCaptureWarning);
  });
});

describe('pcapng', () => {
  it.each([
    ['little-endian', true],
    ['big-endian', false],
  ])('reads %s sections with several interfaces, resolutions and block kinds', async (_n, le) => {
    const raw = frame(0, {
      src: '10.0.0.3',
      dst: '10.0.0.4',
      srcPort: 1,
      dstPort: 2,
      seq: 0,
      payload: 'raw',
      linktype: LinkType.RAW,
    }).data;
    const b = new PcapngBuilder(le)
      .shb()
      .idb(LinkType.ETHERNET) // default resolution: µs
      .idb(LinkType.RAW, 9) // ns
      .idb(LinkType.LINUX_SLL2, 0x80 | 10) // 2^-10 s
      .block(4, Buffer.alloc(8)) // name resolution block: skipped
      .epb(0, 1700000000123456n, pkt(1))
      .block(0x0bad, Buffer.from('unknown block')) // unknown: skipped
      .epb(1, 1700000000123456789n, Buffer.from(raw))
      .epb(0, 1700000000200000n, pkt(2).subarray(0, 30), pkt(2).length)
      .epb(2, 1024n * 5n + 512n, pkt(3))
      .spb(pkt(4))
      .build();
    const reader = PcapReader.open(b);
    const frames = await collect(reader);
    expect(reader.format).toBe('pcapng');
    expect(frames.map((f) => f.linktype)).toEqual([1, 101, 1, 276, 1]);
    expect(frames[0].ts).toBe(1700000000123.456);
    expect(frames[1].ts).toBe(1700000000123.456);
    // Nanoseconds only for interfaces finer than a microsecond (2^-10 s is coarser).
    expect(frames.map((f) => f.tsNanos)).toEqual([undefined, 789, undefined, undefined, undefined]);
    expect(frames[1].data.equals(Buffer.from(raw))).toBe(true);
    expect(frames[2].data.length).toBe(30);
    expect(frames[2].origLen).toBe(pkt(2).length);
    expect(frames[3].ts).toBe(5500);
    // A simple packet block has no timestamp: it gets the previous packet's.
    expect(frames[4].ts).toBe(5500);
    expect(frames[4].data.equals(pkt(4))).toBe(true);
    expect(reader.blocksSkipped).toBe(2);
    expect(reader.framesTruncated).toBe(1);
  });

  it('keeps the nanoseconds of picosecond and 2^-30 s interfaces', async () => {
    const b = new PcapngBuilder(true)
      .shb()
      .idb(LinkType.ETHERNET, 12) // ps
      .idb(LinkType.ETHERNET, 0x80 | 30) // 2^-30 s
      .epb(0, 5_123_456_789_012n, pkt(1))
      .epb(1, 5n * 2n ** 30n + 2n ** 29n + 1000n, pkt(2))
      .build();
    const frames = await collect(PcapReader.open(b));
    expect(frames.map((f) => [f.ts, f.tsNanos])).toEqual([
      [5123.456, 789],
      // 1000 units of 2^-30 s are 931.3 ns.
      [5500, 931],
    ]);
  });

  it('resets interfaces at a new section, which may change byte order', async () => {
    const a = new PcapngBuilder(true).shb().idb(LinkType.ETHERNET).epb(0, 1000n, pkt(1)).build();
    const b = new PcapngBuilder(false).shb().idb(LinkType.RAW).epb(0, 2000n, pkt(2)).build();
    const { frames } = await readAllFrames(Readable.from(chunks(Buffer.concat([a, b]), 5)));
    expect(frames.map((f) => [f.ts, f.linktype])).toEqual([
      [1, LinkType.ETHERNET],
      [2, LinkType.RAW],
    ]);
  });

  it('warns about a truncated last block after delivering the others', async () => {
    const whole = new PcapngBuilder(true).shb().idb(1).epb(0, 1n, pkt(1)).epb(0, 2n, pkt(2)).build();
    const reader = PcapReader.open(whole.subarray(0, whole.length - 6));
    expect(await collect(reader)).toHaveLength(1);
    expect(reader.warnings).toHaveLength(1);
    expect(reader.warnings[0]).toBeInstanceOf(TruncatedCaptureWarning);
    expect(reader.warnings[0].recordsRead).toBe(1);
  });
});

describe('inputs that are not captures', () => {
  it('names the file and its first bytes', async () => {
    const file = path.join(tmp, 'notes.txt');
    fs.writeFileSync(file, 'hello, this is text\n');
    const err = await PcapReader.open(file)
      .forEach(() => undefined)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotACaptureError);
    expect((err as Error).message).toBe(
      `${file}: not a pcap or pcapng capture (first bytes: 68 65 6c 6c 6f 2c 20 74 68 69 73 20 69 73 20 74)`,
    );
  });

  it('rejects an empty input and a 3-byte input through the iterator too', async () => {
    await expect(collect(PcapReader.open(Buffer.alloc(0)))).rejects.toThrow(
      '<buffer>: not a pcap or pcapng capture (first bytes: none, empty input)',
    );
    await expect(collect(PcapReader.open(Buffer.from([0xd4, 0xc3, 0xb2])))).rejects.toThrow(NotACaptureError);
  });

  it('throws CaptureFileError for a missing file and a directory', () => {
    expect(() => PcapReader.open(path.join(tmp, 'missing.pcap'))).toThrow(CaptureFileError);
    expect(() => PcapReader.open(tmp)).toThrow(/cannot read capture/);
  });

  it('wraps stream errors in CaptureFileError', async () => {
    const s = new Readable({
      read() {
        this.destroy(new Error('disk on fire'));
      },
    });
    await expect(collect(PcapReader.open(s, { name: 'live.pcap' }))).rejects.toThrow(
      'live.pcap: cannot read capture: disk on fire',
    );
  });
});

function* chunks(b: Buffer, n: number): Generator<Buffer> {
  for (let i = 0; i < b.length; i += n) yield b.subarray(i, i + n);
}
