// A Packetbeat user's config: dotted keys merged as go-ucfg merges them, Beats' spellings, keys
// of Packetbeat's reference accepted and named, misspellings refused with the key meant.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { z } from 'zod';
import type { ProtocolModule } from '@wirebeat/applayer';
import {
  buildProcessors,
  ConfigValidationError,
  loadConfig,
  resolveProtocols,
  runProcessors,
} from '../src/internal';
import { expandDottedKeys } from '../src/config/dotted';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'beats-compat-'));
function load(text: string, overrides?: string[]) {
  const file = path.join(tmp, `c${Math.random().toString(36).slice(2)}.yml`);
  fs.writeFileSync(file, text);
  return loadConfig({ beatName: 'netbeat', file, overrides });
}
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('dotted keys (go-ucfg)', () => {
  it('expands dotted keys anywhere and merges them with nested keys, later values winning', () => {
    expect(expandDottedKeys({ 'a.b': 1, a: { c: 2, 'd.e': [{ 'f.g': 3 }] }, 'a.c': 4, 'x..y': 5 })).toEqual({
      a: { b: 1, c: 4, d: { e: [{ f: { g: 3 } }] } },
      'x..y': 5,
    });
  });

  it('a file mixing dotted and nested keys loads as the nested file would', () => {
    const c = load(
      [
        'netbeat.interfaces.device: lo',
        'netbeat:',
        '  interfaces:',
        '    snaplen: 1500',
        '  interfaces.bpf_filter: "tcp port 80"',
        'setup.template.settings:',
        '  index.number_of_shards: 3',
        'setup.template.name: nb',
        'setup.template.pattern: "nb-*"',
        'output.console.pretty: true',
        'queue.mem:',
        '  flush.min_events: 10',
        '  events: 100',
      ].join('\n'),
    );
    expect(c.beat.interfaces).toMatchObject({ device: 'lo', snaplen: 1500, bpf_filter: 'tcp port 80' });
    expect(c.setup.template).toMatchObject({ name: 'nb', pattern: 'nb-*' });
    expect(c.setup.template.settings.number_of_shards).toBe(3);
    expect(c.output.console?.pretty).toBe(true);
    expect(c.queue.mem).toMatchObject({ events: 100, flush: { min_events: 10 } });
    expect(c.unsupported).toEqual([]);
  });

  it('reads `fields: []` as no fields and Beats level names as ours', () => {
    const c = load('fields: []\nlogging.level: warning\n');
    expect(c.beats.fields).toEqual({});
    expect(c.logging.level).toBe('warn');
  });
});

describe('processor conditions from a file', () => {
  const events = (conf: string) => {
    const c = load(conf);
    const chain = buildProcessors(c.beats.processors);
    const e = (status: number) => ({ http: { response: { status_code: status } }, type: 'http' });
    return [200, 302, 404].map((s) => {
      const ev = e(s);
      return runProcessors(chain, ev) ? ev : undefined;
    });
  };

  it('dotted keys inside equals and range', () => {
    const eq = events('processors:\n  - drop_event.when.equals.http.response.status_code: 200\n');
    expect(eq.map((e) => e !== undefined)).toEqual([false, true, true]);
    const range = events(
      'processors:\n  - drop_event:\n      when:\n        range.http.response.status_code.lt: 400\n',
    );
    expect(range.map((e) => e !== undefined)).toEqual([false, false, true]);
  });

  it('when.not inverts the condition', () => {
    const kept = events(
      'processors:\n  - drop_event:\n      when.not:\n        equals.http.response.status_code: 404\n',
    );
    expect(kept.map((e) => e !== undefined)).toEqual([false, false, true]);
  });
});

