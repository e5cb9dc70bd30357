// TLS and authentication against a real secured Elasticsearch: this test runs its own instance
// (scripts/es.js --secure on a free port: HTTPS with a test CA, a file-realm user), whatever
// cluster the other tests use.
import * as fs from 'fs';
import { Client } from '@elastic/elasticsearch';
import {
  createOutput,
  OutputConfigError,
  OutputConnectionError,
  outputsConfigSchema,
  Pipeline,
  testOutput,
  type OutputContext,
} from '@wirebeat/publisher';
import { esScript, ES_TEST_TIMEOUT_MS, freePorts, requireElasticsearch, stopAndRemove } from './helpers/es';
import { echoEvents, RecordingLogger } from './helpers/events';

jest.setTimeout(ES_TEST_TIMEOUT_MS);

describe('Elasticsearch output with TLS and authentication (own secured instance)', () => {
  let url: string;
  let started = false;
  let port: number;
  let access: { username: string; password: string; ca: string };
  let admin: Client;
  const logger = new RecordingLogger();
  const ctx = (beatName: string): OutputContext => ({ beatName, beatVersion: '0.1.0', logger, fields: [] });

  beforeAll(async () => {
    requireElasticsearch();
    const ports = await freePorts();
    port = ports.port;
    const r = await esScript.start({ ...ports, secure: true });
    started = r.started;
    url = r.url;
    access = esScript.secureAccess(port);
    admin = new Client({
      node: url,
      auth: { username: access.username, password: access.password },
      tls: { ca: fs.readFileSync(access.ca) },
    });
  });
  afterAll(async () => {
    await admin?.close();
    if (started) await stopAndRemove(port);
  });

  async function ship(beat: string, es: Record<string, unknown>): Promise<number> {
    const out = createOutput(
      outputsConfigSchema.parse({ elasticsearch: { hosts: [url], ...es } }),
      ctx(beat),
    );
    await out.connect();
    const p = new Pipeline(out, { policy: 'block' });
    for (const e of echoEvents(500, beat)) p.publish(e);
    expect((await p.close(60_000)).undelivered).toBe(0);
    expect(p.counters()).toMatchObject({ acked: 500, failed: 0 });
    await admin.indices.refresh({ index: `${beat}-*` });
    return (await admin.count({ index: `${beat}-*` })).count;
  }

  it('ships over HTTPS with a CA file, full verification and basic auth', async () => {
    expect(url).toMatch(/^https:/);
    const ssl = { certificate_authorities: [access.ca], verification_mode: 'full' };
    expect(await ship('wb_tls_basic', { username: access.username, password: access.password, ssl })).toBe(
      500,
    );
    await expect(
      testOutput(
        outputsConfigSchema.parse({
          elasticsearch: { hosts: [url], username: access.username, password: access.password, ssl },
        }),
        ctx('t'),
      ),
    ).resolves.toMatch(
      /^elasticsearch: https:\/\/127\.0\.0\.1:\d+ \(TLS, verification full\) OK, version \d+\./,
    );
  });

  // integ-test-zip cannot create API keys (the .security index needs the analysis-common module it
  // lacks), so this checks that an `id:key` is sent as an API key and that a bad one is refused.
  it('sends api_key as ApiKey credentials and reports a refused key without echoing it', async () => {
    const cfg = outputsConfigSchema.parse({
      elasticsearch: {
        hosts: [url],
        api_key: 'wbkeyid:wb-Key-Secret-99',
        ssl: { certificate_authorities: access.ca },
      },
    });
    const err = await testOutput(cfg, ctx('t')).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/HTTP 401: security_exception: .*API key: .* for id wbkeyid/);
    expect(err?.message).not.toContain('wb-Key-Secret-99');
  });

  it('refuses an untrusted certificate unless verification is off', async () => {
    const creds = { username: access.username, password: access.password };
    const untrusted = outputsConfigSchema.parse({ elasticsearch: { hosts: [url], ...creds, timeout: '5s' } });
    await expect(testOutput(untrusted, ctx('t'))).rejects.toThrow(OutputConnectionError);
    await expect(testOutput(untrusted, ctx('t'))).rejects.toThrow(/certificate/);
    const none = outputsConfigSchema.parse({
      elasticsearch: { hosts: [url], ...creds, ssl: { verification_mode: 'none' } },
    });
    await expect(testOutput(none, ctx('t'))).resolves.toMatch(/verification none\) OK/);
  });

  it('reports a wrong password as HTTP 401 without echoing it, and never logs secrets', async () => {
    const wrong = outputsConfigSchema.parse({
      elasticsearch: {
        hosts: [url],
        username: access.username,
        password: 'not-the-Secret-42',
        ssl: { certificate_authorities: access.ca },
      },
    });
    const err = await testOutput(wrong, ctx('t')).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(OutputConnectionError);
    expect(err?.message).toMatch(/HTTP 401/);
    expect(err?.message).not.toContain('not-the-Secret-42');
    await expect(createOutput(wrong, ctx('wb_tls_wrong')).connect()).rejects.toThrow(
      /not authorised: HTTP 401/,
    );
    const logged = JSON.stringify(logger.lines);
    expect(logged).not.toContain(access.password);
    expect(logged).not.toContain('not-the-Secret-42');
  });

  it('says which CA file it cannot read', () => {
    const cfg = outputsConfigSchema.parse({
      elasticsearch: { hosts: [url], ssl: { certificate_authorities: '/nonexistent/ca.pem' } },
    });
    expect(() => createOutput(cfg, ctx('t'))).toThrow(OutputConfigError);
    expect(() => createOutput(cfg, ctx('t'))).toThrow(
      'output.elasticsearch.ssl.certificate_authorities: cannot read /nonexistent/ca.pem: ENOENT',
    );
  });
});
