// Which frames of a capture carry a transaction: the report numbers every frame as Wireshark does
// (1-based, in file order), remembers the payload frames of each connection, and answers with
// the first and last of them between a transaction's start and end. The engine's messages do not
// carry frame numbers, so a report decodes each frame's addresses once more for this (reports
// only; the live path is untouched).
import {
  decodeFrame,
  DecodedPacket,
  DecodeStatus,
  ipv4ToString,
  ipv6ToString,
  type Frame,
} from '@wirebeat/tcp-reassembly';
import { endpoint } from './aggregator';

/** Frame numbers and times of one connection's payload frames. */
interface FrameList {
  numbers: number[];
  times: number[];
}

function connectionKey(a: string, b: string): string {
  return a < b ? a + ' ' + b : b + ' ' + a;
}

/** Records payload frames by connection; then locates transactions in them. */
export class FrameLocator {
  private readonly decoded = new DecodedPacket();
  private readonly byConnection = new Map<string, FrameList>();
  private frameNumber = 0;

  /** Numbers one frame (every frame counts, decodable or not) and remembers it if it carries TCP payload. */
  frame(f: Frame): void {
    const n = ++this.frameNumber;
    const d = this.decoded;
    if (decodeFrame(f.data, f.linktype, d, f.origLen) !== DecodeStatus.OK || d.payloadLength === 0) return;
    const src = d.ipVersion === 4 ? ipv4ToString(d.src4) : ipv6ToString(f.data, d.ipOffset + 8);
    const dst = d.ipVersion === 4 ? ipv4ToString(d.dst4) : ipv6ToString(f.data, d.ipOffset + 24);
    const key = connectionKey(endpoint(src, d.srcPort), endpoint(dst, d.dstPort));
    let list = this.byConnection.get(key);
    if (list === undefined) this.byConnection.set(key, (list = { numbers: [], times: [] }));
    list.numbers.push(n);
    list.times.push(f.ts);
  }

  /** First and last payload frame of the connection between `start` and `end` (ms), if any. */
  locate(client: string, server: string, start: number, end: number): [number, number] | undefined {
    const list = this.byConnection.get(connectionKey(client, server));
    if (list === undefined) return undefined;
    // Durations are rounded to the µs in events: allow that much around the ends.
    const lo = start - 0.001;
    const hi = end + 0.001;
    let first = -1;
    let last = -1;
    for (let i = 0; i < list.times.length; i++) {
      const t = list.times[i];
      if (t < lo) continue;
      if (t > hi) break;
      if (first < 0) first = list.numbers[i];
      last = list.numbers[i];
    }
    return first < 0 ? undefined : [first, last];
  }
}
