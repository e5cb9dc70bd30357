// Record data (RDATA) of each common type, as Packetbeat publishes it: the main value in `data`,
// the other parts beside it (MX preference, SOA serial ...). Types without a decoder here are
// shown in the RFC 3597 generic form (`\# <length> <hex>`).
import { NameError, readName, type NameCache } from './names';
import { base32HexText, base64Text, charText, dnssecTimeText, hexText, ipv4Text, ipv6Text } from './text';
import { TYPE, algorithmName, digestName, typeName } from './types';

/** The parts of one record's data beside `data` (numbers stay numbers). */
export type RdataExtras = Record<string, string | number>;

/** Decoded record data. */
export interface Rdata {
  data: string;
  extras?: RdataExtras;
}

/** Why record data could not be decoded. */
export class RdataError extends Error {}

/** Decodes the data of a record of type `type` at msg[from, to). Throws RdataError or NameError. */
export function decodeRdata(
  msg: Uint8Array,
  type: number,
  from: number,
  to: number,
  names?: NameCache,
): Rdata {
  const r = new RdataReader(msg, from, to, names);
  switch (type) {
    case TYPE.A:
      return { data: ipv4Text(msg, r.take(4)) };
    case TYPE.AAAA:
      return { data: ipv6Text(msg, r.take(16)) };
    case TYPE.NS:
    case TYPE.CNAME:
    case TYPE.PTR:
    case TYPE.DNAME:
      return { data: r.name() };
    case TYPE.MX: {
      const preference = r.u16();
      return { data: r.name(), extras: { preference } };
    }
    case TYPE.SOA: {
      const mname = r.name();
      const rname = r.name();
      const [serial, refresh, retry, expire, minimum] = [r.u32(), r.u32(), r.u32(), r.u32(), r.u32()];
      return { data: mname, extras: { rname, serial, refresh, retry, expire, minimum } };
    }
    case TYPE.SRV: {
      const [priority, weight, port] = [r.u16(), r.u16(), r.u16()];
      return { data: r.name(), extras: { priority, weight, port } };
    }
    case TYPE.TXT: {
      const parts: string[] = [];
      while (r.left > 0) parts.push(r.charString());
      return { data: parts.join(' ') };
    }
    case TYPE.CAA: {
      const flags = r.u8();
      const tagLen = r.u8();
      const tagAt = r.take(tagLen);
      const tag = charText(msg, tagAt, tagAt + tagLen);
      const valueAt = r.pos;
      // flags as text, like DNSKEY's: one `flags` field in the index whatever the record type.
      return { data: charText(msg, valueAt, r.rest()), extras: { flags: String(flags), tag } };
    }
    case TYPE.DS:
    case TYPE.CDS: {
      const [keyTag, alg, digest] = [r.u16(), r.u8(), r.u8()];
      const extras = {
        key_tag: String(keyTag),
        algorithm: algorithmName(alg),
        digest_type: digestName(digest),
      };
      return { data: hexText(msg, r.pos, r.rest()), extras };
    }
    case TYPE.DNSKEY:
    case TYPE.CDNSKEY: {
      const [flags, protocol, alg] = [r.u16(), r.u8(), r.u8()];
      const extras = { flags: String(flags), protocol: String(protocol), algorithm: algorithmName(alg) };
      return { data: base64Text(msg, r.pos, r.rest()), extras };
    }
    case TYPE.RRSIG:
      return rrsig(r, msg);
    case TYPE.NSEC: {
      const next = r.name();
      return { data: next, extras: { type_bits: typeBits(r) } };
    }
    case TYPE.NSEC3:
      return nsec3(r, msg);
    case TYPE.NSEC3PARAM: {
      const [hash, flags, iterations] = [r.u8(), r.u8(), r.u16()];
      const saltLen = r.u8();
      const at = r.take(saltLen);
      const extras = { hash: digestName(hash), flags: String(flags), iterations: String(iterations) };
      return { data: saltLen === 0 ? '-' : hexText(msg, at, at + saltLen), extras };
    }
    case TYPE.SVCB:
    case TYPE.HTTPS:
      return svcb(r, msg);
    default:
      return { data: genericText(msg, from, to) };
  }
}

/** RFC 3597's generic form of record data: `\# <length> <hex>`. */
export function genericText(msg: Uint8Array, from: number, to: number): string {
  return to === from ? '\\# 0' : `\\# ${to - from} ${hexText(msg, from, to)}`;
}

function rrsig(r: RdataReader, msg: Uint8Array): Rdata {
  const covered = r.u16();
  const [alg, labels, originalTtl, expiration, inception, keyTag] = [
    r.u8(),
    r.u8(),
    r.u32(),
    r.u32(),
    r.u32(),
    r.u16(),
  ];
  const signer = r.name();
  return {
    data: base64Text(msg, r.pos, r.rest()),
    extras: {
      type_covered: typeName(covered),
      algorithm: algorithmName(alg),
      labels: String(labels),
      original_ttl: String(originalTtl),
      expiration: dnssecTimeText(expiration),
      inception: dnssecTimeText(inception),
      key_tag: String(keyTag),
      signer_name: signer,
    },
  };
}