describe('keys of Packetbeat the beat does not implement', () => {
  it('are removed and listed, and the rest of the file applies', () => {
    const c = load(
      [
        'netbeat.flows:',
        '  timeout: 30s',
        '  keep_null: true',
        'netbeat.interfaces.type: af_packet',
        'netbeat.interfaces.device: lo',
        'setup.kibana.host: "localhost:5601"',
        'setup.ilm.enabled: false',
        'output.elasticsearch:',
        '  hosts: ["localhost:9200"]',
        '  preset: balanced',
        '  ssl.supported_protocols: [TLSv1.2]',
        'logging.files.keepfiles: 7',
        'logging.files.interval: 24h',
        'monitoring.enabled: false',
      ].join('\n'),
    );
    expect(c.beat.interfaces.device).toBe('lo');
    // Flows are implemented: their timeout applies, the key without an equivalent is listed.
    expect(c.beat.flows).toMatchObject({ enabled: true, timeout: 30_000, period: 10_000 });
    expect(c.output.elasticsearch?.hosts).toEqual(['localhost:9200']);
    expect(c.logging.files?.keepfiles).toBe(7);
    expect(c.unsupported.sort()).toEqual(
      [
        'netbeat.flows.keep_null',
        'netbeat.interfaces.type',
        'setup.kibana',
        'setup.ilm',
        'output.elasticsearch.preset',
        'output.elasticsearch.ssl.supported_protocols',
        'logging.files.interval',
        'monitoring',
      ].sort(),
    );
  });

  it('a misspelt key is still an error that names the key meant', () => {
    expect(() => load('netbeat.interfaces.devcie: lo\n')).toThrow(
      new ConfigValidationError([
        'unknown key netbeat.interfaces.devcie (did you mean netbeat.interfaces.device?)',
      ]),
    );
    expect(() => load('output.elasticsearch.hots: [x]\n')).toThrow(
      /did you mean output\.elasticsearch\.hosts\?/,
    );
    expect(() => load('netbaet.interfaces.device: lo\n')).toThrow(/did you mean netbeat\?/);
    expect(() => load('zzz_nothing_like_it: 1\n')).toThrow(
      new ConfigValidationError(['unknown key zzz_nothing_like_it']),
    );
  });

  it('protocols Packetbeat has and the beat lacks are skipped and named; others still fail', () => {
    const echo = {
      name: 'echo',
      description: 'echo',
      defaultPorts: [3030],
      fields: [],
      configSchema: z.strictObject({
        enabled: z.boolean().default(true),
        ports: z.array(z.number()).default([3030]),
      }),
      create: () => {
        throw new Error('not used');
      },
    } as unknown as ProtocolModule;
    const unsupported: string[] = [];
    const r = resolveProtocols(
      'netbeat',
      [
        { type: 'dns', ports: [53] },
        { type: 'echo', ports: [3030], send_all_headers: true, queue_max_bytes: 1048576 },
      ],
      [echo],
      undefined,
      unsupported,
    );
    expect(r.map((p) => p.module.name)).toEqual(['echo']);
    // queue_max_bytes: Packetbeat 8.10's Redis option, in its reference file.
    expect(unsupported).toEqual([
      'netbeat.protocols[0] (type dns)',
      'netbeat.protocols[1].send_all_headers',
      'netbeat.protocols[1].queue_max_bytes',
    ]);
    expect(() => resolveProtocols('netbeat', [{ type: 'dnss' }], [echo], undefined, [])).toThrow(
      /unknown protocol type "dnss"/,
    );
    expect(() =>
      resolveProtocols('netbeat', [{ type: 'echo', greting: 'x' }], [echo], undefined, []),
    ).toThrow(ConfigValidationError);
  });

  it('Beats processors the beat lacks are skipped and named; unknown ones still fail', () => {
    const unsupported: string[] = [];
    const chain = buildProcessors(
      [{ add_locale: { format: 'offset' } }, { add_fields: { fields: { a: 1 } } }],
      unsupported,
    );
    expect(chain.map((p) => p.kind)).toEqual(['add_fields']);
    expect(unsupported).toEqual(['processors.0.add_locale']);
    expect(() => buildProcessors([{ add_lokale: {} }], [])).toThrow(/unknown processor/);
  });
});

describe('Packetbeat 8.10 packetbeat.reference.yml as shipped', () => {
  it('a section or setting left with no value (its settings commented out) is not set, as in go-ucfg', () => {
    const c = load(
      [
        'setup.template.settings:',
        'logging.files:',
        'netbeat.interfaces.fanout_group: ~',
        'netbeat.protocols:',
        '- type: http',
        '  ports: [80]',
        '  real_ip_header:',
      ].join('\n'),
    );
    expect(c.setup.template.settings.number_of_shards).toBeGreaterThan(0);
    expect(c.logging.files).toBeUndefined();
    const http = c.beat.protocols?.[0] as Record<string, unknown>;
    expect(http).toMatchObject({ type: 'http', ports: [80] });
    expect(http).not.toHaveProperty('real_ip_header');
    expect(c.unsupported).toEqual([]);
  });

  it('${path.data} and other dotted references name settings (path.* with their defaults)', () => {
    const c = load('netbeat.interfaces.device: "${path.data}/x"\nqueue.disk.path: "${path.home}/q"\n', [
      'path.home=/srv/nb',
    ]);
    expect(c.beat.interfaces.device).toBe('/srv/nb/data/x');
    const fromSetting = load('setup.template.name: nb\ntags: ["${setup.template.name}-tag"]\n');
    expect(fromSetting.beats.tags).toEqual(['nb-tag']);
    expect(load('tags: ["${missing.key:fallback}"]\n').beats.tags).toEqual(['fallback']);
    expect(() => load('tags: ["${missing.key}"]\n')).toThrow(
      /\$\{missing\.key\} names no setting that is set/,
    );
  });

  it('accepts, and names once, the 8.10 keys wirebeat does not implement', () => {
    const c = load(
      [
        'netbeat.interfaces.metrics_interval: 5s',
        'output.elasticsearch.ssl.restart_on_cert_change.enabled: false',
        'logging.metrics.namespaces: [stats]',
        'keystore.path: "${path.config}/beats.keystore"',
        'migration.6_to_7.enabled: false',
      ].join('\n'),
    );
    expect(c.unsupported.sort()).toEqual(
      [
        'keystore',
        'logging.metrics.namespaces',
        'migration',
        'netbeat.interfaces.metrics_interval',
        'output.elasticsearch.ssl.restart_on_cert_change',
      ].sort(),
    );
  });
});
