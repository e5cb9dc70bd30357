// Public API of @wirebeat/streambuf.
export { StreamBuf, decodeLatin1, decodeUtf8, streamScanWork } from './streambuf';
export type { StreamBufOptions, Delimiter, BytePredicate } from './streambuf';
export { StreamBufError, StreamTooLargeError, StreamParseError, InvalidSnapshotError } from './errors';
