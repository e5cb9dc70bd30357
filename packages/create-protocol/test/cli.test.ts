// The command line refuses bad names, taken names and existing folders with one clear line and a
// non-zero exit, and writes nothing. (Successful generation is covered by generated.test.ts.)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, fingerprint, requireBuiltCli, runCli, writeTree } from './helpers';

let tmp: string;

beforeAll(() => requireBuiltCli());
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'create-protocol-cli-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A skeleton of the wirebeat repository: enough for mode detection and the taken-name checks. */
function fakeMonorepo(): string {
  writeTree(tmp, {
    'package.json': JSON.stringify({ name: 'wirebeat', private: true, workspaces: ['packages/*'] }),
    'tsconfig.json': '{\n  "files": [],\n  "references": [{ "path": "packages/applayer" }]\n}\n',
    'packages/applayer/package.json': JSON.stringify({ name: '@wirebeat/applayer' }),
    'packages/echo-impl/package.json': JSON.stringify({ name: '@wirebeat/protocol-echo' }),
    'packages/protocol-ping/README.md': 'someone was here\n',
  });
  return tmp;
}

/** A beat project like examples/pb_echo. */
function fakeBeat(): string {
  writeTree(tmp, {
    'package.json': JSON.stringify({
      name: 'mybeat',
      bin: { mybeat: 'dist/main.js' },
      dependencies: { '@wirebeat/beat-runner': '^0.1.0', '@wirebeat/protocol-echo': '^0.1.0' },
    }),
    'src/main.ts':
      "import { runBeat } from '@wirebeat/beat-runner';\nimport { echoProtocol } from '@wirebeat/protocol-echo';\nvoid runBeat({ name: 'mybeat', version: '1', protocols: [echoProtocol] });\n",
    'src/protocols/ping/index.ts': 'export {};\n',
  });
  return tmp;
}

/** Runs the CLI and checks the refusal: exit code, one line on stderr, nothing on stdout, nothing written. */
function expectRefusal(argv: string[], cwd: string, message: RegExp, code = 1): void {
  const before = fingerprint(tmp);
  const result = runCli(argv, cwd);
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^create-protocol: [^\n]+\n$/);
  expect(result.stderr).toMatch(message);
  expect(fingerprint(tmp)).toEqual(before);
}

describe('create-protocol refuses', () => {
  it('names that are not valid package names or identifiers', () => {
    expectRefusal(['Bad-Name', '--yes'], tmp, /invalid protocol name "Bad-Name": use a lowercase letter/);
    expectRefusal(['--name', 'my-proto', '--yes'], tmp, /invalid protocol name "my-proto"/);
    expectRefusal(['9lives', '--yes'], tmp, /invalid protocol name "9lives"/);
  });

  it('reserved names', () => {
    expectRefusal(['class', '--yes'], tmp, /"class": it is a reserved word in JavaScript/);
    expectRefusal(['network', '--yes'], tmp, /"network": it is reserved/);
  });

  it('a name already taken in the repository', () => {
    fakeMonorepo();
    expectRefusal(
      ['echo', '--yes'],
      tmp,
      /protocol name "echo" is already taken: packages\/echo-impl is @wirebeat\/protocol-echo/,
    );
  });

  it('a name already taken in a beat', () => {
    fakeBeat();
    expectRefusal(
      ['echo', '--yes'],
      tmp,
      /"echo" is already taken: mybeat depends on @wirebeat\/protocol-echo/,
    );
  });

  it('an existing target folder, in each mode', () => {
    fakeMonorepo();
    expectRefusal(['ping', '--yes'], tmp, /target folder already exists: .*packages\/protocol-ping$/m);
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp);
    fakeBeat();
    expectRefusal(
      ['ping', '--yes'],
      path.join(tmp, 'src'),
      /target folder already exists: .*src\/protocols\/ping$/m,
    );
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(path.join(tmp, 'wirebeat-protocol-ping'), { recursive: true });
    expectRefusal(
      ['ping', '--yes', '--dir', tmp],
      os.tmpdir(),
      /target folder already exists: .*wirebeat-protocol-ping$/m,
    );
  });

  it('bad flags and a missing name without a terminal (usage errors exit 2)', () => {
    expectRefusal(['--yes'], tmp, /protocol name missing/, 2);
    expectRefusal(['ping', '--bogus'], tmp, /Unknown option '--bogus'/, 2);
    expectRefusal(['ping', '--port', 'http', '--yes'], tmp, /invalid port "http"/);
    expectRefusal(['ping', '--framing', 'xml', '--yes'], tmp, /invalid framing "xml"/);
  });
});

describe('create-protocol --help', () => {
  it('prints the usage and exits 0 without writing', () => {
    const result = runCli(['--help'], tmp);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: create-protocol [name] [options]');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});

describe('create-protocol in a terminal', () => {
  it('asks for each answer, repeats a question after a bad answer, then generates', async () => {
    // `script` gives the CLI a real pseudo-terminal; answers are typed when each question shows.
    const answers: Array<[string, string]> = [
      ['Protocol name (ping): ', 'Bad Name'],
      ['Protocol name (ping): ', 'tty_proto'],
      ['Default server port (7357): ', '5000'],
      ['One-line description (Tty_proto protocol analyzer for wirebeat.): ', ''],
      ['Message framing [newline, length, custom] (newline): ', 'length'],
      ['Length field size in bytes [1, 2, 3, 4] (4): ', '2'],
      ['Length field offset in the header (0): ', ''],
      ['Header size in bytes, length field included (2): ', ''],
      ['Byte order of the length [big, little] (big): ', 'little'],
      ['Does the length count the header too? [no, yes] (no): ', ''],
      ['Transport [tcp, udp, both] (tcp): ', ''],
      ['Pairing of responses [fifo (in order), key (by an id)] (fifo): ', ''],
    ];
    const child = spawn('script', ['-qfec', `${process.execPath} ${CLI}`, '/dev/null'], { cwd: tmp });
    let screen = '';
    let answered = 0;
    const seen = (prompt: string) => screen.split(prompt).length - 1;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString().replace(/\r/g, '');
      while (answered < answers.length) {
        const [prompt, answer] = answers[answered];
        const needed = answers.slice(0, answered + 1).filter(([p]) => p === prompt).length;
        if (seen(prompt) < needed) break;
        child.stdin.write(`${answer}\r`);
        answered++;
      }
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`no exit after 30 s; the terminal showed:\n${screen}`));
      }, 30_000);
      child.on('exit', (status) => {
        clearTimeout(timer);
        resolve(status);
      });
    });
    expect({ code, answered }).toEqual({ code: 0, answered: answers.length });
    expect(screen).toContain('invalid protocol name "Bad Name"');
    expect(screen).toContain('Created wirebeat-protocol-tty_proto');
    const pkg = path.join(tmp, 'wirebeat-protocol-tty_proto');
    expect(fs.readFileSync(path.join(pkg, 'src', 'config.ts'), 'utf8')).toContain('DEFAULT_PORTS = [5000]');
    expect(fs.readFileSync(path.join(pkg, 'src', 'parser.ts'), 'utf8')).toContain(
      "headerSize: 2,\n  lengthOffset: 0,\n  lengthSize: 2,\n  byteOrder: 'little',\n  lengthIncludesHeader: false,",
    );
  });
});
