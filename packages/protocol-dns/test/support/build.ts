// Builds DNS messages byte by byte for the tests (names uncompressed unless a pointer is given).

/** A name as labels; `ptr` ends it with a compression pointer instead of the root label. */
export function wireName(name: string, ptr?: number): number[] {
  const out: number[] = [];
  for (const label of name.split('.').filter((l) => l !== '')) {
    const bytes = Buffer.from(label, 'latin1');
    out.push(bytes.length, ...bytes);
  }
  if (ptr === undefined) out.push(0);
  else out.push(0xc0 | (ptr >> 8), ptr & 0xff);
  return out;
}

export const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
export const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
export const str = (s: string) => [Buffer.byteLength(s, 'latin1'), ...Buffer.from(s, 'latin1')];

/** One resource record. */
export function rr(owner: number[], type: number, klass: number, ttl: number, rdata: number[]): number[] {
  return [...owner, ...u16(type), ...u16(klass), ...u32(ttl), ...u16(rdata.length), ...rdata];
}

/** Options of a test message. */
export interface BuildOptions {
  id?: number;
  /** Header bytes 2 and 3 (QR, opcode, AA, TC, RD / RA, Z, AD, CD, rcode). */
  flags?: [number, number];
  questions?: Array<[string, number, number?]>;
  answers?: number[][];
  authorities?: number[][];
  additionals?: number[][];
}

/** A whole message. */
export function buildMessage(o: BuildOptions): Uint8Array {
  const qs = (o.questions ?? []).map(([n, t, c]) => [...wireName(n), ...u16(t), ...u16(c ?? 1)]);
  const an = o.answers ?? [];
  const ns = o.authorities ?? [];
  const ar = o.additionals ?? [];
  const header = [
    ...u16(o.id ?? 0x1234),
    ...(o.flags ?? [0x81, 0x80]),
    ...u16(qs.length),
    ...u16(an.length),
    ...u16(ns.length),
    ...u16(ar.length),
  ];
  return Uint8Array.from([...header, ...qs.flat(), ...an.flat(), ...ns.flat(), ...ar.flat()]);
}
