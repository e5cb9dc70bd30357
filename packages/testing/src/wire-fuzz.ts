// Random conversations for fuzzing protocol analyzers, and the segmentation differential: the same
// bytes fed as whole messages and cut at random places must publish the same transactions. The
// generators know wire formats as data only (no protocol package is imported).
import type { Direction, ProtocolModule, TransactionEvent } from '@wirebeat/applayer';
import { PluginDriver } from './plugin-driver';
import { seededRandom } from './split';

/** One message of a fuzzed conversation. */
export interface WireMessage {
  dir: Direction;
  data: string;
}

/** A random number source in [0, 1). */
export type Rng = () => number;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const int = (rng: Rng, max: number): number => Math.floor(rng() * (max + 1));
const chance = (rng: Rng, p: number): boolean => rng() < p;

/** Random bytes as Latin-1 text, biased towards the characters protocols split on. */
function junk(rng: Rng, max: number): string {
  let s = '';
  const n = int(rng, max);
  for (let i = 0; i < n; i++)
    s += chance(rng, 0.3)
      ? pick(rng, ['\r', '\n', '\r\n', ' ', ':', '*', '$', '0'])
      : String.fromCharCode(int(rng, 255));
  return s;
}

function word(rng: Rng, max = 8): string {
  let s = '';
  const n = 1 + int(rng, max - 1);
  for (let i = 0; i < n; i++) s += String.fromCharCode(97 + int(rng, 25));
  return s;
}

/** Echo: lines, most echoed, a few unterminated or damaged. */
export function echoConversation(rng: Rng): WireMessage[] {
  const out: WireMessage[] = [];
  const n = 1 + int(rng, 6);
  for (let i = 0; i < n; i++) {
    const line = chance(rng, 0.1) ? junk(rng, 20) : word(rng, 12) + (chance(rng, 0.2) ? ' ' + word(rng) : '');
    const end = chance(rng, 0.9) ? '\n' : '';
    out.push({ dir: 0, data: line + end });
    if (chance(rng, 0.9)) out.push({ dir: 1, data: (chance(rng, 0.85) ? line : word(rng)) + end });
  }
  return out;
}

function httpBody(rng: Rng, chunked: boolean, response = false): { headers: string; body: string } {
  const body = chance(rng, 0.5) ? '' : word(rng, 30);
  // A response without a length runs until the connection closes.
  if (response && !chunked && chance(rng, 0.05)) return { headers: '', body };
  if (!chunked) return { headers: `Content-Length: ${chance(rng, 0.05) ? 'x' : body.length}\r\n`, body };
  let encoded = '';
  if (body !== '') encoded += `${chance(rng, 0.1) ? 'zz' : body.length.toString(16)}\r\n${body}\r\n`;
  encoded += chance(rng, 0.1) ? '0;ext=1\r\nTrailer: t\r\n\r\n' : '0\r\n\r\n';
  return { headers: 'Transfer-Encoding: chunked\r\n', body: encoded };
}

function httpHeaders(rng: Rng): string {
  let h = 'Host: example.com\r\n';
  const n = int(rng, 3);
  for (let i = 0; i < n; i++) {
    h += pick(rng, [
      `X-${word(rng)}: ${word(rng)}\r\n`,
      'Authorization: Basic\r\n YWxhZGRpbjpvcGVu\r\n',
      'Content-Type: text/plain; charset=utf-8\r\n',
      `${word(rng)}.${word(rng)}: v\r\n`,
      'constructor: c\r\n',
      'garbage line\r\n',
    ]);
  }
  return h;
}

