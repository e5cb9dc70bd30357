// output.kafka over TLS and SASL against one broker started with secured listeners
// (scripts/kafka.js --secure: SSL, MTLS, NOSAN, SASL_SSL, SASL_PLAINTEXT; a CA made at start; one
// user per SASL mechanism). pb_echo replays pcaps/echo.pcap over each mechanism family and the
// topic must hold exactly the events the console prints for the same capture; wrong credentials
// and certificates that do not verify end the run and `test output` with one line and exit 1. The
// rest of the matrix (each mechanism on each listener, verification modes) asks the brokers through
// the publisher's `test output`, all cases in one child process, which spares a beat start per case.
import * as path from 'path';
import {
  kafkaScript,
  KAFKA_TEST_TIMEOUT_MS,
  type KafkaSecurity,
  type SaslMechanism,
} from '../../../packages/publisher/test/helpers/kafka';
import {
  consoleEvents,
  kafkaOptions,
  publisherTestOutputs,
  testKafkaOutput,
  topicEvents,
} from './kafka-helpers';
import { PCAPS, plainStderrLines, runPbEcho, runPbEchoBin, type RunResult } from './pb-echo-cli';

jest.setTimeout(KAFKA_TEST_TIMEOUT_MS);

const NAME = `pbecho-secure-${process.pid}`;
const ECHO = path.join(PCAPS, 'echo.pcap');
const MECHANISMS: SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

type Listener = keyof KafkaSecurity['listeners'];
type Settings = Record<string, string | number>;

/** The human-readable stderr lines and the exit code: what a user sees of a refused run. */
const seen = (r: RunResult) => ({ code: r.code, lines: plainStderrLines(r.stderr) });

