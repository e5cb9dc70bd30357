// The engine on real frames: a reference capture, and hand-built conversations whose packet times
// decide when transactions time out.
import * as path from 'node:path';
import { Notes, PortConflictError, type Logger, type TransactionEvent } from '@wirebeat/applayer';
import { Engine } from '@wirebeat/engine';
import { echoProtocol } from '@wirebeat/protocol-echo';
import { PcapReader, TcpFlags, buildTcpFrame, type Frame } from '@wirebeat/tcp-reassembly';

const T0 = Date.UTC(2026, 0, 1);
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const echo = (options: Record<string, unknown> = {}) => ({
  module: echoProtocol,
  config: echoProtocol.configSchema.parse({ send_request: true, send_response: true, ...options }),
});

/** Frames of one TCP connection to port 3030, sent at the given times. */
class Connection {
  private seq = [1000, 5000];
  constructor(private readonly clientPort: number) {}

  frame(fromClient: boolean, ts: number, flags: number, payload = ''): Frame {
    const i = fromClient ? 0 : 1;
    const data = buildTcpFrame({
      src: fromClient ? '10.0.0.2' : '10.0.0.1',
      dst: fromClient ? '10.0.0.1' : '10.0.0.2',
      srcPort: fromClient ? this.clientPort : 3030,
      dstPort: fromClient ? 3030 : this.clientPort,
      seq: this.seq[i],
      ack: flags & TcpFlags.ACK ? this.seq[1 - i] : 0,
      flags,
      payload,
    });
    this.seq[i] += payload.length + (flags & (TcpFlags.SYN | TcpFlags.FIN) ? 1 : 0);
    return { ts, linktype: 1, data, origLen: data.length };
  }

  open(ts: number): Frame[] {
    return [
      this.frame(true, ts, TcpFlags.SYN),
      this.frame(false, ts, TcpFlags.SYN | TcpFlags.ACK),
      this.frame(true, ts, TcpFlags.ACK),
    ];
  }
}

function run(frames: Frame[], protocols = [echo()]) {
  const events: TransactionEvent[] = [];
  const engine = new Engine({ protocols, publish: (e) => events.push(e), logger: silent });
  const docs = () => events.map((e) => JSON.parse(e.json!) as Record<string, unknown>);
  for (const f of frames) engine.processFrame(f);
  return { engine, events, docs };
}

describe('Engine', () => {
  it('turns a reference capture into events and counts frames, reassembly and transactions', async () => {
    const events: TransactionEvent[] = [];
    const engine = new Engine({ protocols: [echo()], publish: (e) => events.push(e), logger: silent });
    for await (const frame of PcapReader.open(path.resolve(__dirname, '../../../pcaps/echo.pcap')))
      engine.processFrame(frame);
    engine.finish();
    const c = engine.counters();
    expect(c.frames).toBe(107);
    expect(c.reassembly).toMatchObject({ packets: 107, connectionsOpened: 3, connectionsClosed: 3 });
    expect(c.protocols.echo.transactions).toBe(events.length);
    expect(events.length).toBeGreaterThan(10);
    expect(engine.activeConnections).toBe(0);
  });

  it('times a request out by packet time, when a later frame of another connection arrives', () => {
    const a = new Connection(40001);
    const b = new Connection(40002);
    const { docs, engine } = run([
      ...a.open(T0),
      a.frame(true, T0 + 1, TcpFlags.ACK | TcpFlags.PSH, '>hello\n'),
      ...b.open(T0 + 9_999),
    ]);
    expect(docs()).toEqual([]);
    engine.processFrame(b.frame(true, T0 + 10_001, TcpFlags.ACK | TcpFlags.PSH, '>x\n'));
    expect(docs()).toMatchObject([{ request: 'hello', status: 'Error', notes: [Notes.responseTimeout] }]);
  });

  it('advanceTime fires due timeouts without any frame (a quiet live interface)', () => {
    const a = new Connection(40003);
    const { docs, engine } = run([...a.open(T0), a.frame(true, T0 + 1, TcpFlags.ACK | TcpFlags.PSH, '>q\n')]);
    engine.advanceTime(T0 + 5_000);
    expect(docs()).toEqual([]);
    engine.advanceTime(T0 + 10_001);
    expect(docs()).toMatchObject([{ request: 'q', notes: [Notes.responseTimeout] }]);
  });

  it('finish() publishes what is pending as Error with the end-of-input note', () => {
    const a = new Connection(40004);
    const { docs, engine } = run([
      ...a.open(T0),
      a.frame(true, T0 + 1, TcpFlags.ACK | TcpFlags.PSH, '>one\n>two\n'),
      a.frame(false, T0 + 2, TcpFlags.ACK | TcpFlags.PSH, '<one\n'),
    ]);
    expect(docs()).toMatchObject([{ request: 'one', response: 'one', status: 'OK' }]);
    engine.finish();
    expect(docs()[1]).toMatchObject({
      request: 'two',
      status: 'Error',
      notes: ['response missing: end of input'],
    });
    expect(engine.activeConnections).toBe(0);
  });

  it('lists the enabled ports and refuses two protocols on one port', () => {
    const { engine } = run([], [echo({ ports: [3030, 7] })]);
    expect(engine.ports()).toEqual([7, 3030]);
    const clash = { ...echo(), module: { ...echoProtocol, name: 'echo2' } };
    expect(() => run([], [echo(), clash])).toThrow(PortConflictError);
  });
});
