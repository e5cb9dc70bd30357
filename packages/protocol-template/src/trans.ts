// Correlation: applayer pairs requests and responses in order (pipelining included), times them
// out and notes every incomplete transaction. A protocol whose responses name their request can
// prove each pairing, which keeps it exact after a gap in the stream.
import type { TemplateMessage } from './message';

/** Proof that a response answers a request; undefined when the protocol has none (FIFO only). */
// TODO(protocol): if a response names its request (an id, a sequence number), check it here.
export const matches: ((request: TemplateMessage, response: TemplateMessage) => boolean) | undefined =
  undefined;

/**
 * The key a response shares with its request, for pairing by key (the generator's --pairing key):
 * a response then pairs with the oldest request of the same key, in whatever order responses come.
 */
// TODO(protocol): the id both carry (a request id, an opaque); the template's is the body text,
// which its server echoes.
export const pairingKey = (message: TemplateMessage): string | undefined => message.key;
