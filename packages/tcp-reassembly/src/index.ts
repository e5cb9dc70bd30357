// Public API of @wirebeat/tcp-reassembly.
export type * from './types';
export {
  TcpReassemblyError,
  NotACaptureError,
  CaptureFileError,
  InvalidOptionError,
  CaptureWarning,
  TruncatedCaptureWarning,
  CorruptCaptureWarning,
  TimestampOutOfRangeWarning,
  UndeclaredInterfaceWarning,
  UnsupportedLinkTypeWarning,
} from './errors';
export { LinkType } from './linktype';
export type { LinkTypeValue } from './linktype';
export { TcpFlags } from './tcp-flags';
export { ipv4ToString, parseIpv4, ipv6ToString, parseIpv6 } from './ip-address';
export { PcapWriter } from './pcap-writer';
export { buildTcpFrame } from './frame-builder';
export type { TcpFrameSpec } from './frame-builder';
export { buildUdpFrame, buildUdpFragments } from './udp-frame-builder';
export type { UdpFrameSpec } from './udp-frame-builder';
export { plainBytes } from './byte-source';
export { PcapReader, readAllFrames } from './pcap-reader';
export type { PcapReaderOptions } from './pcap-reader';
export {
  decodeFrame,
  decodeIpv4,
  decodeIpv6,
  decodeTcp,
  decodeUdp,
  DecodedPacket,
  DecodeStatus,
  IpProtocol,
  UNDECODABLE_REASONS,
} from './decoder';
export type { DecodeStatusValue } from './decoder';
export { TcpReassembler } from './reassembler';
export type { ReassemblerOptions, ReassemblyCounters } from './reassembler';
export { Ipv4ConnectionTable } from './connection-table';
export { UdpFlowTable, UdpFlow } from './udp-flows';
export type { UdpFlowConsumer, UdpFlowOptions, UdpCounters } from './udp-flows';
export { IpDefragmenter } from './ip-defrag';
export type { DefragOptions, DefragCounters } from './ip-defrag';
