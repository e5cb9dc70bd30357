// SVCB and HTTPS record data (RFC 9460): priority, target, and the SvcParams in presentation form.
import { RdataReader } from './reader';
import type { Rdata, RdataExtras } from './rdata';
import { base64Text, charText, hexText, ipv4Text, ipv6Text } from './text';

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

/** The data of an SVCB or HTTPS record. */
export function svcb(r: RdataReader, msg: Uint8Array): Rdata {
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
