// Record data (RDATA) of each common type, as Packetbeat publishes it: the main value in `data`,
// the other parts beside it (MX preference, SOA serial ...). Types without a decoder here are
// shown in the RFC 3597 generic form (`\# <length> <hex>`).
import type { NameCache } from './names';
import { RdataError, RdataReader } from './reader';
import { svcb } from './svcb';
import { base32HexText, base64Text, charText, dnssecTimeText, hexText, ipv4Text, ipv6Text } from './text';
import { TYPE, algorithmName, digestName, typeName } from './types';

/** The parts of one record's data beside `data` (numbers stay numbers). */
export type RdataExtras = Record<string, string | number>;

/** Decoded record data. */
export interface Rdata {
  data: string;
  extras?: RdataExtras;
}

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