describe('output.kafka over TLS and SASL (one broker with secured listeners)', () => {
  let plain: string[] = [];
  let sec: KafkaSecurity;
  let expected: string[];

  beforeAll(async () => {
    const [started, events] = await Promise.all([
      kafkaScript.start({ name: NAME, nodes: 1, secure: true }),
      consoleEvents(ECHO),
    ]);
    if (!started.security) throw new Error('scripts/kafka.js --secure returned no security section');
    plain = started.brokers;
    sec = started.security;
    expected = events;
  });
  afterAll(() => kafkaScript.stop({ name: NAME }));

  const sasl = (m: SaslMechanism): Settings => ({
    username: sec.users[m].username,
    password: sec.users[m].password,
    'sasl.mechanism': m,
  });
  const trusted = (mode = 'full'): Settings => ({
    'ssl.certificate_authorities': sec.ca,
    'ssl.verification_mode': mode,
  });

  /** Replays echo.pcap into `topic` through `listener`; resolves with the topic's events (read over PLAINTEXT). */
  async function replay(listener: Listener, topic: string, settings: Settings): Promise<string[]> {
    // A quick first retry: the topic is created by the first metadata request, its leader a moment later.
    const quick = { 'backoff.init': '100ms', ...settings };
    const r = await runPbEcho(['-I', ECHO, '-t', ...kafkaOptions(sec.listeners[listener], topic, quick)]);
    if (r.code !== 0) throw new Error(`pb_echo over ${listener} exited ${r.code}:\n${r.stderr.slice(-3000)}`);
    return topicEvents(plain, topic);
  }

  /** Replays each case at once (separate beats); every topic must hold the console's events. */
  async function expectReplaysMatchConsole(cases: Record<string, [Listener, Settings]>): Promise<void> {
    const names = Object.keys(cases);
    const topics = await Promise.all(names.map((n) => replay(cases[n][0], n, cases[n][1])));
    expect(expected.length).toBeGreaterThan(0);
    expect(Object.fromEntries(names.map((n, i) => [n, topics[i]]))).toEqual(
      Object.fromEntries(names.map((n) => [n, expected])),
    );
  }

  /** output.kafka settings for `listener` (topic `t`), for publisherTestOutputs. */
  const on = (listener: Listener, settings: Record<string, unknown>) => ({
    hosts: sec.listeners[listener],
    topic: 't',
    ...settings,
  });
  const saslCfg = (m: SaslMechanism) => ({ ...sec.users[m], sasl: { mechanism: m } });
  const sslCfg = (verification_mode = 'full') => ({
    ssl: { certificate_authorities: [sec.ca], verification_mode },
  });

  describe('TLS', () => {
    it('pb_echo publishes with ssl.certificate_authorities (full), and with a client certificate and encrypted key (strict)', () =>
      expectReplaysMatchConsole({
        'tls-full': ['SSL', trusted()],
        'tls-client-cert': [
          'MTLS',
          {
            ...trusted('strict'),
            'ssl.certificate': sec.clientCertificate,
            'ssl.key': sec.clientKeyEncrypted,
            'ssl.key_passphrase': sec.clientKeyPassphrase,
          },
        ],
      }));

    it('an untrusted CA ends the replay and `test output` with one TLS line, exit 1', async () => {
      const [listener] = sec.listeners.SSL;
      const [run, test] = await Promise.all([
        runPbEcho(['-I', ECHO, '-t', ...kafkaOptions([listener], 'never', { 'ssl.enabled': 'true' })]),
        testKafkaOutput([listener], { 'ssl.enabled': 'true' }),
      ]);
      const line = `pb_echo: kafka: ${listener}: TLS verification failed: unable to verify the first certificate (trust the brokers' CA with output.kafka.ssl.certificate_authorities, or set ssl.verification_mode)`;
      expect(run.stdout).toBe('');
      expect(seen(run)).toEqual({ code: 1, lines: [line] });
      expect(seen(test)).toEqual({ code: 1, lines: [line] });
    });

    it('trusts the CAs of NODE_EXTRA_CA_CERTS, which the launcher moves aside and the beat takes back', async () => {
      const [listener] = sec.listeners.SSL;
      const args = ['test', 'output', ...kafkaOptions([listener], 't', { 'ssl.enabled': 'true' })];
      const { NODE_EXTRA_CA_CERTS: _ignored, ...env } = process.env;
      const [withCa, without, missing] = await Promise.all([
        runPbEchoBin(args, { ...env, NODE_EXTRA_CA_CERTS: sec.ca }),
        runPbEchoBin(args, env),
        runPbEchoBin(args, { ...env, NODE_EXTRA_CA_CERTS: path.join(path.dirname(sec.ca), 'missing.crt') }),
      ]);
      expect({ code: withCa.code, stderr: withCa.stderr }).toEqual({ code: 0, stderr: '' });
      expect(withCa.stdout).toMatch(
        new RegExp(`^kafka: ${listener} \\(TLS, verification full\\) OK, cluster`),
      );
      expect(seen(without)).toEqual({ code: 1, lines: [expect.stringMatching(/TLS verification failed/)] });
      // As Node says of a file it cannot load, once; the bundled roots alone then.
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(
        /Warning: Ignoring extra certs from `\S+missing\.crt`, load failed: ENOENT/,
      );
      expect(plainStderrLines(missing.stderr)).toContainEqual(
        expect.stringMatching(/TLS verification failed/),
      );
    });

    it('checks the host name by verification_mode; a client certificate when the listener wants one', async () => {
      // NOSAN's certificate is signed by the CA but names only CN=wrong-host.invalid (no subjectAltName).
      const [nosan] = sec.listeners.NOSAN;
      const [mtls] = sec.listeners.MTLS;
      const [full, strict, certificate, none, noClientCert] = await publisherTestOutputs([
        on('NOSAN', sslCfg('full')),
        on('NOSAN', sslCfg('strict')),
        on('NOSAN', sslCfg('certificate')),
        on('SSL', { ssl: { verification_mode: 'none' } }),
        on('MTLS', sslCfg('full')),
      ]);
      expect(full).toMatch(
        /^TlsVerificationError: kafka: \S+: TLS verification failed: Hostname\/IP does not match certificate's altnames: IP: 127\.0\.0\.1 is not in the cert's list \(/,
      );
      expect(strict).toMatch(
        /TLS verification failed: certificate of 127\.0\.0\.1 has no subjectAltName \(ssl\.verification_mode strict\)/,
      );
      expect(certificate).toMatch(
        new RegExp(
          `^kafka: ${nosan} \\(TLS, verification certificate\\) OK, cluster \\S+, 1 brokers: ${nosan}$`,
        ),
      );
      expect(none).toMatch(/\(TLS, verification none\) OK/);
      expect(noClientCert).toBe(
        `OutputConnectionError: kafka: ${mtls}: Connection closed (does the listener want TLS, SASL or a client certificate?)`,
      );
    });
  });

  describe('SASL', () => {
    it('pb_echo publishes with SCRAM-SHA-512 over TLS, PLAIN and SCRAM-SHA-256 without', () =>
      expectReplaysMatchConsole({
        'sasl-ssl-scram512': ['SASL_SSL', { ...trusted(), ...sasl('SCRAM-SHA-512') }],
        'sasl-plain': ['SASL_PLAINTEXT', sasl('PLAIN')],
        'sasl-scram256': ['SASL_PLAINTEXT', sasl('SCRAM-SHA-256')],
      }));

    it('a wrong password ends the replay and `test output` with one line, exit 1', async () => {
      const [listener] = sec.listeners.SASL_SSL;
      const wrong = { ...trusted(), ...sasl('SCRAM-SHA-256'), password: 'wrong' };
      const [run, test] = await Promise.all([
        runPbEcho(['-I', ECHO, '-t', ...kafkaOptions([listener], 'never', wrong)]),
        testKafkaOutput([listener], wrong),
      ]);
      const line = `pb_echo: kafka: ${listener}: SASL SCRAM-SHA-256 authentication of ${sec.users['SCRAM-SHA-256'].username} failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256`;
      expect(run.stdout).toBe('');
      expect(seen(run)).toEqual({ code: 1, lines: [line] });
      expect(seen(test)).toEqual({ code: 1, lines: [line] });
    });

    it('`test output` of pb_echo says OK with the right credentials', async () => {
      const [listener] = sec.listeners.SASL_SSL;
      const r = await testKafkaOutput([listener], { ...trusted(), ...sasl('SCRAM-SHA-512') });
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.stdout).toBe(
        `kafka: ${listener} (TLS, verification full; SASL SCRAM-SHA-512 as ${sec.users['SCRAM-SHA-512'].username}) OK, cluster ${/cluster (\S+),/.exec(r.stdout)?.[1]}, 1 brokers: ${listener}\n`,
      );
    });

    it('every mechanism works on both SASL listeners; a user of another mechanism is refused', async () => {
      const reports = await publisherTestOutputs([
        ...MECHANISMS.map((m) => on('SASL_SSL', { ...saslCfg(m), ...sslCfg() })),
        ...MECHANISMS.map((m) => on('SASL_PLAINTEXT', saslCfg(m))),
        // The SCRAM-SHA-512 user has no SCRAM-SHA-256 credentials: the mechanism asked for is the one used.
        on('SASL_PLAINTEXT', { ...saslCfg('SCRAM-SHA-512'), sasl: { mechanism: 'SCRAM-SHA-256' } }),
        on('SASL_PLAINTEXT', { ...saslCfg('PLAIN'), password: 'wrong' }),
      ]);
      expect(reports.slice(0, 6)).toEqual([
        ...MECHANISMS.map((m) =>
          expect.stringMatching(`\\(TLS, verification full; SASL ${m} as ${sec.users[m].username}\\) OK`),
        ),
        ...MECHANISMS.map((m) =>
          expect.stringMatching(`^kafka: \\S+ \\(SASL ${m} as ${sec.users[m].username}\\) OK`),
        ),
      ]);
      expect(reports[6]).toMatch(
        /^OutputConnectionError: kafka: \S+: SASL SCRAM-SHA-256 authentication of scram512user failed: .*invalid credentials/,
      );
      expect(reports[7]).toMatch(
        /SASL PLAIN authentication of plainuser failed: Authentication failed: Invalid username or password$/,
      );
    });
  });

  it('refuses Beats TLS settings the client cannot honour, with one line', async () => {
    const r = await runPbEcho([
      '-I',
      ECHO,
      '-t',
      ...kafkaOptions(plain, 'never', { 'ssl.cipher_suites': '["ECDHE-RSA-AES-128-GCM-SHA256"]' }),
    ]);
    expect(r.stdout).toBe('');
    expect(seen(r)).toEqual({
      code: 1,
      lines: [
        expect.stringMatching(
          /^pb_echo: invalid config: output\.kafka\.ssl\.cipher_suites: not supported by wirebeat's Kafka output: /,
        ),
      ],
    });
  });
});
