// Size options at their boundary (the limit, and one past it): max_message_size and the shared
// max_pending_requests.
import { Notes, PENDING_REQUEST_OVERHEAD } from '@wirebeat/applayer';
import { EchoHarness, T0 } from './harness';

/**
 * A request whose unfinished line (marker included, before its newline) is `size` bytes: the part a
 * connection must hold while it waits for the newline, which is what max_message_size limits.
 */
function longRequest(h: EchoHarness, size: number): EchoHarness {
  const text = 'z'.repeat(size - 1);
  h.send(0, '>' + text.slice(0, 5), T0);
  h.send(0, text.slice(5), T0);
  h.send(0, '\n', T0);
  h.send(1, '<' + text + '\n', T0 + 1);
  return h;
}

describe('max_message_size at the boundary', () => {
  const LIMIT = 64;
  const run = (size: number) =>
    longRequest(new EchoHarness({ send_request: true, send_response: true, max_message_size: LIMIT }), size)
      .close('fin')
      .docs();

  it('keeps the text of a line of exactly max_message_size bytes held', () => {
    const [doc] = run(LIMIT);
    expect(doc.request).toBe('z'.repeat(LIMIT - 1));
    expect(doc.notes).toBeUndefined();
    expect((doc.source as { bytes: number }).bytes).toBe(LIMIT + 1);
  });

  it('drops the text of a line one byte longer, keeping its transaction and size', () => {
    const [doc] = run(LIMIT + 1);
    expect(doc.request).toBe('');
    expect(doc.notes).toEqual(['message longer than max_message_size: text not kept']);
    expect((doc.source as { bytes: number }).bytes).toBe(LIMIT + 2);
  });
});

describe('max_pending_requests at the boundary', () => {
  const pending = (n: number) => {
    const h = new EchoHarness({ send_request: true, max_pending_requests: 2 });
    h.send(0, Array.from({ length: n }, (_, i) => `>${i + 1}\n`).join(''), T0);
    return h.summary();
  };

  it('holds exactly max_pending_requests unanswered requests', () => {
    expect(pending(2)).toEqual([]);
  });

  it('publishes the oldest as missing when one more arrives', () => {
    expect(pending(3)).toEqual([`1>- Error [${Notes.responseTooManyPending}]`]);
  });
});

describe('max_pending_bytes at the boundary', () => {
  // Each request '>aaaa\n' is charged its 6 bytes on the wire and the framework's per-request overhead.
  const charge = PENDING_REQUEST_OVERHEAD + 6;
  const pending = (budget: number, n: number) => {
    const h = new EchoHarness({ send_request: true, max_pending_bytes: budget });
    h.send(0, '>aaaa\n'.repeat(n), T0);
    return h.docs().map((d) => [d.request, d.status, d.notes]);
  };

  it('holds requests whose bytes add up to exactly max_pending_bytes', () => {
    expect(pending(2 * charge, 2)).toEqual([]);
  });

  it('publishes the oldest early when one more byte would be held', () => {
    expect(pending(2 * charge - 1, 2)).toEqual([
      ['aaaa', 'Error', [expect.stringMatching(/max_pending_bytes/)]],
    ]);
  });
});
