// Frames of many echo connections (tests of the engine's end of input and memory budget).
import { TcpFlags, buildTcpFrame, type Frame } from '@wirebeat/tcp-reassembly';

/**
 * Handshake and one request (`request <c>\n`) of client number `c` (10.1.x.y:1024+c ->
 * 10.0.0.1:3030) at `ts`, and the server's echo of it when `answered`.
 */
export function echoConnectionFrames(c: number, ts: number, answered = false): Frame[] {
  const client = `10.1.${(c >> 8) & 255}.${c & 255}`;
  const port = 1024 + c;
  const line = `request ${c}\n`;
  const frame = (fromClient: boolean, seq: number, ack: number, flags: number, payload = ''): Frame => {
    const data = buildTcpFrame({
      src: fromClient ? client : '10.0.0.1',
      dst: fromClient ? '10.0.0.1' : client,
      srcPort: fromClient ? port : 3030,
      dstPort: fromClient ? 3030 : port,
      seq,
      ack,
      flags,
      payload,
    });
    return { ts, linktype: 1, data, origLen: data.length };
  };
  const { SYN, ACK, PSH } = TcpFlags;
  const frames = [
    frame(true, 1000, 0, SYN),
    frame(false, 5000, 1001, SYN | ACK),
    frame(true, 1001, 5001, ACK),
    frame(true, 1001, 5001, ACK | PSH, line),
  ];
  if (answered) frames.push(frame(false, 5001, 1001 + line.length, ACK | PSH, line));
  return frames;
}
