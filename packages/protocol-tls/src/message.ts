// The message the TLS connection hands the framework: one side of a handshake, as the request
// (client) or the response (server) of the handshake's transaction.
import type { Message } from '@wirebeat/applayer';
import type { TlsSide } from './decode/side';

/** One side of a handshake, with the framework's metadata (size: its bytes in clear). */
export interface TlsMessage extends Message {
  side: TlsSide;
}

/** Notes of TLS events. */
export const TlsNotes = {
  gap: 'packets of the handshake were lost: it is published as far as it was seen',
  notTls: 'bytes that are not TLS records: the rest of this direction is not analysed',
  tooLarge: 'a handshake message over 64 kB: the rest of this direction is not analysed',
  malformed: 'malformed handshake message',
  incomplete: 'the connection ended before the handshake completed',
} as const;
