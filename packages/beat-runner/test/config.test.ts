import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  applyOverride,
  ConfigFileError,
  ConfigValidationError,
  InvalidOverrideError,
  loadConfig,
  parseOverride,
} from '../src/internal';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'beat-runner-config-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
function writeYaml(name: string, text: string): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
}

describe('loadConfig', () => {
  it('applies defaults when there is no file', () => {
    const c = loadConfig({ beatName: 'pb_echo' });
    expect(c.beat.interfaces).toMatchObject({
      device: 'any',
      snaplen: 65535,
      bpf_filter: '',
      buffer_size_mb: 64,
      loop: 1,
    });
    expect(c.beat.idle_timeout).toBe(60_000);
    expect(c.beat.protocols).toBeUndefined();
    expect(c.logging).toEqual({
      level: 'info',
      selectors: [],
      to_stderr: false,
      json: true,
      metrics: { enabled: true, period: 30_000 },
    });
    expect(c.queue.mem.events).toBeGreaterThan(0);
  });

  it('reads the beat section under the beat name, with durations in ms', () => {
    const f = writeYaml(
      'a.yml',
      'pb_echo:\n  interfaces: { device: lo }\n  idle_timeout: 2m\n  protocols:\n    - { type: echo, ports: [3031] }\nlogging: { metrics: { period: 5s } }\n',
    );
    const c = loadConfig({ beatName: 'pb_echo', file: f });
    expect(c.beat.interfaces.device).toBe('lo');
    expect(c.beat.idle_timeout).toBe(120_000);
    expect(c.beat.protocols).toEqual([{ type: 'echo', ports: [3031] }]);
    expect(c.logging.metrics.period).toBe(5000);
  });

  it('rejects an unknown key naming its full path and the key meant', () => {
    const f = writeYaml('b.yml', 'pb_echo:\n  interfaces:\n    devcie: lo\n');
    expect(() => loadConfig({ beatName: 'pb_echo', file: f })).toThrow(
      new ConfigValidationError([
        'unknown key pb_echo.interfaces.devcie (did you mean pb_echo.interfaces.device?)',
      ]),
    );
  });

  it('rejects an unknown top-level section and another beat name', () => {
    expect(() => loadConfig({ beatName: 'pb_echo', overrides: ['packetbeat.interfaces.device=lo'] })).toThrow(
      'invalid config: unknown key packetbeat',
    );
  });

  it('names the path and the problem for a wrong type', () => {
    expect(() => loadConfig({ beatName: 'pb_echo', overrides: ['pb_echo.interfaces.snaplen=big'] })).toThrow(
      /^invalid config: pb_echo\.interfaces\.snaplen: .*number/,
    );
  });

  it('explains a malformed duration', () => {
    expect(() => loadConfig({ beatName: 'pb_echo', overrides: ['pb_echo.idle_timeout=soon'] })).toThrow(
      /pb_echo\.idle_timeout: expected a duration such as '10s', '500ms'/,
    );
  });

  it('rejects two enabled outputs', () => {
    expect(() =>
      loadConfig({
        beatName: 'pb_echo',
        overrides: ['output.console.enabled=true', 'output.file.path=/tmp/x'],
      }),
    ).toThrow(/only one output may be enabled/);
  });

  it('lets -E override the file, in order, with YAML values', () => {
    const f = writeYaml('c.yml', 'pb_echo:\n  interfaces: { device: eth0, snaplen: 1500 }\n');
    const c = loadConfig({
      beatName: 'pb_echo',
      file: f,
      overrides: [
        'pb_echo.interfaces.device=lo',
        'pb_echo.protocols=[{type: echo, ports: [1, 2]}]',
        'pb_echo.interfaces.device=any',
      ],
    });
    expect(c.beat.interfaces).toMatchObject({ device: 'any', snaplen: 1500 });
    expect(c.beat.protocols).toEqual([{ type: 'echo', ports: [1, 2] }]);
  });

  it('overrides one entry of the protocol list by index', () => {
    const f = writeYaml('d.yml', 'pb_echo:\n  protocols:\n    - type: echo\n      ports: [3030]\n');
    const c = loadConfig({
      beatName: 'pb_echo',
      file: f,
      overrides: ['pb_echo.protocols.0.send_request=true'],
    });
    expect(c.beat.protocols).toEqual([{ type: 'echo', ports: [3030], send_request: true }]);
  });

  it('treats an empty file as the defaults', () => {
    const c = loadConfig({ beatName: 'pb_echo', file: writeYaml('empty.yml', '# nothing\n') });
    expect(c.beat.interfaces.device).toBe('any');
  });

  it('reports a missing file in one line', () => {
    const f = path.join(tmp, 'missing.yml');
    expect(() => loadConfig({ beatName: 'pb_echo', file: f })).toThrow(
      new ConfigFileError(`cannot read config file ${f}: no such file`),
    );
  });

  it('reports invalid YAML with its position and without the code excerpt', () => {
    const f = writeYaml('bad.yml', 'pb_echo:\n  interfaces: { device: lo\n');
    let err: unknown;
    try {
      loadConfig({ beatName: 'pb_echo', file: f });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigFileError);
    expect((err as Error).message).toMatch(
      new RegExp(`^invalid YAML in ${f} \\(line \\d+, column \\d+\\): `),
    );
    expect((err as Error).message).not.toContain('\n');
  });

  it('refuses a file that is a list', () => {
    expect(() => loadConfig({ beatName: 'pb_echo', file: writeYaml('list.yml', '- a\n- b\n') })).toThrow(
      /must hold a mapping of settings, not a list/,
    );
  });
});

