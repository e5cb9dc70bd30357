// Network flows of real captures against tshark's independent view of the same packets: every
// flow's packets and bytes each way, its start and end, its VLAN ids, and the reports Packetbeat's
// period and timeout rules give; the table bound and its eviction counter.
import * as path from 'path';
import type { TransactionEvent } from '@wirebeat/applayer';
import { communityId } from '@wirebeat/applayer';
import { flowsConfigSchema, flowsOptions, FlowsConfigError } from '../src';
import { replayFlows } from './replay';
import { expectedReports, tsharkPackets, type ExpectedReport } from './tshark-flows';

const FIXTURES = path.join(__dirname, 'fixtures');
const LOOPBACK = path.join(FIXTURES, 'loopback-flows.pcap');
const VLANS = path.join(FIXTURES, 'vlan-flows.pcap');
const PCAPS = path.join(__dirname, '../../../pcaps');

/** ISO time with up to 9 fraction digits -> ns since the epoch. */
function isoNs(iso: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(iso)!;
  return BigInt(Date.parse(m[1] + 'Z')) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** An event in the shape of an expected report. */
function asReport(e: TransactionEvent): ExpectedReport {
  const f = e.fields as Record<string, Record<string, unknown>>;
  const vlan = f.flow.vlan;
  const side = (s: Record<string, unknown>) => ({
    ip: s.ip as string,
    ...(s.port === undefined ? {} : { port: s.port as number }),
    // An endpoint that sent nothing has no packets or bytes (as in Packetbeat).
    packets: (s.packets as number | undefined) ?? 0,
    bytes: (s.bytes as number | undefined) ?? 0,
  });
  return {
    at: isoNs(f['@timestamp'] as unknown as string),
    final: f.flow.final as boolean,
    source: side(f.source),
    destination: side(f.destination),
    vlans: vlan === undefined ? [] : ([] as number[]).concat(vlan as number | number[]),
    start: isoNs(f.event.start as string),
    end: isoNs(f.event.end as string),
  };
}

/** Reports in a stable order (time, then endpoints). */
function sorted(reports: ExpectedReport[]): ExpectedReport[] {
  const k = (r: ExpectedReport) =>
    `${String(r.at).padStart(22)} ${r.final} ${r.vlans.join('.')} ${r.source.ip} ${r.source.port} ${r.destination.ip} ${r.destination.port} ${r.start}`;
  return [...reports].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}

describe('flows of a loopback capture (TCP, UDP, ICMP, ICMPv6, GRE, IPv6)', () => {
  it('match tshark: packets and bytes each way, start and end, one final report per flow', async () => {
    const { events, counters } = await replayFlows(LOOPBACK);
    const want = expectedReports(LOOPBACK, 30_000, 10_000);
    expect(want.length).toBeGreaterThanOrEqual(9);
    expect(sorted(events.map(asReport))).toEqual(sorted(want));
    expect(counters.packets).toBe(tsharkPackets(LOOPBACK).length);
    expect(counters).toMatchObject({ active: 0, evicted: 0, timed_out: 0, reports: want.length });
  });

  it('name the transports and carry Packetbeat 8 event fields', async () => {
    const { events } = await replayFlows(LOOPBACK);
    const transports = events.map((e) => (e.fields.network as Record<string, unknown>).transport).sort();
    expect(transports).toEqual(['gre', 'icmp', 'ipv6-icmp', 'tcp', 'tcp', 'tcp', 'tcp', 'udp', 'udp']);
    for (const e of events) {
      const f = e.fields as Record<string, Record<string, unknown>>;
      expect(f.type).toBe('flow');
      expect(f.event).toMatchObject({
        kind: 'event',
        category: ['network'],
        type: ['connection', 'end'],
        action: 'network_flow',
        dataset: 'flow',
      });
      expect(f.event.duration).toBe(Number(isoNs(f.event.end as string) - isoNs(f.event.start as string)));
      const r = asReport(e);
      expect(f.network.packets).toBe(r.source.packets + r.destination.packets);
      expect(f.network.bytes).toBe(r.source.bytes + r.destination.bytes);
      expect('packets' in f.destination).toBe(r.destination.packets > 0);
      expect(f.network.type).toBe(String(f.source.ip).includes(':') ? 'ipv6' : 'ipv4');
      expect(typeof f.flow.id).toBe('string');
    }
  });

  it('hash community_id as Community ID v1 (ICMP echo by its type pair)', async () => {
    const { events } = await replayFlows(LOOPBACK);
    const byTransport = (t: string) =>
      events.find((e) => (e.fields.network as Record<string, unknown>).transport === t)!.fields as Record<
        string,
        Record<string, unknown>
      >;
    const tcp = byTransport('tcp');
    expect(tcp.network.community_id).toBe(
      communityId(
        tcp.source.ip as string,
        tcp.source.port as number,
        tcp.destination.ip as string,
        tcp.destination.port as number,
        6,
      ),
    );
    // Echo request 8 pairs with reply 0 (the spec's example flows use the same folding).
    expect(byTransport('icmp').network.community_id).toBe(communityId('127.23.0.1', 8, '127.23.0.2', 0, 1));
    expect(byTransport('ipv6-icmp').network.community_id).toBe(communityId('::1', 128, '::1', 129, 58));
  });

  it('flow.id stays the same in every report of a flow and differs between flows', async () => {
    const { events } = await replayFlows(LOOPBACK, { timeoutMs: 30_000, periodMs: 1000 });
    const ids = new Map<string, Set<string>>();
    for (const e of events) {
      const f = e.fields as Record<string, Record<string, unknown>>;
      const who = `${f.source.ip} ${f.source.port} ${f.destination.ip} ${f.destination.port} ${f.network.transport}`;
      ids.set(who, (ids.get(who) ?? new Set()).add(f.flow.id as string));
    }
    for (const set of ids.values()) expect(set.size).toBe(1);
    expect(new Set([...ids.values()].map((s) => [...s][0])).size).toBe(ids.size);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });
});

describe('period and timeout (packet time)', () => {
  it('period 1s, timeout 1s: intermediate reports at each second, finals at last packet + timeout, a silent tuple starts a new flow', async () => {
    const { events, counters } = await replayFlows(LOOPBACK, { timeoutMs: 1000, periodMs: 1000 });
    const want = expectedReports(LOOPBACK, 1000, 1000);
    expect(sorted(events.map(asReport))).toEqual(sorted(want));
    // The capture was made for this: reports with flow.final false, flows that timed out, and the
    // UDP tuple that came back after 1.6 s of silence as a second flow.
    expect(want.filter((r) => !r.final).length).toBeGreaterThan(5);
    expect(counters.timed_out).toBeGreaterThan(5);
    const udp4 = want.filter((r) => r.final && r.source.port !== undefined && r.source.ip === '127.23.0.1');
    expect(udp4.length).toBeGreaterThan(3);
  });

  it('period -1: no intermediate reports, only finals', async () => {
    const { events } = await replayFlows(LOOPBACK, { timeoutMs: 1000, periodMs: -1 });
    expect(events.every((e) => (e.fields.flow as Record<string, unknown>).final === true)).toBe(true);
    expect(sorted(events.map(asReport))).toEqual(sorted(expectedReports(LOOPBACK, 1000, -1)));
  });

  it('a flow still alive at the end of the input is final at the last packet time', async () => {
    const { events } = await replayFlows(LOOPBACK, { timeoutMs: 60_000, periodMs: -1 });
    const packets = tsharkPackets(LOOPBACK);
    const lastNs = packets[packets.length - 1].ns;
    expect(events.map((e) => isoNs(e.fields['@timestamp'] as string))).toEqual(events.map(() => lastNs));
  });
});

describe('bounded table', () => {
  it('max_flows 3: the least recently seen flow is evicted (final, counted); no packet is lost', async () => {
    const { events, counters } = await replayFlows(LOOPBACK, { maxFlows: 3, periodMs: -1 });
    expect(counters.max_active).toBe(3);
    expect(counters.evicted).toBe(counters.created - 3);
    expect(counters.evicted).toBeGreaterThan(0);
    expect(events).toHaveLength(counters.created);
    // Per endpoint pair the evicted pieces add up to what tshark counts for the whole flow.
    const sum = (rs: ExpectedReport[]) => {
      const m = new Map<string, number>();
      for (const r of rs) {
        const k = [`${r.source.ip}|${r.source.port}`, `${r.destination.ip}|${r.destination.port}`]
          .sort()
          .join(' ');
        m.set(k, (m.get(k) ?? 0) + r.source.packets + r.destination.packets);
      }
      return m;
    };
    expect(sum(events.map(asReport))).toEqual(sum(expectedReports(LOOPBACK, 30_000, -1)));
  });
});

describe('VLANs, IPv6 and Linux cooked captures', () => {
  it('802.1Q and QinQ tags: flow.vlan and network.vlan.id as tshark reads them; the same addresses on another VLAN are another flow', async () => {
    const { events } = await replayFlows(VLANS);
    expect(sorted(events.map(asReport))).toEqual(sorted(expectedReports(VLANS, 30_000, 10_000)));
    const vlans = events.map((e) => (e.fields.flow as Record<string, unknown>).vlan);
    expect(vlans).toEqual(expect.arrayContaining([100, [200, 300], 7]));
    const qinq = events.find((e) => Array.isArray((e.fields.flow as Record<string, unknown>).vlan))!;
    expect(qinq.fields.network).toMatchObject({ vlan: { id: '200' }, inner: { vlan: { id: '300' } } });
    expect(
      events.filter((e) => (e.fields.network as Record<string, unknown>).transport === 'icmp'),
    ).toHaveLength(2);
  });

  it.each(['echo-any-sll.pcap', 'echo-any-sll2.pcap', 'echo-ipv6.pcap'])(
    '%s matches tshark',
    async (name) => {
      const capture = path.join(PCAPS, name);
      const { events } = await replayFlows(capture);
      expect(events.length).toBeGreaterThan(0);
      expect(sorted(events.map(asReport))).toEqual(sorted(expectedReports(capture, 30_000, 10_000)));
    },
  );
});

describe('config', () => {
  it("takes Packetbeat's keys and limits", () => {
    expect(flowsOptions(flowsConfigSchema.parse({ timeout: '30s', period: '10s' }))).toEqual({
      timeoutMs: 30_000,
      periodMs: 10_000,
      maxFlows: 100_000,
    });
    expect(flowsConfigSchema.parse({ period: -1 }).period).toBe(-1);
    expect(flowsConfigSchema.parse({}).enabled).toBe(true);
    expect(() => flowsConfigSchema.parse({ timeout: '500ms' })).toThrow(/timeout must be at least 1s/);
    expect(() => flowsConfigSchema.parse({ period: '100ms' })).toThrow(/period must be -1 or at least 1s/);
    expect(() => flowsConfigSchema.parse({ perod: '1s' })).toThrow();
    expect(() => flowsOptions({ enabled: true, timeout: 10, period: -1, max_flows: 1 })).toThrow(
      FlowsConfigError,
    );
  });
});