function nsec3(r: RdataReader, msg: Uint8Array): Rdata {
  const [hash, flags, iterations] = [r.u8(), r.u8(), r.u16()];
  const saltLen = r.u8();
  const saltAt = r.take(saltLen);
  const hashLen = r.u8();
  const hashAt = r.take(hashLen);
  return {
    data: base32HexText(msg, hashAt, hashAt + hashLen),
    extras: {
      hash: digestName(hash),
      flags: String(flags),
      iterations: String(iterations),
      salt: saltLen === 0 ? '-' : hexText(msg, saltAt, saltAt + saltLen),
      type_bits: typeBits(r),
    },
  };
}

/** SvcParamKey names (RFC 9460 and its registry). */
const SVC_KEYS = [
  'mandatory',
  'alpn',
  'no-default-alpn',
  'port',
  'ipv4hint',
  'ech',
  'ipv6hint',
  'dohpath',
  'ohttp',
];

function svcb(r: RdataReader, msg: Uint8Array): Rdata {
  const priority = r.u16();
  const target = r.name();
  const params: string[] = [];
  while (r.left > 0) {
    const key = r.u16();
    const len = r.u16();
    const at = r.take(len);
    params.push(svcParam(msg, key, at, at + len));
  }
  const extras: RdataExtras = { priority };
  if (params.length > 0) extras.params = params.join(' ');
  return { data: target, extras };
}

/** One SvcParam in presentation form (`alpn=h2,h3`, `port=443`). */
function svcParam(msg: Uint8Array, key: number, from: number, to: number): string {
  const name = SVC_KEYS[key] ?? `key${key}`;
  const r = new RdataReader(msg, from, to);
  const values: string[] = [];
  switch (key) {
    case 0:
      while (r.left > 0) {
        const k = r.u16();
        values.push(SVC_KEYS[k] ?? `key${k}`);
      }
      break;
    case 1:
      while (r.left > 0) values.push(r.charString());
      break;
    case 2:
      return name;
    case 3:
      values.push(String(r.u16()));
      break;
    case 4:
      while (r.left > 0) values.push(ipv4Text(msg, r.take(4)));
      break;
    case 6:
      while (r.left > 0) values.push(ipv6Text(msg, r.take(16)));
      break;
    case 5:
      values.push(base64Text(msg, from, to));
      break;
    case 7:
      values.push(charText(msg, from, to));
      break;
    default:
      values.push(hexText(msg, from, to));
  }
  return `${name}=${values.join(',')}`;
}

/** An NSEC/NSEC3 type bitmap as type names separated by spaces. */
function typeBits(r: RdataReader): string {
  const types: string[] = [];
  while (r.left > 0) {
    const window = r.u8();
    const len = r.u8();
    if (len === 0 || len > 32) throw new RdataError('bad type bitmap length');
    const at = r.take(len);
    for (let i = 0; i < len; i++) {
      const byte = r.msg[at + i];
      for (let bit = 0; bit < 8; bit++) {
        if (byte & (0x80 >> bit)) types.push(typeName(window * 256 + i * 8 + bit));
      }
    }
  }
  return types.join(' ');
}

/** Bounds-checked reads inside one record's data. */
class RdataReader {
  pos: number;

  constructor(
    readonly msg: Uint8Array,
    from: number,
    private readonly to: number,
    private readonly names?: NameCache,
  ) {
    this.pos = from;
  }

  /** Bytes left in the record data. */
  get left(): number {
    return this.to - this.pos;
  }

  /** Skips n bytes, returning where they start. */
  take(n: number): number {
    if (this.pos + n > this.to) throw new RdataError('record data too short');
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** Skips to the end, returning the end offset (for the trailing blob of a record). */
  rest(): number {
    this.pos = this.to;
    return this.to;
  }

  u8(): number {
    return this.msg[this.take(1)];
  }

  u16(): number {
    const at = this.take(2);
    return (this.msg[at] << 8) | this.msg[at + 1];
  }

  u32(): number {
    const at = this.take(4);
    return (
      ((this.msg[at] << 24) >>> 0) + ((this.msg[at + 1] << 16) | (this.msg[at + 2] << 8) | this.msg[at + 3])
    );
  }

  /** A length-prefixed character string as text. */
  charString(): string {
    const len = this.u8();
    const at = this.take(len);
    return charText(this.msg, at, at + len);
  }

  /** A domain name that must end inside the record data. */
  name(): string {
    const { name, end } = readName(this.msg, this.pos, this.names);
    if (end > this.to) throw new NameError('name runs past its record');
    this.pos = end;
    return name;
  }
}
