// output.kafka's settings: Beats' names and defaults, refusals of what the client cannot do, format
// strings, topic rules and partitioners (the output against a real broker: examples/pb_echo/test/kafka-*).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { PeerCertificate } from 'tls';
import { outputsConfigSchema, outputNames, type KafkaOutputConfig } from '@wirebeat/publisher';
import { compileFormat } from '../src/outputs/kafka/format';
import { fnv1a32, partitionChooser } from '../src/outputs/kafka/partition';
import { strictServerIdentity, tlsOptions } from '../src/outputs/kafka/tls';
import { topicSelector } from '../src/outputs/kafka/topic';

const parse = (kafka: Record<string, unknown>) =>
  outputsConfigSchema.parse({ kafka: { hosts: 'k1:9092', topic: 't', ...kafka } });
const problem = (kafka: Record<string, unknown>) => {
  const r = outputsConfigSchema.safeParse({ kafka: { hosts: 'k1:9092', topic: 't', ...kafka } });
  return r.success ? 'accepted' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
};

describe('output.kafka settings', () => {
  it('is one entry of the output registry', () => {
    expect(outputNames).toEqual(['console', 'file', 'elasticsearch', 'kafka']);
  });

  it("fills Beats' defaults (acks from all replicas for the idempotent producer)", () => {
    expect(parse({}).kafka).toMatchObject({
      hosts: ['k1:9092'],
      required_acks: -1,
      compression: 'gzip',
      max_message_bytes: 1_000_000,
      bulk_max_size: 2048,
      timeout: 30_000,
      broker_timeout: 10_000,
      client_id: 'beats',
      version: '2.1.0',
    });
  });

  it.each([
    [
      { compression: 'brotli' },
      /compression: Invalid option: expected one of "none"\|"gzip"\|"snappy"\|"lz4"\|"zstd"/,
    ],
    [{ required_acks: 2 }, /required_acks/],
    [{ version: '0.10.2' }, /version: wirebeat speaks the Kafka protocol of 2.1 and later/],
    [{ partition: { random: {}, hash: {} } }, /partition: choose one of random, round_robin, hash/],
    [{ partition: { sticky: {} } }, /partition: Unrecognized key: "sticky"/],
    [{ sasl: { mechanism: 'GSSAPI' }, username: 'u', password: 'p' }, /sasl.mechanism/],
    [{ sasl: { mechanism: 'PLAIN' } }, /sasl: sasl needs username and password/],
    [{ hosts: 'http://k1' }, /hosts.0: expected host:port/],
    [{ topic: undefined }, /topic: set topic or topics/],
    [{ codec: { format: '%{[message]}' } }, /Unrecognized key: "codec"/],
    [
      { ssl: { cipher_suites: ['ECDHE-RSA-AES-128-GCM-SHA256'] } },
      /ssl.cipher_suites: not supported by wirebeat's Kafka output: Beats cipher suite names are Go names/,
    ],
    [
      { ssl: { ca_trusted_fingerprint: 'ab:cd' } },
      /ssl.ca_trusted_fingerprint: not supported .*certificate_authorities/,
    ],
    [
      { ssl: { supported_protocols: ['TLSv1.1'] } },
      /ssl.supported_protocols.0: wirebeat speaks TLSv1.2 and TLSv1.3/,
    ],
    [
      { ssl: { verification_mode: 'lenient' } },
      /verification_mode: .*"full"\|"strict"\|"certificate"\|"none"/,
    ],
    [{ ssl: { certificate: '/c.pem' } }, /ssl.certificate: certificate and key go together/],
  ])('refuses %j', (kafka, message) => {
    expect(problem(kafka)).toMatch(message);
  });

  it('accepts SCRAM-SHA-512 with TLS', () => {
    expect(
      problem({
        username: 'u',
        password: 'p',
        sasl: { mechanism: 'SCRAM-SHA-512' },
        ssl: { verification_mode: 'none' },
      }),
    ).toBe('accepted');
  });
});