/** HTTP/1.1: requests and responses with bodies of every framing, some damaged, some junk. */
export function httpConversation(rng: Rng): WireMessage[] {
  const out: WireMessage[] = [];
  const n = 1 + int(rng, 4);
  for (let i = 0; i < n; i++) {
    if (chance(rng, 0.05)) out.push({ dir: pick(rng, [0, 1] as const), data: junk(rng, 40) });
    const method = pick(rng, ['GET', 'POST', 'HEAD', 'PUT']);
    const req =
      method === 'GET' || method === 'HEAD' ? { headers: '', body: '' } : httpBody(rng, chance(rng, 0.3));
    out.push({
      dir: 0,
      data: `${method} /${word(rng)}${chance(rng, 0.3) ? '?q=' + word(rng) : ''} HTTP/1.1\r\n${httpHeaders(rng)}${req.headers}\r\n${req.body}`,
    });
    if (chance(rng, 0.1)) continue; // no response
    const code = pick(rng, [200, 200, 201, 204, 304, 404, 500, 100]);
    const interim = code === 100 ? 'HTTP/1.1 100 Continue\r\n\r\n' : '';
    const status = code === 100 ? 200 : code;
    const res =
      method === 'HEAD' || status === 204 || status === 304
        ? { headers: '', body: '' }
        : httpBody(rng, chance(rng, 0.3), true);
    out.push({
      dir: 1,
      data: `${interim}HTTP/1.1 ${status} X\r\n${httpHeaders(rng)}${res.headers}\r\n${res.body}`,
    });
  }
  return pipelined(rng, out);
}

/** Sometimes every request before any response (pipelining), as clients may send them. */
function pipelined(rng: Rng, messages: WireMessage[]): WireMessage[] {
  if (!chance(rng, 0.3)) return messages;
  return [...messages.filter((m) => m.dir === 0), ...messages.filter((m) => m.dir === 1)];
}

const bulk = (s: string) => `$${Buffer.byteLength(s, 'latin1')}\r\n${s}\r\n`;

function respValue(rng: Rng, depth: number): string {
  switch (int(rng, depth > 3 ? 6 : 9)) {
    case 0:
      return `+${word(rng)}\r\n`;
    case 1:
      return `-ERR ${word(rng)}\r\n`;
    case 2:
      return `:${int(rng, 1000) - 500}\r\n`;
    case 3:
      return bulk(word(rng, 20));
    case 4:
      return '$-1\r\n';
    case 5:
      return pick(rng, ['_\r\n', '#t\r\n', ',1.5\r\n', '(12345678901234567890\r\n']);
    case 6:
      return bulk(junk(rng, 10));
    default: {
      const type = pick(rng, ['*', '*', '~', '%', '>']);
      const n = int(rng, 3);
      let s = `${type}${n}\r\n`;
      for (let i = 0; i < (type === '%' ? 2 * n : n); i++) s += respValue(rng, depth + 1);
      return s;
    }
  }
}

/** Redis: RESP and inline commands with replies of every RESP2/RESP3 type, some junk. */
export function redisConversation(rng: Rng): WireMessage[] {
  const out: WireMessage[] = [];
  const n = 1 + int(rng, 5);
  for (let i = 0; i < n; i++) {
    const args = [
      pick(rng, ['GET', 'SET', 'PING', 'AUTH', 'CONFIG', 'ECHO']),
      word(rng),
      ...(chance(rng, 0.5) ? [word(rng, 20)] : []),
    ];
    const command = chance(rng, 0.15)
      ? args.join(' ') + '\r\n'
      : `*${args.length}\r\n` + args.map(bulk).join('');
    out.push({ dir: 0, data: chance(rng, 0.03) ? junk(rng, 30) : command });
    if (chance(rng, 0.92)) out.push({ dir: 1, data: respValue(rng, 0) });
  }
  return pipelined(rng, out);
}

/** Time fields: they follow the segments' times, which differ with the cutting by design. */
const TIME_FIELDS = ['@timestamp', 'responsetime'];
const EVENT_TIME_FIELDS = ['start', 'end', 'duration'];

/** An event without its time fields, as comparable text. */
export function eventEssence(event: TransactionEvent): string {
  const doc = { ...(event.fields as Record<string, unknown>) };
  for (const f of TIME_FIELDS) delete doc[f];
  if (typeof doc.event === 'object' && doc.event !== null) {
    const ev = { ...(doc.event as Record<string, unknown>) };
    for (const f of EVENT_TIME_FIELDS) delete ev[f];
    doc.event = ev;
  }
  return JSON.stringify(doc);
}

/**
 * Feeds a conversation to a protocol: each message one segment (no `cutSeed`), or each run of
 * same-direction messages cut at random places. Segments take the time of the message they start
 * in. Returns the events (the connection is closed with FINs at the end).
 */
