// Synthetic conversations: valid TCP (handshake, sequence numbers, close) that tcpdump reads.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PcapReader, TcpFlags } from '@wirebeat/tcp-reassembly';
import {
  ConversationSpecError,
  buildConversation,
  disorderFrames,
  mergeConversations,
  writeCapture,
} from '../src';

const ETH_IP = 14;
const tcpOf = (data: Uint8Array) => {
  const view = Buffer.from(data);
  const tcp = ETH_IP + (view[ETH_IP] & 0x0f) * 4;
  return {
    flags: view[tcp + 13],
    seq: view.readUInt32BE(tcp + 4),
    ack: view.readUInt32BE(tcp + 8),
    srcPort: view.readUInt16BE(tcp),
    payload: view.subarray(tcp + 20),
  };
};

describe('buildConversation', () => {
  const frames = buildConversation({
    server: { port: 4040 },
    messages: [
      { from: 'client', data: 'hello\n', segments: [2, 4] },
      { from: 'server', data: 'world\n' },
    ],
  });

  it('opens with a handshake, sends the segments, closes with FIN/FIN/ACK', () => {
    expect(frames.map((f) => tcpOf(f.data).flags)).toEqual([
      TcpFlags.SYN,
      TcpFlags.SYN | TcpFlags.ACK,
      TcpFlags.ACK,
      TcpFlags.PSH | TcpFlags.ACK,
      TcpFlags.PSH | TcpFlags.ACK,
      TcpFlags.PSH | TcpFlags.ACK,
      TcpFlags.FIN | TcpFlags.ACK,
      TcpFlags.FIN | TcpFlags.ACK,
      TcpFlags.ACK,
    ]);
    expect(frames.map((f) => tcpOf(f.data).payload.toString())).toEqual([
      '',
      '',
      '',
      'he',
      'llo\n',
      'world\n',
      '',
      '',
      '',
    ]);
  });

  it('numbers bytes consistently: each segment starts where the previous one ended', () => {
    const [syn, synAck, , first, second, reply] = frames.map((f) => tcpOf(f.data));
    expect(first.seq).toBe(syn.seq + 1);
    expect(second.seq).toBe(first.seq + 2);
    expect(reply.seq).toBe(synAck.seq + 1);
    expect(reply.ack).toBe(second.seq + 4);
  });

  it('spaces packets by stepMs from start', () => {
    const timed = buildConversation({
      server: { port: 1 },
      start: 5000,
      stepMs: 10,
      messages: [],
      close: 'rst',
    });
    expect(timed.map((f) => f.ts)).toEqual([5000, 5010, 5020, 5030]);
    expect(tcpOf(timed[3].data).flags & TcpFlags.RST).toBeTruthy();
  });

  it('refuses segment sizes that do not add up to the message', () => {
    expect(() =>
      buildConversation({
        server: { port: 1 },
        messages: [{ from: 'client', data: 'abc', segments: [1, 1] }],
      }),
    ).toThrow(ConversationSpecError);
  });

  it('merges conversations in time order', () => {
    const a = buildConversation({ server: { port: 1 }, start: 0, stepMs: 2, messages: [] });
    const b = buildConversation({
      server: { port: 1 },
      client: { ip: '10.0.0.9', port: 1234 },
      start: 1,
      stepMs: 2,
      messages: [],
    });
    const merged = mergeConversations([a, b]);
    expect(merged.map((f) => f.ts)).toEqual([...merged.map((f) => f.ts)].sort((x, y) => x - y));
    expect(merged).toHaveLength(a.length + b.length);
  });
});

describe('writeCapture', () => {
  const frames = buildConversation({ server: { port: 4040 }, messages: [{ from: 'client', data: 'x\n' }] });

  it('writes a pcap our reader reads back frame for frame', async () => {
    const bytes = writeCapture(frames);
    const read = [];
    for await (const frame of PcapReader.open(bytes))
      read.push({ ts: frame.ts, data: Buffer.from(frame.data) });
    expect(read).toEqual(frames.map((f) => ({ ts: f.ts, data: Buffer.from(f.data) })));
  });

  it('writes a file tcpdump reads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-testing-'));
    try {
      const file = path.join(dir, 'c.pcap');
      writeCapture(frames, file);
      const tcpdump = spawnSync('tcpdump', ['-nn', '-r', file], { encoding: 'utf8' });
      if (tcpdump.error) throw new Error(`tcpdump is needed for this test: ${tcpdump.error.message}`);
      expect(tcpdump.status).toBe(0);
      const lines = tcpdump.stdout.trim().split('\n');
      expect(lines).toHaveLength(frames.length);
      expect(lines[0]).toMatch(/10\.0\.0\.2\.40000 > 10\.0\.0\.1\.4040: Flags \[S\]/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('disorderFrames', () => {
  const frames = buildConversation({
    server: { port: 4040 },
    messages: [{ from: 'client', data: 'abcdefgh\n', segments: [1, 2, 3, 3] }],
  });

  it('duplicates and swaps movable frames only, deterministically per seed', () => {
    const disordered = disorderFrames(frames, 7, { duplicates: 2, swaps: 1 });
    expect(disordered).toHaveLength(frames.length + 2);
    expect(disordered.slice(0, 3)).toEqual(frames.slice(0, 3));
    expect(disordered.slice(-3)).toEqual(frames.slice(-3));
    expect(new Set(disordered)).toEqual(new Set(frames));
    expect(disorderFrames(frames, 7, { duplicates: 2, swaps: 1 })).toEqual(disordered);
    expect(disordered).not.toEqual(frames);
  });
});
