// network.direction from interfaces.internal_networks, as Packetbeat 8 computes it.
import { TransactionEventBuilder, type Message, type TcpTuple, type Transaction } from '@wirebeat/applayer';
import { agentInfo, EventEnricher, hostInfo, loadConfig, templateFields } from '../src/internal';
import { directionRule, localAddresses } from '../src/events/direction';

describe('directionRule', () => {
  const rule = directionRule(['private', '203.0.113.0/24'], ['192.168.1.10', '::1']);

  it('egress/ingress when an endpoint is this host (the destination first)', () => {
    expect(rule('192.168.1.10', '8.8.8.8')).toBe('egress');
    expect(rule('8.8.8.8', '192.168.1.10')).toBe('ingress');
    expect(rule('::1', '::1')).toBe('ingress');
    expect(rule('::ffff:192.168.1.10', '1.1.1.1')).toBe('egress');
    // Loopback and link-local addresses are this host whatever its interface list says.
    expect(rule('10.0.0.1', '127.0.0.53')).toBe('ingress');
    expect(rule('169.254.3.4', '8.8.8.8')).toBe('egress');
    expect(rule('8.8.8.8', 'fe80::1')).toBe('ingress');
    expect(rule('8.8.8.8', '224.0.0.251')).toBe('ingress');
  });

  it('internal/outbound/inbound/external by the internal networks otherwise', () => {
    expect(rule('10.0.0.1', '172.16.0.9')).toBe('internal');
    expect(rule('10.0.0.1', '8.8.8.8')).toBe('outbound');
    expect(rule('8.8.8.8', '203.0.113.7')).toBe('inbound');
    expect(rule('8.8.8.8', '1.1.1.1')).toBe('external');
    expect(rule('fd00::1', '2001:db8::1')).toBe('outbound');
  });

  it('leaves events without both addresses alone', () => {
    expect(rule(undefined, '10.0.0.1')).toBeUndefined();
    expect(rule('not-an-ip', '10.0.0.1')).toBeUndefined();
  });

  it('lists this host addresses, loopback included', () => {
    expect(localAddresses()).toContain('127.0.0.1');
  });

  it('without internal networks: ingress, egress, else unknown (as Packetbeat 8)', () => {
    const bare = directionRule([], ['192.168.1.10']);
    expect(bare('8.8.8.8', '192.168.1.10')).toBe('ingress');
    expect(bare('192.168.1.10', '8.8.8.8')).toBe('egress');
    expect(bare('127.0.0.1', '127.180.166.76')).toBe('ingress');
    expect(bare('10.0.0.1', '8.8.8.8')).toBe('unknown');
    // Asked again (the remembered answer) it says the same.
    expect(bare('10.0.0.1', '8.8.8.8')).toBe('unknown');
    expect(bare('10.0.0.1', 'not-an-ip')).toBeUndefined();
  });

  it('the index template maps network.direction as a keyword (aggregations work on it)', () => {
    expect(templateFields([]).filter((f) => f.name === 'network.direction')).toEqual([
      expect.objectContaining({ type: 'keyword' }),
    ]);
  });

  it('refuses a network that is neither a CIDR nor a named range', () => {
    expect(() => directionRule(['privat'], [])).toThrow(/not a CIDR/);
  });
});

describe('the enricher with internal_networks', () => {
  const tuple: TcpTuple = {
    srcIp: '10.0.0.1',
    srcPort: 40000,
    dstIp: '93.184.216.34',
    dstPort: 80,
    ipVersion: 4,
    connectionId: 'c1',
  };
  const event = () =>
    new TransactionEventBuilder('echo').forConnection(tuple).build(
      {
        index: 0,
        request: { ts: 1_796_000_000_000, size: 6 } as unknown as Message,
        response: { ts: 1_796_000_000_010, size: 6 } as unknown as Message,
        notes: undefined,
      } as unknown as Transaction<Message, Message>,
      { status: 'OK', fields: {} },
    );

  /** An enricher whose only addition of interest is network.direction. */
  const enricherFor = (internal: string[], local: string[]) =>
    new EventEnricher({
      host: hostInfo('h'),
      agent: agentInfo('nb', '1.0.0', 'h', '6c3a7c57-3b41-4b8e-9d1e-2a3f4b5c6d7e'),
      tags: [],
      fields: {},
      fieldsUnderRoot: false,
      processors: [],
      direction: directionRule(internal, local),
    });

  it('sets network.direction beside the protocol network fields', () => {
    const c = loadConfig({ beatName: 'nb', overrides: ['nb.interfaces.internal_networks=[private]'] });
    expect(c.beat.interfaces.internal_networks).toEqual(['private']);
    const enricher = enricherFor(c.beat.interfaces.internal_networks, ['127.0.0.1']);
    const out = enricher.apply(event())!;
    const doc = out.json !== undefined ? JSON.parse(out.json) : out.fields;
    expect(doc.network).toMatchObject({ direction: 'outbound', transport: 'tcp' });
  });

  it('without internal_networks every event still gets network.direction, in its serialised form too', () => {
    const c = loadConfig({ beatName: 'nb' });
    expect(c.beat.interfaces.internal_networks).toEqual([]);
    const enricher = enricherFor(c.beat.interfaces.internal_networks, ['10.0.0.1']);
    const out = enricher.apply(event())!;
    // The fast path keeps the event as text and writes the direction into it.
    expect(out.json).toBeDefined();
    const doc = JSON.parse(out.json!);
    expect(doc.network).toEqual({
      direction: 'egress',
      transport: 'tcp',
      protocol: 'echo',
      type: 'ipv4',
      bytes: 12,
      community_id: expect.any(String),
    });
  });
});