describe('-E overrides', () => {
  it('parses the value as YAML', () => {
    expect(parseOverride('a.b=[1, 2]')).toEqual({ path: ['a', 'b'], value: [1, 2] });
    expect(parseOverride('a=true')).toEqual({ path: ['a'], value: true });
    expect(parseOverride('a=10s')).toEqual({ path: ['a'], value: '10s' });
    expect(parseOverride('a={x: 1}')).toEqual({ path: ['a'], value: { x: 1 } });
    expect(parseOverride('a=')).toEqual({ path: ['a'], value: '' });
    expect(parseOverride('a=x=y')).toEqual({ path: ['a'], value: 'x=y' });
  });

  it('refuses text without key=value or with an empty segment', () => {
    expect(() => parseOverride('novalue')).toThrow(
      new InvalidOverrideError('-E expects key=value, got "novalue"'),
    );
    expect(() => parseOverride('=1')).toThrow(InvalidOverrideError);
    expect(() => parseOverride('a..b=1')).toThrow(/empty segment/);
  });

  it('refuses a value that is not YAML', () => {
    expect(() => parseOverride('a=[1, 2')).toThrow(/^-E a: value is not valid YAML: /);
  });

  it('creates sections on the way and replaces leaves', () => {
    const root: Record<string, unknown> = { a: { keep: 1 } };
    applyOverride(root, parseOverride('a.b.c=2'));
    applyOverride(root, parseOverride('a.keep=3'));
    expect(root).toEqual({ a: { keep: 3, b: { c: 2 } } });
  });

  it('starts a list when the next segment is an index', () => {
    const root: Record<string, unknown> = {};
    applyOverride(root, parseOverride('p.protocols.0.type=echo'));
    applyOverride(root, parseOverride('p.protocols.1={type: other}'));
    expect(root).toEqual({ p: { protocols: [{ type: 'echo' }, { type: 'other' }] } });
  });

  it('refuses to descend into a scalar or past the end of a list', () => {
    expect(() => applyOverride({ a: 1 }, parseOverride('a.b=2'))).toThrow(/a is a number, not a section/);
    expect(() => applyOverride({ l: [] }, parseOverride('l.5.x=2'))).toThrow(
      /l is a list, 5 is not an index in it/,
    );
  });
});
