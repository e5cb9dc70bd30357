// Values of the binary protocol (rows of prepared statements, parameters of COM_STMT_EXECUTE) as
// the text the text protocol would show, and the CSV text Packetbeat publishes as `response`.
import { lenencText, next as wireNext } from './wire';

/** Where the last binaryValue() ended. */
let end = 0;

/** Column and parameter types of the binary protocol that are not length-encoded strings. */
const TINY = 0x01;
const SHORT = 0x02;
const LONG = 0x03;
const FLOAT = 0x04;
const DOUBLE = 0x05;
const NULL = 0x06;
const TIMESTAMP = 0x07;
const LONGLONG = 0x08;
const INT24 = 0x09;
const DATE = 0x0a;
const TIME = 0x0b;
const DATETIME = 0x0c;
const YEAR = 0x0d;
const NEWDATE = 0x0e;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A view of `b` for multi-byte numbers. */
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/**
 * The value of `type` at `at` in a binary row or parameter block, as text; undefined when it runs
 * past the payload. The end is then in binaryValueEnd().
 */
export function binaryValue(b: Uint8Array, at: number, type: number, unsigned: boolean): string | undefined {
  const fixed = FIXED_SIZE[type];
  if (fixed !== undefined) {
    if (at + fixed > b.length) return undefined;
    end = at + fixed;
    const v = view(b);
    switch (type) {
      case TINY:
        return String(unsigned ? v.getUint8(at) : v.getInt8(at));
      case SHORT:
      case YEAR:
        return String(unsigned || type === YEAR ? v.getUint16(at, true) : v.getInt16(at, true));
      case LONG:
      case INT24:
        return String(unsigned ? v.getUint32(at, true) : v.getInt32(at, true));
      case LONGLONG:
        return String(unsigned ? v.getBigUint64(at, true) : v.getBigInt64(at, true));
      case FLOAT:
        // Single precision printed as MySQL prints it: shortest text of 7 significant digits.
        return String(Number(v.getFloat32(at, true).toPrecision(7)));
      case DOUBLE:
        return String(v.getFloat64(at, true));
      default:
        return 'NULL';
    }
  }
  if (type === DATE || type === NEWDATE || type === DATETIME || type === TIMESTAMP || type === TIME) {
    if (at >= b.length) return undefined;
    const n = b[at];
    if (at + 1 + n > b.length) return undefined;
    end = at + 1 + n;
    return type === TIME ? timeText(b, at + 1, n) : dateText(b, at + 1, n, type === DATE || type === NEWDATE);
  }
  const s = lenencText(b, at);
  if (s === undefined) return undefined;
  end = wireNext;
  return s ?? 'NULL';
}

/** Where the last binaryValue() ended. */
export function binaryValueEnd(): number {
  return end;
}

const FIXED_SIZE: Record<number, number> = {
  [TINY]: 1,
  [SHORT]: 2,
  [YEAR]: 2,
  [LONG]: 4,
  [INT24]: 4,
  [FLOAT]: 4,
  [LONGLONG]: 8,
  [DOUBLE]: 8,
  [NULL]: 0,
};

/** A DATE / DATETIME / TIMESTAMP of `n` bytes (0, 4, 7 or 11). */
function dateText(b: Uint8Array, at: number, n: number, dateOnly: boolean): string {
  const year = n >= 4 ? b[at] | (b[at + 1] << 8) : 0;
  const day = `${pad(year, 4)}-${pad(n >= 4 ? b[at + 2] : 0)}-${pad(n >= 4 ? b[at + 3] : 0)}`;
  if (dateOnly) return day;
  const time = `${pad(n >= 7 ? b[at + 4] : 0)}:${pad(n >= 7 ? b[at + 5] : 0)}:${pad(n >= 7 ? b[at + 6] : 0)}`;
  const micro = n >= 11 ? view(b).getUint32(at + 7, true) : 0;
  return `${day} ${time}${micro > 0 ? `.${pad(micro, 6)}` : ''}`;
}

/** A TIME of `n` bytes (0, 8 or 12): sign, days, hours, minutes, seconds, microseconds. */
function timeText(b: Uint8Array, at: number, n: number): string {
  if (n < 8) return '00:00:00';
  const v = view(b);
  const hours = v.getUint32(at + 1, true) * 24 + b[at + 5];
  const micro = n >= 12 ? v.getUint32(at + 8, true) : 0;
  const sign = b[at] === 1 ? '-' : '';
  return `${sign}${pad(hours)}:${pad(b[at + 6])}:${pad(b[at + 7])}${micro > 0 ? `.${pad(micro, 6)}` : ''}`;
}

/**
 * Keeps a row within `maxLength` characters as Packetbeat does: values are kept while the row is
 * shorter than the limit, the one crossing it is cut, the ones after it are dropped.
 */
export function limitRow(values: string[], maxLength: number): string[] {
  const row: string[] = [];
  let length = 0;
  for (const v of values) {
    if (length >= maxLength) break;
    const kept = length + v.length > maxLength ? v.slice(0, maxLength - length) : v;
    row.push(kept);
    length += kept.length;
  }
  return row;
}

/** One CSV field as Go's encoding/csv writes it (Packetbeat's response text), newlines escaped first. */
function csvField(value: string): string {
  const s = value.replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  if (s === '') return s;
  if (s === '\\.' || /[",]/.test(s) || s[0] === ' ' || s[0] === '\t') return `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** Column names and rows as CSV text, one line each (empty when there are neither). */
export function csvText(columns: string[] | undefined, rows: string[][] | undefined): string {
  let out = '';
  if (columns !== undefined && columns.length > 0) out += columns.map(csvField).join(',') + '\n';
  for (const row of rows ?? []) out += row.map(csvField).join(',') + '\n';
  return out;
}
