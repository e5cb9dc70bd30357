// agent.id and agent.ephemeral_id are random version-4 UUIDs (RFC 9562), from /dev/urandom.
import { randomUUID } from '../src/events/agent-info';

describe('randomUUID', () => {
  it('gives version-4, variant-1 UUIDs, all different', () => {
    const ids = Array.from({ length: 2000 }, () => randomUUID());
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Every hex digit outside the fixed bits varies (random bytes, not a counter or a clock).
    const varying = [...ids[0].replace(/-/g, '')].map(
      (_, i) => new Set(ids.map((x) => x.replace(/-/g, '')[i])).size,
    );
    expect(varying.filter((n) => n === 1)).toHaveLength(1); // the version digit
  });
});
