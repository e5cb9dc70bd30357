// The settings a Packetbeat 8.x config may hold (every key of packetbeat.reference.yml, written
// from its documented options, not copied). A key the beat's schema does not implement but that is
// listed here is accepted and named in one start-up warning; a key listed nowhere is an error with
// a suggestion. `<beat>` is the beat's section, `[]` a list item, `*` anything below.

/** Each line: a section, then its keys (a key ending in `.*` takes any mapping below it). */
const CATALOGUE = `
<beat>.interfaces: device type snaplen buffer_size_mb with_vlans bpf_filter internal_networks auto_promisc_mode fanout_group poll_default_route metrics_interval
<beat>.flows: enabled timeout period fields.* fields_under_root keep_null index processors.*
<beat>.procs: enabled
<beat>.procs.monitored[]: process cmdline_grep
<beat>: ignore_outgoing shutdown_timeout overwrite_pipelines
<beat>.npcap: never_install
<beat>.protocols[]: type enabled ports send_request send_response transaction_timeout keep_null index processors.* fields.* fields_under_root tags
<beat>.protocols[]: max_body_length parse_headers parse_arguments hide_connection_information
<beat>.protocols[]: send_request_header send_response_header compressor ignored_ops
<beat>.protocols[]: include_authorities include_additionals
<beat>.protocols[]: hide_keywords send_headers send_all_headers split_cookie real_ip_header include_body_for include_request_body_for include_response_body_for decode_body max_message_size
<beat>.protocols[]: parseunknown maxvalues maxbytespervalue udptransactiontimeout
<beat>.protocols[]: queue_max_bytes queue_max_messages
<beat>.protocols[]: max_rows max_row_length statement_timeout
<beat>.protocols[]: transport_type protocol_type idl_files string_max_size collection_max_size capture_reply obfuscate_strings drop_after_n_struct_fields
<beat>.protocols[]: max_docs max_doc_length
<beat>.protocols[]: send_certificates include_raw_certificates include_detailed_fields fingerprints
<beat>.protocols[]: parse_authorization parse_body
: name tags fields.* fields_under_root max_procs processors.*
timestamp: precision
queue.mem: events flush.min_events flush.timeout
queue.disk: path max_size segment_size read_ahead write_ahead retry_interval max_retry_interval
cloud: id auth
output.elasticsearch: enabled hosts compression_level escape_html protocol api_key username password parameters.* worker preset index indices pipeline pipelines path headers.* proxy_disable proxy_url max_retries bulk_max_size backoff.init backoff.max idle_connection_timeout timeout allow_older_versions non_indexable_policy.* queue.*
output.elasticsearch.ssl: enabled verification_mode supported_protocols certificate_authorities certificate key key_passphrase cipher_suites curve_types renegotiation ca_sha256 ca_trusted_fingerprint restart_on_cert_change.enabled restart_on_cert_change.period
output.elasticsearch.kerberos: enabled auth_type username password keytab config_path service_name realm
output.logstash: enabled hosts worker compression_level escape_html ttl loadbalance pipelining slow_start backoff.init backoff.max index proxy_url proxy_use_local_resolver timeout max_retries bulk_max_size queue.* ssl.*
output.kafka: enabled hosts topic topics key partition.* codec.* username password sasl.mechanism version metadata.* worker max_retries backoff.init backoff.max bulk_max_size bulk_flush_frequency timeout broker_timeout channel_buffer_size keep_alive compression compression_level max_message_bytes required_acks client_id headers queue.* ssl.* kerberos.*
output.redis: enabled hosts index key password db datatype worker loadbalance timeout max_retries backoff.init backoff.max bulk_max_size proxy_url proxy_use_local_resolver queue.* ssl.* codec.*
output.file: enabled path filename rotate_every_kb number_of_files permissions rotate_on_startup codec.* queue.*
output.console: enabled pretty codec.* bulk_max_size queue.*
path: home config data logs
setup.dashboards: enabled directory url file beat kibana_index index always_kibana retry.enabled retry.interval retry.maximum string_replacements.*
setup.template: enabled name pattern fields overwrite append_fields json.enabled json.path json.name json.data_stream type
setup.template.settings: index.* _source.* number_of_shards number_of_replicas refresh_interval
setup.ilm: enabled policy_name policy_file check_exists overwrite
setup.kibana: host protocol username password api_key path space.id headers.* ssl.*
logging: level selectors to_stderr to_syslog to_eventlog to_files json ecs
logging.metrics: enabled period namespaces
logging.files: path name rotateeverybytes keepfiles permissions interval rotateonstartup redirect_stderr
logging.event_data: to_files to_stderr files.*
monitoring: enabled cluster_uuid elasticsearch.*
http: enabled host port named_pipe.user named_pipe.security_descriptor pprof.enabled
seccomp: default_action syscalls.*
instrumentation: enabled environment hosts api_key secret_token profiling.*
features.fqdn: enabled
keystore: path
migration.6_to_7: enabled
`;

let keys: readonly string[] | undefined;

/** Every documented key path (patterns with `<beat>`, `[]` and a trailing `*`); built on first use (start-up time). */
export function beatsKeys(): readonly string[] {
  keys ??= CATALOGUE.split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .flatMap((line) => {
      const colon = line.indexOf(':');
      const section = line.slice(0, colon).trim();
      return line
        .slice(colon + 1)
        .trim()
        .split(/\s+/)
        .map((k) => (section === '' ? k : `${section}.${k}`));
    });
  return keys;
}

/** The pattern of a concrete path: list indices as `[]`, the beat's section as `<beat>`. */
export function keyPattern(beatName: string, path: readonly (string | number)[]): string {
  let out = '';
  path.forEach((seg, i) => {
    const s = String(seg);
    if (/^\d+$/.test(s)) out += '[]';
    else out += (out === '' ? '' : '.') + (i === 0 && s === beatName ? '<beat>' : s);
  });
  return out;
}

/** True when the path is a documented Beats setting or a section holding some. */
export function isBeatsKey(pattern: string): boolean {
  return beatsKeys().some((k) => {
    if (k === pattern || k.startsWith(`${pattern}.`) || k.startsWith(`${pattern}[]`)) return true;
    return k.endsWith('.*') && (pattern === k.slice(0, -2) || pattern.startsWith(k.slice(0, -1)));
  });
}

/** Documented keys directly under a section pattern (`output` -> elasticsearch, logstash, ...). */
export function beatsKeysUnder(section: string): string[] {
  const prefix = section === '' ? '' : `${section}.`;
  const out = new Set<string>();
  for (const k of beatsKeys()) {
    if (!k.startsWith(prefix)) continue;
    const rest = k.slice(prefix.length);
    const m = /^[^.[]+/.exec(rest);
    if (m && m[0] !== '*') out.add(m[0]);
  }
  return [...out];
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The closest candidate within a third of the key's length (at least 2 edits), if any. */
export function closest(key: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(key, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}