export function feedConversation(
  module: ProtocolModule,
  config: Record<string, unknown>,
  messages: readonly WireMessage[],
  cutSeed?: number,
): TransactionEvent[] {
  const driver = new PluginDriver(module, config);
  const rng = cutSeed === undefined ? undefined : seededRandom(cutSeed);
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < messages.length;) {
    let j = i;
    while (j < messages.length && messages[j].dir === messages[i].dir) j++;
    const run = messages.slice(i, j);
    const dir = run[0].dir;
    if (rng === undefined) {
      run.forEach(
        (m, k) => m.data !== '' && driver.data(dir, Buffer.from(m.data, 'latin1'), t0 + (i + k) * 10),
      );
    } else {
      const bytes = Buffer.from(run.map((m) => m.data).join(''), 'latin1');
      const starts: number[] = [];
      let at = 0;
      for (const m of run) {
        starts.push(at);
        at += Buffer.byteLength(m.data, 'latin1');
      }
      const bytewise = rng() < 0.1;
      let pos = 0;
      while (pos < bytes.length) {
        const len = bytewise
          ? 1
          : 1 + Math.floor(rng() * Math.min(bytes.length - pos, 1 + Math.floor(rng() * 24)));
        let k = 0;
        while (k + 1 < starts.length && starts[k + 1] <= pos) k++;
        driver.data(dir, bytes.subarray(pos, pos + len), t0 + (i + k) * 10);
        pos += len;
      }
    }
    i = j;
  }
  return driver.close('fin', t0 + messages.length * 10 + 10);
}

/** The first difference between the events of whole and cut segments, or undefined. */
export function segmentationMismatch(
  module: ProtocolModule,
  config: Record<string, unknown>,
  messages: readonly WireMessage[],
  cutSeed: number,
): string | undefined {
  const whole = feedConversation(module, config, messages).map(eventEssence);
  const cut = feedConversation(module, config, messages, cutSeed).map(eventEssence);
  if (whole.length !== cut.length) return `${whole.length} events whole, ${cut.length} cut`;
  for (let i = 0; i < whole.length; i++) {
    if (whole[i] !== cut[i]) return `event ${i} differs:\n  whole: ${whole[i]}\n  cut:   ${cut[i]}`;
  }
  return undefined;
}

/** What a fuzz run of one protocol found. */
export interface FuzzReport {
  cases: number;
  /** Exceptions that escaped the analyzer, with the seed that reproduces each. */
  crashes: Array<{ seed: number; error: string }>;
  /** Events missing their type or status (malformed output). */
  malformed: number;
}

/**
 * Feeds `cases` damaged conversations to a protocol, seeded from `seed`: generated messages mixed
 * with random bytes, cut at random places, with random gaps. Nothing may throw out of the plugin.
 */
export function fuzzProtocol(
  module: ProtocolModule,
  config: Record<string, unknown>,
  generate: (rng: Rng) => WireMessage[],
  cases: number,
  seed: number,
): FuzzReport {
  const report: FuzzReport = { cases, crashes: [], malformed: 0 };
  for (let c = 0; c < cases; c++) {
    const caseSeed = (seed + c * 7919) >>> 0;
    const rng = seededRandom(caseSeed);
    try {
      const driver = new PluginDriver(module, config);
      let dropped = false; // the plugin gave the connection up after a gap: the dispatcher closes it
      for (const m of generate(rng)) {
        let data = Buffer.from(m.data, 'latin1');
        if (rng() < 0.15) data = Buffer.from(junk(rng, 64), 'latin1');
        let pos = 0;
        while (pos < data.length && !dropped) {
          const len = 1 + Math.floor(rng() * (data.length - pos));
          if (rng() < 0.05) dropped = driver.gap(m.dir, len);
          else driver.data(m.dir, data.subarray(pos, pos + len));
          pos += len;
        }
        if (dropped) break;
        if (rng() < 0.03) driver.fin(m.dir);
      }
      for (const e of driver.close()) {
        const doc = e.fields as Record<string, unknown>;
        if (typeof doc.type !== 'string' || (doc.status !== 'OK' && doc.status !== 'Error'))
          report.malformed++;
      }
    } catch (err) {
      report.crashes.push({ seed: caseSeed, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return report;
}
