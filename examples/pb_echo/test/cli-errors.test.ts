// Bad input on the command line: each case gives ONE plain line on stderr naming the problem, a
// non-zero exit code, nothing on stdout, and never a stack trace.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { events, PCAPS, plainStderrLines, ROOT, runPbEcho } from './pb-echo-cli';

jest.setTimeout(30_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-echo-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs pb_echo and checks the one-line failure contract; returns that line. */
async function failsWith(args: string[], code: number, line: RegExp): Promise<string> {
  const r = await runPbEcho(args);
  const plain = plainStderrLines(r.stderr);
  expect({ code: r.code, plain }).toEqual({ code, plain: [expect.stringMatching(line)] });
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack frame anywhere
  return plain[0];
}

describe('pb_echo command line errors', () => {
  it('missing capture file', async () => {
    await failsWith(
      ['-I', path.join(tmp, 'nope.pcap'), '-t'],
      1,
      /^pb_echo: .*nope\.pcap: cannot read capture: ENOENT/,
    );
  });

  it('a file that is not a capture', async () => {
    await failsWith(
      ['-I', path.join(ROOT, 'package.json'), '-t'],
      1,
      /^pb_echo: .*package\.json: not a pcap or pcapng capture \(first bytes: 7b /,
    );
  });

  it('an empty file', async () => {
    const empty = path.join(tmp, 'empty.pcap');
    fs.writeFileSync(empty, '');
    await failsWith(['-I', empty, '-t'], 1, /^pb_echo: .*empty\.pcap: not a pcap or pcapng capture/);
  });

  it('a truncated capture: its complete part is published, the truncation reported, exit 3', async () => {
    const r = await runPbEcho(['-I', path.join(PCAPS, 'echo-truncated.pcap'), '-t']);
    expect(r.code).toBe(3);
    expect(plainStderrLines(r.stderr)).toEqual([
      expect.stringMatching(
        /^pb_echo: .*echo-truncated\.pcap: capture truncated at byte \d+ after \d+ records/,
      ),
    ]);
    const full = await runPbEcho(['-I', path.join(PCAPS, 'echo.pcap'), '-t']);
    const partial = events(r.stdout);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(events(full.stdout).length);
  });

  it('invalid YAML', async () => {
    const f = path.join(tmp, 'bad.yml');
    fs.writeFileSync(f, 'pb_echo:\n  interfaces: [oops\n');
    await failsWith(
      ['-c', f, '-I', path.join(PCAPS, 'echo.pcap'), '-t'],
      1,
      /^pb_echo: invalid YAML in .*bad\.yml \(line \d+, column \d+\): /,
    );
  });

  it('a missing config file', async () => {
    await failsWith(
      ['-c', path.join(tmp, 'none.yml'), '-t'],
      1,
      /^pb_echo: cannot read config file .*none\.yml: no such file$/,
    );
  });

  it('an unknown key, named with its path and the key meant', async () => {
    const f = path.join(tmp, 'unknown.yml');
    fs.writeFileSync(f, 'pb_echo:\n  interfaces:\n    device: lo\n    snapln: 100\n');
    await failsWith(
      ['-c', f, '-I', path.join(PCAPS, 'echo.pcap'), '-t'],
      1,
      /^pb_echo: invalid config: unknown key pb_echo\.interfaces\.snapln \(did you mean pb_echo\.interfaces\.snaplen\?\)$/,
    );
  });

  it('an unknown protocol option, named with its path', async () => {
    await failsWith(
      ['-E', 'pb_echo.protocols=[{type: echo, colour: red}]', '-I', path.join(PCAPS, 'echo.pcap')],
      1,
      /^pb_echo: invalid config: unknown key pb_echo\.protocols\[0\]\.colour$/,
    );
  });

  it('a protocol option of the wrong type', async () => {
    await failsWith(
      ['-E', 'pb_echo.protocols.0={type: echo, ports: [70000]}', 'test', 'config'],
      1,
      /^pb_echo: invalid config: pb_echo\.protocols\[0\]\.ports\[0\]: /,
    );
  });

  it('two protocols on one port', async () => {
    const pkg = path.join(
      ROOT,
      'packages/beat-runner/test/fixtures/protocol-packages/wirebeat-protocol-linecount',
    );
    await failsWith(
      [
        '-E',
        `pb_echo.protocols=[{type: echo}, {package: '${pkg}'}]`,
        '-I',
        path.join(PCAPS, 'echo.pcap'),
        '-t',
      ],
      1,
      /^pb_echo: port 3030 is configured for both protocol echo and protocol linecount$/,
    );
  });

  it('an unknown protocol type', async () => {
    await failsWith(
      ['-E', 'pb_echo.protocols=[{type: htttp}]', 'test', 'config'],
      1,
      /^pb_echo: pb_echo\.protocols\[0\]: unknown protocol type "htttp" \(built in: echo;/,
    );
  });

  it('only protocols Packetbeat has but this beat lacks: skipped, and then nothing is left to run', async () => {
    await failsWith(
      ['-E', 'pb_echo.protocols=[{type: http}, {type: dns}]', 'test', 'config'],
      1,
      /^pb_echo: no protocol left to run: this beat is not built with http, dns \(built in: echo\)$/,
    );
  });

  it('an -E key that would reach Object.prototype is refused, not applied', async () => {
    for (const key of ['__proto__.x', 'constructor.prototype.x']) {
      await failsWith(
        ['-E', `${key}=1`, 'test', 'config'],
        1,
        new RegExp(
          `^pb_echo: -E ${key.replace(/\./g, '\\.')}: "(__proto__|constructor)" is not allowed as a config key$`,
        ),
      );
    }
  });

  it('an unset ${VAR} without default names the variable and the setting', async () => {
    const env = { ...process.env };
    delete env.PB_ECHO_TEST_PASSWORD;
    const r = await runPbEcho(
      [
        '-E',
        'output.elasticsearch.username=elastic',
        '-E',
        'output.elasticsearch.password=${PB_ECHO_TEST_PASSWORD}',
        'test',
        'config',
      ],
      { env },
    );
    expect({ code: r.code, plain: plainStderrLines(r.stderr) }).toEqual({
      code: 1,
      plain: [
        'pb_echo: invalid config: output.elasticsearch.password: environment variable PB_ECHO_TEST_PASSWORD is not set (write ${PB_ECHO_TEST_PASSWORD:default} to give a default)',
      ],
    });
  });

  it('${VAR} in the config file is expanded from the environment', async () => {
    const f = path.join(tmp, 'env.yml');
    fs.writeFileSync(
      f,
      'pb_echo:\n  protocols:\n    - type: echo\n      ports:\n        - ${PB_ECHO_TEST_PORT:3030}\n',
    );
    const r = await runPbEcho(['-c', f, 'test', 'config'], {
      env: { ...process.env, PB_ECHO_TEST_PORT: '4040' },
    });
    expect({ code: r.code, stdout: r.stdout }).toEqual({
      code: 0,
      stdout: 'Config OK (protocols: echo on 4040)\n',
    });
  });

  it('an invalid Elasticsearch URL names its setting', async () => {
    await failsWith(
      ['-E', 'output.elasticsearch.hosts=["http://127.0.0.1:9200", "http://bad host"]', 'test', 'output'],
      1,
      /^pb_echo: invalid config: output\.elasticsearch\.hosts\[1\]: invalid URL "http:\/\/bad host"$/,
    );
  });

  it('a malformed -E', async () => {
    await failsWith(
      ['-E', 'pb_echo.interfaces.device', 'test', 'config'],
      1,
      /^pb_echo: -E expects key=value, got "pb_echo\.interfaces\.device"$/,
    );
  });

  it('an unknown option and a bad loop count are usage errors (exit 2)', async () => {
    await failsWith(['--frobnicate'], 2, /^pb_echo: unknown option '--frobnicate' \(see pb_echo --help\)$/);
    await failsWith(
      ['-I', path.join(PCAPS, 'echo.pcap'), '-l', 'twice'],
      2,
      /^pb_echo: .*-l expects a number of loops \(0 for forever\), got "twice"/,
    );
  });

  it('file replay options with live capture, and -I with -i, are usage errors', async () => {
    await failsWith(['-i', 'lo', '-t'], 2, /^pb_echo: -t and -l apply to file replay \(-I FILE\)$/);
    await failsWith(
      ['-i', 'lo', '-I', path.join(PCAPS, 'echo.pcap')],
      2,
      /^pb_echo: -I and -i exclude each other/,
    );
  });

  it('an unknown capture device', async () => {
    await failsWith(
      ['-i', 'nosuchdev0'],
      1,
      /^pb_echo: no capture device named nosuchdev0 \(available: .*\blo\b/,
    );
  });

  it('an invalid BPF filter', async () => {
    await failsWith(
      ['-i', 'lo', '-E', 'pb_echo.interfaces.bpf_filter=tcp port ((('],
      1,
      /^pb_echo: cannot capture on lo with filter "tcp port \(\(\(": can't parse filter expression: syntax error$/,
    );
  });

  it('live capture when cap cannot be loaded, while file replay still works', async () => {
    const noCap = path.join(tmp, 'no-cap.js');
    // Makes require('cap') fail the way it does when the optional native build failed.
    fs.writeFileSync(
      noCap,
      "const M = require('module'); const load = M._load; M._load = function (r, ...a) { if (r === 'cap') throw new Error(\"Cannot find module 'cap'\"); return load.call(this, r, ...a); };\n",
    );
    const r = await runPbEcho(['-i', 'lo'], { nodeArgs: ['-r', noCap] });
    expect(r.code).toBe(1);
    expect(plainStderrLines(r.stderr)).toEqual([
      "pb_echo: live capture needs the optional package 'cap' (libpcap binding), which could not be loaded: Cannot find module 'cap'; reading files with -I still works",
    ]);
    const replay = await runPbEcho(['-I', path.join(PCAPS, 'echo.pcap'), '-t'], { nodeArgs: ['-r', noCap] });
    expect(replay.code).toBe(0);
    expect(events(replay.stdout).length).toBeGreaterThan(0);
  });
});

describe('pb_echo subcommands', () => {
  it('the bin launcher is executable and runs the built beat (what `npx pb_echo` starts)', async () => {
    const bin = path.join(ROOT, 'examples/pb_echo/bin/pb_echo.js');
    expect(fs.statSync(bin).mode & 0o111).toBe(0o111);
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile(bin, ['version'], (err, stdout) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout }),
      );
    });
    expect(r).toEqual({ code: 0, out: expect.stringMatching(/^pb_echo version /) });
  });

  it('version', async () => {
    const r = await runPbEcho(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^pb_echo version \d+\.\d+\.\d+ \(beat-runner \d+\.\d+\.\d+, node v\d+/);
  });

  it('test config reports the protocols', async () => {
    const r = await runPbEcho(['test', 'config', '-c', path.join(ROOT, 'examples/pb_echo/pb_echo.yml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Config OK (protocols: echo on 3030)\n');
  });

  it('devices lists the loopback device, numbered from 0 as Packetbeat does', async () => {
    const r = await runPbEcho(['devices']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    lines.forEach((l, i) => expect(l.startsWith(`${i}: `)).toBe(true));
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual(expect.arrayContaining(['lo', 'any']));
  });

  it('--help goes to stdout and exits 0', async () => {
    const r = await runPbEcho(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: pb_echo/);
    expect(r.stdout).toMatch(/test/);
  });

  it('test output with the default console output', async () => {
    const r = await runPbEcho(['test', 'output']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^console: OK/);
  });

  it('setup without Elasticsearch explains what it needs', async () => {
    const r = await runPbEcho(['setup']);
    expect(r.code).toBe(1);
    expect(plainStderrLines(r.stderr)).toEqual([
      'pb_echo: setup needs output.elasticsearch to be configured and enabled',
    ]);
  });
});
