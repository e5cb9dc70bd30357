// Public API of @wirebeat/testing: the replay / golden-event harness every protocol package uses.
export { replayCapture, replayCaptureDetailed, replayFrames } from './replay';
export type { ReplayProtocol, ReplayOptions, ReplayResult } from './replay';
export {
  goldenPathFor,
  BEAT_ADDED_FIELDS,
  withoutBeatFields,
  normaliseEvent,
  toNdjson,
  readGolden,
  writeGolden,
  compareWithGolden,
  updatingGolden,
  proposeGolden,
  proposedPathFor,
} from './golden';
export type { JsonRecord, NormaliseOptions } from './golden';
export { splitAt, everySplit, bytewise, seededRandom, randomCuts, concatBytes } from './split';
export { PluginDriver } from './plugin-driver';
export { freeTcpPort } from './ports';
export {
  echoConversation,
  httpConversation,
  redisConversation,
  feedConversation,
  eventEssence,
  segmentationMismatch,
  fuzzProtocol,
} from './wire-fuzz';
export type { WireMessage, Rng, FuzzReport } from './wire-fuzz';
export type { PluginDriverOptions } from './plugin-driver';
export {
  buildConversation,
  mergeConversations,
  disorderFrames,
  writeCapture,
  DEFAULT_CONVERSATION_START,
} from './conversation';
export type { ConversationSpec, ConversationMessage, Endpoint, DisorderOptions } from './conversation';
export { buildDatagrams } from './datagrams';
export type { DatagramSpec, DatagramMessage } from './datagrams';
export { TestingError, GoldenFileError, ConversationSpecError } from './errors';
export {
  runTshark,
  epochToNs,
  nsToIso,
  nsToIsoNanos,
  tsharkTcpStreams,
  tsharkLines,
  tsharkFields,
  tsharkFrameTimes,
  fieldsLike,
  TsharkError,
} from './tshark';
export type { TsharkEndpoint, TsharkChunk, TsharkStream, TsharkLine } from './tshark';
