// The case that asked for pairing by key: a memcached-binary analyzer (a test-only sketch of one)
// whose server answers opaque 2 before opaque 1 and stays silent on a GETQ miss. Paired in order,
// the replies cross and the NOOP's reply goes to the GETQ; paired by opaque, each finds its request.
import { defineProtocol, type Logger, type Message, type TransactionEvent } from '@wirebeat/applayer';
import { Engine } from '@wirebeat/engine';
import { TcpFlags, buildTcpFrame, type Frame } from '@wirebeat/tcp-reassembly';

const T0 = Date.UTC(2026, 0, 1);
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const OPCODES: Record<number, string> = { 0x00: 'GET', 0x09: 'GETQ', 0x0a: 'NOOP' };

/** A binary-protocol packet: the 24-byte header's opcode, status and opaque, and the key. */
interface McMessage extends Message {
  opcode: string;
  opaque: number;
  status: number;
  key: string;
}

/** The analyzer, paired by opaque (`keyed`) or in order. */
function memcacheBinary(keyed: boolean) {
  return defineProtocol<Record<never, never>, McMessage, McMessage>({
    name: 'mcbin',
    description: 'test: memcached binary protocol headers',
    ports: [11211],
    ...(keyed ? { pairBy: (m: McMessage) => m.opaque } : {}),
    parser: (dir, tuple) => {
      let buf = Buffer.alloc(0);
      return {
        parse(payload, ts, emit) {
          buf = Buffer.concat([buf, payload]);
          while (buf.length >= 24 && buf.length >= 24 + buf.readUInt32BE(8)) {
            const size = 24 + buf.readUInt32BE(8);
            const keyLen = buf.readUInt16BE(2);
            const extras = buf[4];
            emit({
              ts,
              tuple,
              transport: tuple.transport,
              direction: dir,
              isRequest: dir === 0,
              size,
              opcode: OPCODES[buf[1]] ?? String(buf[1]),
              status: dir === 1 ? buf.readUInt16BE(6) : 0,
              opaque: buf.readUInt32BE(12),
              key: buf.subarray(24 + extras, 24 + extras + keyLen).toString('latin1'),
            });
            buf = buf.subarray(size);
          }
        },
      };
    },
    transaction: (tx) => ({
      status:
        tx.response !== undefined && tx.response.status === 0 && tx.request !== undefined ? 'OK' : 'Error',
      fields: {
        command: tx.request?.opcode,
        key: tx.request?.key,
        request_opaque: tx.request?.opaque,
        response_opaque: tx.response?.opaque,
      },
    }),
  });
}

/** A binary-protocol packet. */
function packet(request: boolean, opcode: number, opaque: number, key = '', value = '', status = 0): Buffer {
  const body = Buffer.from(key + value, 'latin1');
  const h = Buffer.alloc(24);
  h[0] = request ? 0x80 : 0x81;
  h[1] = opcode;
  h.writeUInt16BE(key.length, 2);
  h.writeUInt16BE(status, 6);
  h.writeUInt32BE(body.length, 8);
  h.writeUInt32BE(opaque, 12);
  return Buffer.concat([h, body]);
}

/** The conversation over one TCP connection. */
function conversation(): Frame[] {
  const seq = [1000, 5000];
  let ts = T0;
  const frame = (fromClient: boolean, flags: number, payload: Buffer = Buffer.alloc(0)): Frame => {
    const i = fromClient ? 0 : 1;
    const data = buildTcpFrame({
      src: fromClient ? '10.0.0.2' : '10.0.0.1',
      dst: fromClient ? '10.0.0.1' : '10.0.0.2',
      srcPort: fromClient ? 40000 : 11211,
      dstPort: fromClient ? 11211 : 40000,
      seq: seq[i],
      ack: flags & TcpFlags.ACK ? seq[1 - i] : 0,
      flags,
      payload,
    });
    seq[i] += payload.length + (flags & TcpFlags.SYN ? 1 : 0);
    return { ts: ts++, linktype: 1, data, origLen: data.length };
  };
  const { SYN, ACK, PSH } = TcpFlags;
  return [
    frame(true, SYN),
    frame(false, SYN | ACK),
    frame(true, ACK),
    frame(true, PSH | ACK, Buffer.concat([packet(true, 0x00, 1, 'k1'), packet(true, 0x00, 2, 'k2')])),
    frame(
      false,
      PSH | ACK,
      Buffer.concat([packet(false, 0x00, 2, '', 'v2'), packet(false, 0x00, 1, '', 'v1')]),
    ),
    // GETQ of a missing key (no reply), then NOOP: only the NOOP is answered.
    frame(true, PSH | ACK, Buffer.concat([packet(true, 0x09, 3, 'gone'), packet(true, 0x0a, 4)])),
    frame(false, PSH | ACK, packet(false, 0x0a, 4)),
  ];
}

function replay(keyed: boolean) {
  const module = memcacheBinary(keyed);
  const events: TransactionEvent[] = [];
  const engine = new Engine({
    protocols: [{ module, config: module.parseConfig({}) }],
    publish: (e) => events.push(e),
    logger: silent,
  });
  for (const f of conversation()) engine.processFrame(f);
  engine.finish();
  return events.map((e) => {
    const doc = JSON.parse(e.json!) as { status: string; mcbin: Record<string, unknown> };
    return [doc.status, doc.mcbin.command, doc.mcbin.request_opaque, doc.mcbin.response_opaque];
  });
}

describe('pairing by key (memcached binary opaque)', () => {
  it('pairs each reply with the request of its opaque, out of order and across a silent GETQ miss', () => {
    expect(replay(true)).toEqual([
      ['OK', 'GET', 2, 2],
      ['OK', 'GET', 1, 1],
      ['OK', 'NOOP', 4, 4],
      // The GETQ miss is never answered: published when the input ends.
      ['Error', 'GETQ', 3, undefined],
    ]);
  });

  it('in order, the same conversation pairs replies with the wrong requests', () => {
    expect(replay(false)).toEqual([
      ['OK', 'GET', 1, 2],
      ['OK', 'GET', 2, 1],
      ['OK', 'GETQ', 3, 4],
      ['Error', 'NOOP', 4, undefined],
    ]);
  });
});
