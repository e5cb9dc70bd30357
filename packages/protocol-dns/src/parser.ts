// DNS messages out of the bytes of one direction: over UDP each datagram is one message; over TCP
// each message is preceded by its length in two bytes (RFC 1035 4.2.2), and messages may be cut
// anywhere or share a segment. A whole message inside one segment is decoded in place; only one
// cut across segments is copied, into a buffer of exactly its announced length. After a gap the
// framing is lost: the TCP parser has no gap(), so the framework stops that direction with a note.
import { addNote, type Direction, type TcpTuple } from '@wirebeat/applayer';
import { HEADER_SIZE, decodeDnsMessage } from './decode/message';
import { DnsNotes, questionKey, type DnsMsg } from './message';
import { messageText } from './pub';

/** Receives each message a parser finds. */
type Emit = (msg: DnsMsg) => void;

/** What a parser knows of its direction. */
export interface ParserOptions {
  tuple: TcpTuple;
  direction: Direction;
  /** Set `raw` (the message as text) for send_request / send_response. */
  withText: boolean;
}

/** The message of `bytes` with its metadata; undefined when the bytes cannot hold a header. */
function message(
  bytes: Uint8Array,
  ts: number,
  p: ParserOptions,
  transport: 'tcp' | 'udp',
): DnsMsg | undefined {
  if (bytes.length < HEADER_SIZE) return undefined;
  const dns = decodeDnsMessage(bytes);
  const { tuple, direction } = p;
  const msg: DnsMsg = {
    ts,
    tuple,
    transport,
    direction,
    isRequest: direction === 0,
    size: bytes.length,
    dns,
    question: questionKey(dns),
  };
  // The text form costs: made only when it is published.
  if (p.withText) msg.raw = messageText(dns);
  if (dns.malformed !== undefined) addNote(msg, `${DnsNotes.malformed}: ${dns.malformed}`);
  return msg;
}

/** Largest UDP DNS message without EDNS (RFC 1035 4.2.1). */
const UDP_LIMIT = 512;

/** Parser of one direction of a UDP flow: one message per datagram. */
export class UdpDnsParser {
  /** Datagrams too short to be DNS, ignored. */
  ignored = 0;

  /** Creates the parser of one direction. */
  constructor(private readonly opts: ParserOptions) {}

  /** Decodes one whole datagram. */
  parse(payload: Uint8Array, ts: number, emit: Emit): void {
    const msg = message(payload, ts, this.opts, 'udp');
    if (msg === undefined) return void this.ignored++;
    if (msg.size > UDP_LIMIT && msg.dns.opt === undefined)
      addNote(msg, (msg.isRequest ? '' : 'Response: ') + DnsNotes.udpTooLarge);
    emit(msg);
  }
}

/** Parser of one direction of a TCP connection: length-prefixed messages. */
export class TcpDnsParser {
  /** Length-prefix bytes seen of the next message (0, 1 or 2) and its value so far. */
  private prefixSeen = 0;
  private prefix = 0;
  /** The message being collected across segments, and how much of it is in. */
  private partial: Uint8Array | undefined;
  private filled = 0;
  private startTs = 0;
  /** The stream is not DNS: nothing more is parsed. */
  broken = false;

  /** Creates the parser of one direction. */
  constructor(private readonly opts: ParserOptions) {}

  /** Parses a borrowed segment; false once the stream turned out not to be DNS. */
  parse(payload: Uint8Array, ts: number, emit: Emit): boolean {
    let pos = 0;
    while (!this.broken && pos < payload.length) {
      if (this.partial !== undefined) {
        const n = Math.min(this.partial.length - this.filled, payload.length - pos);
        this.partial.set(payload.subarray(pos, pos + n), this.filled);
        this.filled += n;
        pos += n;
        if (this.filled === this.partial.length) {
          const whole = this.partial;
          this.partial = undefined;
          this.deliver(whole, this.startTs, emit);
        }
        continue;
      }
      if (this.prefixSeen === 0 && payload.length - pos >= 2) {
        const len = (payload[pos] << 8) | payload[pos + 1];
        if (payload.length - pos - 2 >= len) {
          this.deliver(payload.subarray(pos + 2, pos + 2 + len), ts, emit);
          pos += 2 + len;
          continue;
        }
        this.prefix = len;
        this.prefixSeen = 2;
        pos += 2;
      } else {
        this.prefix = this.prefixSeen === 0 ? payload[pos++] : (this.prefix << 8) | payload[pos++];
        if (++this.prefixSeen < 2) continue;
      }
      this.prefixSeen = 0;
      this.startTs = ts;
      this.partial = new Uint8Array(this.prefix);
      this.filled = 0;
      if (this.prefix === 0) {
        this.partial = undefined;
        this.deliver(new Uint8Array(0), ts, emit);
      }
    }
    return !this.broken;
  }

  /** Stops parsing this direction for good. */
  stop(): void {
    this.broken = true;
    this.partial = undefined;
  }

  private deliver(bytes: Uint8Array, ts: number, emit: Emit): void {
    const msg = message(bytes, ts, this.opts, 'tcp');
    if (msg === undefined) return this.stop();
    // As Packetbeat: a message's bytes on TCP include its two-byte length prefix.
    msg.size += 2;
    emit(msg);
  }
}
