// Config values from the environment, keys that could reach Object.prototype, and host URLs named
// by their setting.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ConfigFileError,
  ConfigValidationError,
  ConfigVariableError,
  InvalidOverrideError,
  loadConfig,
} from '../src/internal';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'beat-runner-config-safety-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function loadWith(overrides: string[], env: NodeJS.ProcessEnv = {}) {
  return loadConfig({ beatName: 'pb_echo', overrides, env });
}

describe('keys that would reach Object.prototype', () => {
  afterEach(() => {
    // Whatever a failed attempt did, the next test must start from a clean prototype.
    for (const k of ['x', 'polluted', 'y']) delete (Object.prototype as Record<string, unknown>)[k];
  });

  it.each(['__proto__.x=1', 'constructor.prototype.x=1', 'pb_echo.__proto__.x=1', 'prototype.x=1'])(
    'refuses -E %s and leaves Object.prototype alone',
    (override) => {
      expect(() => loadWith([override])).toThrow(InvalidOverrideError);
      expect(() => loadWith([override])).toThrow(/is not allowed as a config key/);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    },
  );

  it('refuses such a key inside an -E value', () => {
    expect(() => loadWith(['pb_echo.protocols=[{type: echo, __proto__: {polluted: 1}}]'])).toThrow(
      /^-E pb_echo\.protocols: "0\.__proto__" in the value is not allowed as a config key$/,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses such a key in the config file, naming where', () => {
    const f = path.join(tmp, 'proto.yml');
    fs.writeFileSync(f, 'output:\n  console:\n    constructor:\n      y: 1\n');
    expect(() => loadConfig({ beatName: 'pb_echo', file: f })).toThrow(ConfigFileError);
    expect(() => loadConfig({ beatName: 'pb_echo', file: f })).toThrow(
      /output\.console\.constructor is not allowed/,
    );
  });
});

describe('${VAR} references', () => {
  it('expands a variable and a default, inside text too', () => {
    const c = loadWith(
      [
        'output.elasticsearch.hosts=["http://${ES_HOST}:${ES_PORT:9200}"]',
        'output.elasticsearch.username=${ES_USER:elastic}',
        'output.elasticsearch.password=${ES_PASSWORD}',
      ],
      { ES_HOST: '127.0.0.1', ES_PASSWORD: 's3cret' },
    );
    expect(c.output.elasticsearch).toMatchObject({
      hosts: ['http://127.0.0.1:9200'],
      username: 'elastic',
      password: 's3cret',
    });
  });

  it('expands references written in the config file', () => {
    const f = path.join(tmp, 'env.yml');
    fs.writeFileSync(
      f,
      'pb_echo:\n  interfaces:\n    device: ${CAPTURE_DEVICE}\n    snaplen: ${SNAPLEN:1500}\n',
    );
    const c = loadConfig({ beatName: 'pb_echo', file: f, env: { CAPTURE_DEVICE: 'lo' } });
    expect(c.beat.interfaces).toMatchObject({ device: 'lo', snaplen: 1500 });
  });

  it('types a whole reference for a number, and keeps a numeric password as text', () => {
    const c = loadWith(
      [
        'pb_echo.interfaces.snaplen=${SNAPLEN}',
        'output.elasticsearch.username=elastic',
        'output.elasticsearch.password=${PW}',
      ],
      { SNAPLEN: '9000', PW: '123456' },
    );
    expect(c.beat.interfaces.snaplen).toBe(9000);
    expect(c.output.elasticsearch?.password).toBe('123456');
  });

  it('an unset variable without default is a config error naming the variable and the setting', () => {
    expect(() =>
      loadWith(['output.elasticsearch.username=elastic', 'output.elasticsearch.password=${ES_PASSWORD}']),
    ).toThrow(
      new ConfigVariableError(
        'output.elasticsearch.password: environment variable ES_PASSWORD is not set (write ${ES_PASSWORD:default} to give a default)',
      ),
    );
  });

  it('an empty default is allowed, $${ is a literal ${, a malformed reference is an error', () => {
    expect(loadWith(['pb_echo.interfaces.bpf_filter=${FILTER:}']).beat.interfaces.bpf_filter).toBe('');
    expect(loadWith(['pb_echo.interfaces.device=a$${b}']).beat.interfaces.device).toBe('a${b}');
    expect(() => loadWith(['pb_echo.interfaces.device=${not a name}'])).toThrow(
      /pb_echo\.interfaces\.device: \$\{not a name\} does not name an environment variable/,
    );
    expect(() => loadWith(['pb_echo.interfaces.device=${OPEN'])).toThrow(/unterminated \$\{/);
  });
});

describe('Elasticsearch host URLs', () => {
  it('names the setting and the value of an invalid URL', () => {
    expect(() =>
      loadWith(['output.elasticsearch.hosts=["http://127.0.0.1:9200", "http://bad host:9200"]']),
    ).toThrow(
      new ConfigValidationError(['output.elasticsearch.hosts[1]: invalid URL "http://bad host:9200"']),
    );
    expect(() => loadWith(['output.elasticsearch.hosts=["ftp://x"]'])).toThrow(
      'output.elasticsearch.hosts[0]: invalid URL "ftp://x": the scheme must be http or https',
    );
    expect(() => loadWith(['output.elasticsearch.hosts=localhost:99999'])).toThrow(
      'output.elasticsearch.hosts: invalid URL "localhost:99999"',
    );
  });

  it('never prints the password of an invalid URL', () => {
    let message = '';
    try {
      loadWith(['output.elasticsearch.hosts=["https://elastic:s3cr3t pw@bad host:9200"]']);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('output.elasticsearch.hosts[0]: invalid URL "https://***@bad host:9200"');
    expect(message).not.toContain('s3cr3t');
  });

  it('accepts host:port without a scheme', () => {
    expect(loadWith(['output.elasticsearch.hosts=localhost:9200']).output.elasticsearch?.hosts).toEqual([
      'localhost:9200',
    ]);
  });
});
