// Public API of @wirebeat/applayer.
export type {
  Direction,
  FlowTuple,
  TcpTuple,
  Transport,
  Packet,
  TransactionEvent,
  EventDecoration,
  FieldType,
  DashboardSpec,
  FieldDefinition,
  ProtocolCounters,
  Logger,
  ProtocolContext,
  SharedProtocolConfig,
  TcpPlugin,
  ProtocolModule,
} from './plugin';
export { transportOf } from './plugin';
export type { Message, ProcessTuple } from './message';
export { addNote } from './message';
export {
  Notes,
  connectionClosedNote,
  PLUGIN_ERROR_REASON,
  packetbeatPhrase,
  packetbeatErrorMessage,
} from './notes';
export { durationSchema, parseDuration, commonFields, WirebeatError } from '@wirebeat/core';
export {
  sharedProtocolOptions,
  protocolConfigSchema,
  describeConfigIssues,
  parseProtocolConfig,
} from './config';
export { TransactionCorrelator } from './correlator';
export type { Transaction, CorrelatorOptions } from './correlator';
export { TransactionTimeouts } from './timeouts';
export { PendingBudget, DEFAULT_MAX_PENDING_BYTES, PENDING_REQUEST_OVERHEAD } from './budget';
export type { BudgetedQueue } from './budget';
export { MemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, CONNECTION_OVERHEAD } from './memory-budget';
export type { MemoryCounters } from './memory-budget';
export type { DeadlineTarget } from './timeouts';
export { GapResync } from './gap';
export { communityId, ipToBytes, ipv4Of, IpProto } from './community-id';
export {
  TransactionEventBuilder,
  ConnectionEvents,
  SerialisedEvent,
  connectionIdOf,
  makeTcpTuple,
} from './event';
export type { TransactionStatus, TransactionDetails, EventBuilderOptions } from './event';
export { compileSerialiser, jsonString } from './serialiser';
export type { ProtocolSerialiser } from './serialiser';
export { elapsedNanos, formatTimestamp, formatTimestampNanos } from './time';
export { createCounters } from './counters';
export { ProtocolDispatcher } from './dispatcher';
export { findPortConflict } from './ports';
export type { PortClaim, PortConflict } from './ports';
export { defineProtocol } from './define-protocol';
export type {
  ProtocolDefinition,
  DefinedProtocol,
  DefinedConfig,
  TransactionSummary,
  DirectionParser,
  ConnectionContext,
  ConnectionHandler,
} from './define-protocol';
export { LineParser } from './line-parser';
export type { LineParserOptions, LineMessage } from './line-parser';
export { byteSizeOption, countOption, correlationOptions } from './options';
export type { DispatchConnection, DispatchedProtocol } from './dispatcher';
export { ApplayerError, PortConflictError, ProtocolConfigError } from './errors';
export { LengthPrefixedParser, LengthFramingError } from './length-prefixed-parser';
export type { LengthPrefixedParserOptions, LengthMessage } from './length-prefixed-parser';
export {
  LENGTH_FIELD_SIZES,
  lengthFramingOption,
  lengthFramingProblem,
  readLengthField,
  bodySizeOf,
} from './length-framing';
export type { LengthFraming } from './length-framing';
