// Paths, the default config file, --strict.perms, index name placeholders and export.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { templateConfigSchema, elasticsearchOutputSchema } from '@wirebeat/publisher';
import {
  checkConfigPermissions,
  ConfigPermissionError,
  globMatches,
  IndexSettingError,
  locateConfigFile,
  maskSecrets,
  prepareIndexSettings,
  resolvePaths,
} from '../src/internal';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'beats-config-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('paths', () => {
  it('defaults config, data and logs under home, home to the working directory', () => {
    expect(resolvePaths({}, '/srv/pb')).toEqual({
      home: '/srv/pb',
      config: '/srv/pb',
      data: '/srv/pb/data',
      logs: '/srv/pb/logs',
    });
    expect(resolvePaths({ home: '/opt/pb', data: 'state', logs: '/var/log/pb' }, '/x')).toEqual({
      home: '/opt/pb',
      config: '/opt/pb',
      data: '/opt/pb/state',
      logs: '/var/log/pb',
    });
  });

  it('finds <beat>.yml in path.config, then in the working directory', () => {
    const conf = fs.mkdirSync(path.join(tmp, 'conf'), { recursive: true })!;
    const cwd = fs.mkdirSync(path.join(tmp, 'cwd'), { recursive: true })!;
    expect(locateConfigFile('pb', undefined, conf, cwd)).toBeUndefined();
    fs.writeFileSync(path.join(cwd, 'pb.yml'), '');
    expect(locateConfigFile('pb', undefined, conf, cwd)).toBe(path.join(cwd, 'pb.yml'));
    fs.writeFileSync(path.join(conf, 'pb.yml'), '');
    expect(locateConfigFile('pb', undefined, conf, cwd)).toBe(path.join(conf, 'pb.yml'));
    expect(locateConfigFile('pb', 'other.yml', conf, cwd)).toBe(path.join(conf, 'other.yml'));
  });
});

describe('--strict.perms', () => {
  it('refuses a config file writable by group or others, naming the fix', () => {
    const f = path.join(tmp, 'open.yml');
    fs.writeFileSync(f, '');
    fs.chmodSync(f, 0o664);
    expect(() => checkConfigPermissions(f)).toThrow(
      new ConfigPermissionError(
        `config file ${f} may only be writable by its owner, but its permissions are -rw-rw-r-- (fix it with chmod go-w ${f}, or run with --strict.perms=false)`,
      ),
    );
    fs.chmodSync(f, 0o644);
    expect(() => checkConfigPermissions(f)).not.toThrow();
  });

  it('refuses a file owned by someone else than the user or root', () => {
    const f = path.join(tmp, 'owned.yml');
    fs.writeFileSync(f, '', { mode: 0o600 });
    // As a user with uid 4242 the file (owned by whoever runs the tests) is someone else's, unless root owns it.
    const owner = fs.statSync(f).uid;
    if (owner === 0) expect(() => checkConfigPermissions(f, 4242)).not.toThrow();
    else
      expect(() => checkConfigPermissions(f, owner + 1)).toThrow(
        /must be owned by the user running the beat/,
      );
    fs.chownSync(f, 4243, 4243);
    expect(() => checkConfigPermissions(f, 4242)).toThrow(
      /owned by the user running the beat \(uid 4242\) or by root, but its owner is uid 4243/,
    );
  });
});

describe('output.elasticsearch.index', () => {
  const v = { beatType: 'pb_echo', beatVersion: '0.1.0', agentName: 'edge-1' };
  const es = (index: string) => elasticsearchOutputSchema.parse({ index });
  const tpl = (t: object = {}) => templateConfigSchema.parse(t);

  it('replaces %{[agent.version]}, %{[beat.name]}, %{[agent.name]} and keeps the date for the output', () => {
    const r = prepareIndexSettings(es('pb_echo-%{[agent.version]}-%{+yyyy.MM.dd}'), tpl(), v);
    expect(r.es.index).toBe('pb_echo-0.1.0-%{+yyyy.MM.dd}');
    const named = prepareIndexSettings(
      es('net-%{[beat.name]}-%{[agent.name]}-%{+yyyy.MM.dd}'),
      tpl({ name: 'net-%{[agent.version]}', pattern: 'net-*' }),
      v,
    );
    expect(named.es.index).toBe('net-edge-1-edge-1-%{+yyyy.MM.dd}');
    expect(named.template.name).toBe('net-0.1.0');
  });

  it('refuses an index the template pattern does not cover, and an unknown placeholder', () => {
    expect(() => prepareIndexSettings(es('traffic-%{+yyyy.MM.dd}'), tpl(), v)).toThrow(
      new IndexSettingError(
        'output.elasticsearch.index "traffic-%{+yyyy.MM.dd}" gives indices like traffic-2026.01.01 that setup.template.pattern "pb_echo-0.1.0-*" does not cover: set setup.template.name and setup.template.pattern to match it',
      ),
    );
    expect(() =>
      prepareIndexSettings(es('traffic-%{+yyyy.MM.dd}'), tpl({ enabled: false }), v),
    ).not.toThrow();
    expect(() => prepareIndexSettings(es('x-%{[fields.env]}'), tpl(), v)).toThrow(
      /output\.elasticsearch\.index "x-%\{\[fields\.env\]\}": %\{\[fields\.env\]\} is not known at start/,
    );
  });

  it('matches index patterns as globs', () => {
    expect(globMatches('pb_echo-0.1.0-*', 'pb_echo-0.1.0-2026.01.01')).toBe(true);
    expect(globMatches('pb_echo-0.1.0-*', 'pb_echoX0.1.0-2026.01.01')).toBe(false);
  });
});

describe('export config', () => {
  it('masks passwords, api keys and credentials in URLs', () => {
    expect(
      maskSecrets({
        output: {
          elasticsearch: {
            username: 'elastic',
            password: 's3cret',
            api_key: 'id:key',
            hosts: ['https://u:p@es:9200'],
          },
        },
      }),
    ).toEqual({
      output: {
        elasticsearch: {
          username: 'elastic',
          password: '[redacted]',
          api_key: '[redacted]',
          hosts: ['https://u:[redacted]@es:9200'],
        },
      },
    });
  });
});
