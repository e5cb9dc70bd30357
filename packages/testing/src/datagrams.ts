// Synthetic UDP exchanges: the frames of datagrams between a client and a server, optionally cut
// into IP fragments, built with tcp-reassembly's UDP frame builder (write them with writeCapture).
import { buildUdpFragments, buildUdpFrame } from '@wirebeat/tcp-reassembly';
import type { Frame } from '@wirebeat/tcp-reassembly';
import { DEFAULT_CONVERSATION_START, type Endpoint } from './conversation';

/** One datagram; `fragmentBytes` cuts it into IP fragments of that much IP payload. */
export interface DatagramMessage {
  from: 'client' | 'server';
  data: Uint8Array | string;
  fragmentBytes?: number;
}

/** A UDP exchange to synthesise. Defaults give IPv4 on Ethernet. */
export interface DatagramSpec {
  /** Default 10.0.0.2:40000. */
  client?: Endpoint;
  /** Required: the server's port decides which protocol gets the flow. Default ip 10.0.0.1. */
  server: Partial<Endpoint> & { port: number };
  /** Time of the first datagram in ms since the epoch; default 2026-01-01T00:00:00Z. */
  start?: number;
  /** Time between consecutive frames in ms; default 1. */
  stepMs?: number;
  datagrams: DatagramMessage[];
}

/** The frames of a UDP exchange, in order, each with its own buffer. */
export function buildDatagrams(spec: DatagramSpec): Frame[] {
  const client = spec.client ?? { ip: '10.0.0.2', port: 40000 };
  const server = { ip: spec.server.ip ?? '10.0.0.1', port: spec.server.port };
  const step = spec.stepMs ?? 1;
  let ts = spec.start ?? DEFAULT_CONVERSATION_START;
  const frames: Frame[] = [];
  spec.datagrams.forEach((d, i) => {
    const fromClient = d.from === 'client';
    const udp = {
      src: fromClient ? client.ip : server.ip,
      dst: fromClient ? server.ip : client.ip,
      srcPort: fromClient ? client.port : server.port,
      dstPort: fromClient ? server.port : client.port,
      payload: d.data,
      ipId: i + 1,
    };
    const built =
      d.fragmentBytes === undefined ? [buildUdpFrame(udp)] : buildUdpFragments(udp, d.fragmentBytes);
    for (const data of built) {
      frames.push({ ts, linktype: 1, data, origLen: data.length });
      ts += step;
    }
  });
  return frames;
}
