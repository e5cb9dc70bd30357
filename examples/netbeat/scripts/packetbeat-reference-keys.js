#!/usr/bin/env node
// Writes test/fixtures/packetbeat-reference-keys.yml: every key path of Packetbeat 8.x's
// packetbeat.reference.yml (as beat-runner's catalogue lists them) with a plausible value, in the
// beat's namespace (netbeat), as a user's file would hold them: sections nested, keys below them
// dotted (`ssl.verification_mode`). Our own file, not Elastic's text. Run after `npx tsc -b`.
'use strict';
const fs = require('fs');
const path = require('path');
const BEATS_KEYS = require(
  path.join(__dirname, '../../../packages/beat-runner/dist/config/beats-keys.js'),
).beatsKeys();

/** Values of the settings netbeat implements (they are validated); others get a placeholder. */
const VALUES = {
  '<beat>.interfaces.device': 'any',
  '<beat>.interfaces.snaplen': 65535,
  '<beat>.interfaces.buffer_size_mb': 30,
  '<beat>.interfaces.bpf_filter': '',
  '<beat>.interfaces.internal_networks': ['private'],
  '<beat>.shutdown_timeout': '5s',
  '<beat>.flows.enabled': true,
  '<beat>.flows.timeout': '30s',
  '<beat>.flows.period': '10s',
  '<beat>.procs.enabled': false,
  '<beat>.procs.monitored[].process': 'nginx',
  '<beat>.procs.monitored[].cmdline_grep': 'nginx',
  '<beat>.protocols[].type': 'redis',
  '<beat>.protocols[].enabled': true,
  '<beat>.protocols[].ports': [6379],
  '<beat>.protocols[].send_request': false,
  '<beat>.protocols[].send_response': false,
  '<beat>.protocols[].transaction_timeout': '10s',
  name: 'shipper',
  tags: ['service-X', 'web-tier'],
  'fields.*': { env: 'staging' },
  fields_under_root: false,
  'processors.*': [{ add_cloud_metadata: null }],
  'queue.mem.events': 4096,
  'queue.mem.flush.min_events': 2048,
  'queue.mem.flush.timeout': '1s',
  'output.elasticsearch.enabled': true,
  'output.elasticsearch.hosts': ['localhost:9200'],
  'output.elasticsearch.username': 'elastic',
  'output.elasticsearch.password': 'changeme',
  'output.elasticsearch.api_key': undefined,
  'output.elasticsearch.worker': 1,
  'output.elasticsearch.index': 'netbeat-%{[agent.version]}',
  'output.elasticsearch.bulk_max_size': 50,
  'output.elasticsearch.backoff.init': '1s',
  'output.elasticsearch.backoff.max': '60s',
  'output.elasticsearch.timeout': 90,
  'output.elasticsearch.ssl.verification_mode': 'full',
  'output.elasticsearch.ssl.certificate_authorities': ['/etc/pki/root/ca.pem'],
  'output.file.enabled': false,
  'output.file.path': '/tmp/netbeat',
  'output.file.filename': 'netbeat',
  'output.file.rotate_every_kb': 10000,
  'output.file.number_of_files': 7,
  'output.console.enabled': false,
  'output.console.pretty': false,
  'output.kafka.enabled': false,
  'output.kafka.hosts': ['localhost:9092'],
  'output.kafka.topic': 'netbeat',
  'output.kafka.topics': [{ topic: 'critical', when: { equals: { status: 'Error' } } }],
  'output.kafka.key': 'netbeat-key',
  'output.kafka.partition.*': { round_robin: { reachable_only: false } },
  'output.kafka.username': 'kafka',
  'output.kafka.password': 'changeme',
  'output.kafka.sasl.mechanism': 'PLAIN',
  'output.kafka.version': '2.1.0',
  'output.kafka.metadata.*': { refresh_frequency: '10m' },
  'output.kafka.backoff.init': '1s',
  'output.kafka.backoff.max': '60s',
  'output.kafka.bulk_max_size': 2048,
  'output.kafka.bulk_flush_frequency': '0s',
  'output.kafka.timeout': '30s',
  'output.kafka.broker_timeout': '10s',
  'output.kafka.compression': 'gzip',
  'output.kafka.max_message_bytes': 1000000,
  'output.kafka.required_acks': 1,
  'output.kafka.client_id': 'beats',
  'output.kafka.headers': [{ key: 'x-source', value: 'netbeat' }],
  'output.kafka.ssl.*': { enabled: true, verification_mode: 'full' },
  'path.home': '.',
  'path.config': '.',
  'path.data': 'data',
  'path.logs': 'logs',
  'setup.template.enabled': true,
  'setup.template.name': 'netbeat',
  'setup.template.pattern': 'netbeat-*',
  'setup.template.overwrite': false,
  'setup.template.settings.index.*': { number_of_shards: 1, codec: 'best_compression' },
  'setup.template.settings.number_of_shards': 1,
  'setup.template.settings.number_of_replicas': 0,
  'setup.template.settings.refresh_interval': '5s',
  'logging.level': 'info',
  'logging.selectors': ['*'],
  'logging.to_stderr': false,
  'logging.to_files': true,
  'logging.json': true,
  'logging.files.path': 'logs',
  'logging.files.name': 'netbeat',
  'logging.files.rotateeverybytes': 10485760,
  'logging.files.keepfiles': 7,
  'logging.files.permissions': '0600',
  'logging.files.rotateonstartup': true,
  'logging.metrics.enabled': true,
  'logging.metrics.period': '30s',
  'http.enabled': false,
  'http.host': 'localhost',
  'http.port': 5066,
};

const tree = {};
/** Top sections and the section below them are nested; the rest of a path is one dotted key. */
const set = (pattern, value) => {
  const parts = pattern.replace(/^<beat>/, 'netbeat').split('.');
  const depth = ['netbeat', 'output', 'setup', 'queue', 'logging'].includes(parts[0]) ? 2 : 1;
  const lastList = parts.map((s) => s.endsWith('[]')).lastIndexOf(true);
  const nested = parts.slice(0, Math.min(Math.max(depth, lastList + 1), parts.length - 1));
  let node = tree;
  for (const seg of nested) {
    if (seg.endsWith('[]')) {
      const key = seg.slice(0, -2);
      node[key] ??= [{}];
      node = node[key][0];
    } else node = node[seg] ??= {};
  }
  node[parts.slice(nested.length).join('.')] = value;
};
for (const k of BEATS_KEYS) {
  const wild = k.endsWith('.*');
  const value = k in VALUES ? VALUES[k] : wild ? { example: 'value' } : 'unsupported-value';
  if (value === undefined) continue;
  set(wild ? k.slice(0, -2) : k, value);
}
const out = path.join(__dirname, '..', 'test', 'fixtures', 'packetbeat-reference-keys.yml');
const header =
  '# Every key of Packetbeat 8.x packetbeat.reference.yml with a value, namespace renamed to\n' +
  '# netbeat. Generated by examples/netbeat/scripts/packetbeat-reference-keys.js: do not edit.\n';
const yaml = require(
  require.resolve('yaml', { paths: [path.join(__dirname, '../../../packages/beat-runner')] }),
);
fs.writeFileSync(out, header + yaml.stringify(tree, { lineWidth: 0 }));
console.log(`wrote ${out} (${BEATS_KEYS.length} keys)`);
