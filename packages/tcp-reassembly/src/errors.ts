// Errors and warnings of @wirebeat/tcp-reassembly. Errors stop reading; warnings are collected on
// the reader so that everything read before the problem is still processed.

import { WirebeatError } from '@wirebeat/core';

/** Base class of every error thrown by this package (`code` from @wirebeat/core's WirebeatError). */
export class TcpReassemblyError extends WirebeatError {}

/** The input is not a pcap or pcapng capture (wrong magic number). */
export class NotACaptureError extends TcpReassemblyError {
  /** Hex dump of the first bytes of the input, to tell the user what the file actually is. */
  readonly firstBytes: string;
  constructor(
    readonly source: string,
    head: Uint8Array,
  ) {
    const firstBytes = hexBytes(head, 16);
    super(`${source}: not a pcap or pcapng capture (first bytes: ${firstBytes || 'none, empty input'})`);
    this.firstBytes = firstBytes;
  }
}

/** The capture could not be opened or read (missing file, permission, I/O error, stream error). */
export class CaptureFileError extends TcpReassemblyError {
  constructor(
    readonly source: string,
    cause: unknown,
  ) {
    super(`${source}: cannot read capture: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}

/** The reassembler or writer was used in a way its options forbid (e.g. an invalid limit). */
export class InvalidOptionError extends TcpReassemblyError {}

/** Base class of the non-fatal problems a PcapReader reports in `warnings`. */
export class CaptureWarning {
  constructor(
    /** One-line description naming the source. */
    readonly message: string,
    /** Byte offset in the input where the problem starts. */
    readonly offset: number,
    /** Records (frames) delivered before the problem. */
    readonly recordsRead: number,
  ) {}
  /** The message, so warnings print well in logs. */
  toString(): string {
    return this.message;
  }
}

/** The input ended in the middle of a record (or header); the records before it were delivered. */
export class TruncatedCaptureWarning extends CaptureWarning {
  readonly name = 'TruncatedCaptureWarning';
  constructor(source: string, offset: number, recordsRead: number, missing: string) {
    super(
      `${source}: capture truncated at byte ${offset} after ${recordsRead} records (${missing})`,
      offset,
      recordsRead,
    );
  }
}

/** A record header is impossible (length beyond any sane limit); reading stops there. */
export class CorruptCaptureWarning extends CaptureWarning {
  readonly name = 'CorruptCaptureWarning';
  constructor(source: string, offset: number, recordsRead: number, what: string) {
    super(
      `${source}: corrupt record at byte ${offset} after ${recordsRead} records (${what})`,
      offset,
      recordsRead,
    );
  }
}

/** Packets whose timestamp lies outside 1970-01-01 .. 9999-12-31 were skipped (e.g. pcapng if_tsresol 0). */
export class TimestampOutOfRangeWarning extends CaptureWarning {
  readonly name = 'TimestampOutOfRangeWarning';
  constructor(
    source: string,
    offset: number,
    recordsRead: number,
    /** Packets skipped. */
    readonly count: number,
    /** The first bad timestamp, in ms since the epoch. */
    readonly firstValueMs: number,
  ) {
    super(
      `${source}: ${packets(count)} skipped, timestamps outside years 1970..9999 (first at byte ${offset}: ` +
        `${firstValueMs} ms; check the interface's if_tsresol/if_tsoffset)`,
      offset,
      recordsRead,
    );
  }
}

/** pcapng packets referred to an interface no interface description block declared; they were skipped. */
export class UndeclaredInterfaceWarning extends CaptureWarning {
  readonly name = 'UndeclaredInterfaceWarning';
  constructor(
    source: string,
    offset: number,
    recordsRead: number,
    /** Packets skipped. */
    readonly count: number,
    /** The first undeclared interface id met. */
    readonly interfaceId: number,
  ) {
    super(
      `${source}: ${packets(count)} skipped, their interface (first: ${interfaceId} at byte ${offset}) was never declared`,
      offset,
      recordsRead,
    );
  }
}

/** Packets of a link type the decoder does not know were read; none of them can be decoded. */
export class UnsupportedLinkTypeWarning extends CaptureWarning {
  readonly name = 'UnsupportedLinkTypeWarning';
  constructor(
    source: string,
    offset: number,
    recordsRead: number,
    /** Packets of those link types. */
    readonly count: number,
    /** The LINKTYPE_* values met. */
    readonly linktypes: number[],
  ) {
    super(
      `${source}: ${packets(count)} of unsupported link type ${linktypes.join(', ')} cannot be decoded`,
      offset,
      recordsRead,
    );
  }
}

function packets(n: number): string {
  return n === 1 ? '1 packet' : `${n} packets`;
}

/** Formats up to `max` bytes as space-separated hex, e.g. "48 65 6c 6c". */
export function hexBytes(bytes: Uint8Array, max: number): string {
  const parts: string[] = [];
  const n = Math.min(max, bytes.length);
  for (let i = 0; i < n; i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
  return parts.join(' ');
}