describe('output.kafka.ssl as Node TLS options', () => {
  const tlsOf = (ssl: Record<string, unknown>) => tlsOptions(parse({ ssl }).kafka as KafkaOutputConfig);

  it('reads PEM files or takes PEM text, with the key passphrase and the TLS versions offered', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-kafka-tls-'));
    const file = path.join(dir, 'ca.pem');
    fs.writeFileSync(file, '-----BEGIN CERTIFICATE-----\nfile\n-----END CERTIFICATE-----\n');
    const inline = '-----BEGIN CERTIFICATE-----\ninline\n-----END CERTIFICATE-----';
    const tls = tlsOf({
      certificate_authorities: [file, inline],
      certificate: inline,
      key: inline,
      key_passphrase: 'pw',
      supported_protocols: ['TLSv1.3'],
    });
    fs.rmSync(dir, { recursive: true });
    expect(tls).toMatchObject({ passphrase: 'pw', minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
    expect((tls?.ca as Buffer[]).map((b) => b.toString().split('\n')[1])).toEqual(['file', 'inline']);
    expect(tlsOf({ enabled: false })).toBeUndefined();
    expect(() => tlsOf({ certificate_authorities: ['/nonexistent/ca.pem'] })).toThrow(
      'output.kafka.ssl.certificate_authorities: cannot read /nonexistent/ca.pem: ENOENT',
    );
  });

  it('strict refuses a certificate without subjectAltName and checks the host name otherwise', () => {
    const noSan = { subject: { CN: 'broker1' } } as unknown as PeerCertificate;
    const san = { subject: { CN: 'x' }, subjectaltname: 'DNS:broker1' } as unknown as PeerCertificate;
    expect(strictServerIdentity('broker1', noSan)?.message).toBe(
      'certificate of broker1 has no subjectAltName (ssl.verification_mode strict)',
    );
    expect(strictServerIdentity('broker1', san)).toBeUndefined();
    expect(strictServerIdentity('broker2', san)?.message).toMatch(/does not match certificate's altnames/);
    expect(tlsOf({ verification_mode: 'strict' })?.checkServerIdentity).toBe(strictServerIdentity);
    expect(tlsOf({ verification_mode: 'none' })?.rejectUnauthorized).toBe(false);
  });
});

describe('format strings', () => {
  it('fill %{[field]} from nested or dotted fields, with a fallback', () => {
    const f = compileFormat('wb-%{[type]}-%{[network.transport]}', 'topic');
    expect(f({ type: 'echo', network: { transport: 'tcp' } })).toBe('wb-echo-tcp');
    expect(f({ type: 'echo' })).toBeUndefined();
    expect(compileFormat('%{[missing]:none}', 'key')({})).toBe('none');
    expect(() => compileFormat('%{+yyyy}', 'output.kafka.topic')).toThrow(
      /output.kafka.topic: .*only %\{\[field\]\}/,
    );
  });
});

describe('topics rules', () => {
  const equals = (spec: unknown) => {
    const [[field, value]] = Object.entries((spec as { equals: Record<string, unknown> }).equals);
    return (e: Record<string, unknown>) => e[field] === value;
  };

  it('take the first rule whose condition holds, with mappings and defaults, else topic', () => {
    const select = topicSelector(
      {
        topic: 'other',
        topics: [
          { topic: 'errors', when: { equals: { status: 'Error' } } },
          { topic: '%{[type]}', mappings: { echo: 'echo-events' } },
        ],
      },
      equals,
    );
    expect(select({ status: 'Error', type: 'echo' })).toBe('errors');
    expect(select({ status: 'OK', type: 'echo' })).toBe('echo-events');
    expect(select({ status: 'OK', type: 'http' })).toBe('http');
    expect(select({ status: 'OK' })).toBe('other');
  });

  it('refuse a condition when no condition compiler is given', () => {
    expect(() => topicSelector({ topics: [{ topic: 'x', when: { equals: { a: 1 } } }] })).toThrow(
      /output.kafka.topics.0.when: conditions need a beat/,
    );
  });
});

describe('partitioners', () => {
  it('hash the key with FNV-1a as sarama does, the same key to the same partition', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    const hash = partitionChooser(undefined);
    const p = hash('t', 'client-1', {}, 12, []);
    expect(hash('t', 'client-1', {}, 12, [])).toBe(p);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(12);
  });

  it('hash listed fields instead of the key', () => {
    const byField = partitionChooser({ hash: { hash: ['source.ip'], random: false, reachable_only: false } });
    const a = byField('t', undefined, { source: { ip: '10.0.0.1' } }, 7, []);
    expect(byField('t', 'other', { source: { ip: '10.0.0.1' } }, 7, [])).toBe(a);
  });

  it('round_robin moves on after group_events and keeps to reachable partitions when asked', () => {
    const rr = partitionChooser({ round_robin: { reachable_only: true, group_events: 2 } });
    const seen = Array.from({ length: 8 }, () => rr('t', undefined, {}, 4, [1, 3]));
    expect(seen).toEqual([1, 1, 3, 3, 1, 1, 3, 3]);
  });

  it('random stays among reachable partitions', () => {
    const random = partitionChooser({ random: { reachable_only: true, group_events: 1 } });
    for (let i = 0; i < 50; i++) expect([0, 2]).toContain(random('t', undefined, {}, 3, [0, 2]));
  });
});
