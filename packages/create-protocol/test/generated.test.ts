// Generates protocols in the monorepo and beat modes into a copy of the repository and runs what
// the generated code comes with: its build, lint and tests, and a replay of its sample capture.
// Every framing x transport x pairing (18 packages), a few length-prefixed framings, `ping` at the
// root and `ping2` inside examples/pb_echo are generated side by side, then built with one
// `tsc -b`, linted with one eslint and one prettier run and tested with one jest run: start-ups,
// not packages, are what such a suite spends its time on.
// The standalone mode, installed from a registry and published, is release-rehearsal.test.ts.
// Slow (npm, tsc, jest and eslint run). Needs `npx tsc -b` at the repository root first.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, copyRepository, events, fingerprint, requireBuiltRepository, run } from './helpers';

jest.setTimeout(900_000);

const repoRoot = path.resolve(__dirname, '../../..');
const SAMPLE = path.join('test', 'captures', 'sample.pcap');
let tmp: string;

beforeAll(() => {
  requireBuiltRepository();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'create-protocol-generated-'));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const FRAMINGS = ['newline', 'length', 'custom'] as const;
const TRANSPORTS = ['tcp', 'udp', 'both'] as const;
const PAIRINGS = ['fifo', 'key'] as const;

/** One generated package: its answers and flags. */
interface Generated {
  name: string;
  framing: (typeof FRAMINGS)[number];
  transport: (typeof TRANSPORTS)[number];
  pairing: (typeof PAIRINGS)[number];
  /** Length-prefixed framing flags, and the FRAMING they must write. */
  lengthFlags?: string[];
  framingDeclaration?: string;
}

/** Every framing x transport x pairing. */
const COMBOS: Generated[] = FRAMINGS.flatMap((framing) =>
  TRANSPORTS.flatMap((transport) =>
    PAIRINGS.map((pairing) => ({
      name: `c_${framing}_${transport}_${pairing}`,
      framing,
      transport,
      pairing,
    })),
  ),
);

/** Length-prefixed framings other than the default, each on another transport. */
const LENGTH_VARIANTS: Generated[] = [
  {
    name: 'v_le16_at2_whole',
    framing: 'length',
    transport: 'both',
    pairing: 'key',
    lengthFlags: [
      '--length-size',
      '2',
      '--length-offset',
      '2',
      '--header-size',
      '6',
      '--byte-order',
      'little',
    ],
    framingDeclaration:
      "headerSize: 6,\n  lengthOffset: 2,\n  lengthSize: 2,\n  byteOrder: 'little',\n  lengthIncludesHeader: true,",
  },
  {
    name: 'v_be24_at1',
    framing: 'length',
    transport: 'udp',
    pairing: 'fifo',
    lengthFlags: ['--length-size', '3', '--length-offset', '1', '--header-size', '5'],
    framingDeclaration:
      "headerSize: 5,\n  lengthOffset: 1,\n  lengthSize: 3,\n  byteOrder: 'big',\n  lengthIncludesHeader: false,",
  },
  {
    name: 'v_u8',
    framing: 'length',
    transport: 'tcp',
    pairing: 'fifo',
    lengthFlags: ['--length-size', '1'],
    framingDeclaration:
      "headerSize: 1,\n  lengthOffset: 0,\n  lengthSize: 1,\n  byteOrder: 'big',\n  lengthIncludesHeader: false,",
  },
];
// The first variant's length counts the whole message.
LENGTH_VARIANTS[0].lengthFlags!.push('--length-includes-header');

/**
 * Runs the built generator (the library the CLI calls) on each argv in turn, in one Node process:
 * one start-up and one load of prettier for all of them, where a CLI run each pays both every time.
 */
function generateAll(cwd: string, argvs: string[][]): void {
  const script = `
    const { runCreateProtocol } = require(${JSON.stringify(path.join(path.dirname(CLI), 'run.js'))});
    const io = { cwd: process.cwd(), input: process.stdin, output: process.stdout, interactive: false };
    (async () => {
      for (const argv of ${JSON.stringify(argvs)}) await runCreateProtocol(argv, io);
    })().catch((err) => {
      process.stderr.write(err.message + '\\n');
      process.exitCode = 1;
    });`;
  run(process.execPath, ['-e', script], cwd);
}

/** run() without blocking, so that several single-threaded tools can run side by side. */
function runAsync(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, CI: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`\`${cmd} ${args.join(' ')}\` in ${cwd} exited ${code}\n${stdout}\n${stderr}`));
    });
  });
}

/** One jest run over the paths: its report, whether suites failed or not (the tests below say which). */
function jestReport(cwd: string, paths: string[]): JestReport {
  const result = spawnSync('npx', ['jest', '--ci', '--json', '--maxWorkers=2', ...paths], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  try {
    return JSON.parse(result.stdout) as JestReport;
  } catch {
    throw new Error(`jest in ${cwd} exited ${result.status} without a report\n${result.stderr}`);
  }
}

/** What one jest run over every generated package reported. */
interface JestReport {
  success: boolean;
  numTotalTests: number;
  testResults: Array<{ name: string; status: string; message: string }>;
}

describe('generated protocols build, lint and pass their tests', () => {
  let mono: string;
  let beat: string;
  let report: JestReport;
  const packages = [...COMBOS, ...LENGTH_VARIANTS].map((g) => ({ ...g, dir: `packages/protocol-${g.name}` }));
  const beatFiles = [
    'examples/pb_echo/src/protocols/ping2',
    'examples/pb_echo/test/protocols/ping2',
    'examples/pb_echo/src/main.ts',
  ];

  /** The suites of `dir` in the jest report. */
  const suitesOf = (dir: string) =>
    report.testResults.filter((r) => r.name.includes(`${path.sep}${dir}${path.sep}`));

  beforeAll(async () => {
    mono = path.join(tmp, 'wirebeat');
    fs.mkdirSync(mono);
    copyRepository(repoRoot, mono);
    beat = path.join(mono, 'examples', 'pb_echo');
    // Generated one after the other (each edits the root tsconfig.json), then checked all at once.
    run('npx', ['create-protocol', 'ping', '--port', '4040', '--yes'], mono);
    run(process.execPath, [CLI, 'ping2', '--port', '4041', '--framing', 'length', '--yes'], beat);
    generateAll(
      mono,
      packages.map((g, i) => [
        ...[g.name, '--port', String(5050 + i), '--framing', g.framing, '--transport', g.transport],
        ...['--pairing', g.pairing, ...(g.lengthFlags ?? []), '--yes'],
      ]),
    );
    // What `npm install` does for a new workspace package.
    for (const pkg of ['ping', ...packages.map((g) => g.name)]) {
      const dir = path.join(mono, 'packages', `protocol-${pkg}`);
      fs.symlinkSync(dir, path.join(mono, 'node_modules', '@wirebeat', `protocol-${pkg}`));
    }
    const dirs = ['packages/protocol-ping', ...packages.map((g) => g.dir)];
    // The root lint type-checks tests with tsconfig.tests.json; the same for the new packages only.
    const testsConfig = { extends: './tsconfig.tests.json', include: dirs.map((d) => `${d}/**/*.ts`) };
    fs.writeFileSync(path.join(mono, 'tsconfig.generated-tests.json'), JSON.stringify(testsConfig));
    // Each of these is one single-threaded process: side by side they use both cores.
    const prettierFiles = [...dirs, ...beatFiles, 'tsconfig.json', 'examples/pb_echo/tsconfig.json'];
    await Promise.all([
      runAsync('npx', ['tsc', '-b', ...dirs, 'examples/pb_echo'], mono),
      runAsync('npx', ['eslint', ...dirs, ...beatFiles], mono),
      runAsync('npx', ['prettier', '--check', ...prettierFiles, 'examples/pb_echo/package.json'], mono),
      runAsync('npx', ['tsc', '-p', 'tsconfig.generated-tests.json'], mono),
    ]);
    const testPaths = [...dirs.map((d) => `${d}/`), 'examples/pb_echo/test/protocols/ping2/'];
    report = jestReport(mono, testPaths);
  });

  it("jest passed every generated package's suites", () => {
    const failed = report.testResults.filter((r) => r.status !== 'passed');
    expect(failed.map((r) => `${r.name}: ${r.message}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('monorepo mode: `npx create-protocol ping --port 4040 --yes` at the root', () => {
    const pkgDir = path.join(mono, 'packages', 'protocol-ping');
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: '@wirebeat/protocol-ping',
      description: 'Ping protocol analyzer for wirebeat.',
    });
    expect(pkg.private).toBeUndefined();
    const tsconfig = JSON.parse(fs.readFileSync(path.join(mono, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.references).toContainEqual({ path: 'packages/protocol-ping' });
    expect(fs.readFileSync(path.join(pkgDir, 'src', 'config.ts'), 'utf8')).toContain(
      'DEFAULT_PORTS = [4040]',
    );
    // The root build (every package) includes the new one.
    expect(run('npx', ['tsc', '-b', '--dry', '--verbose'], mono)).toContain(
      '* packages/protocol-ping/tsconfig.json',
    );
    expect(suitesOf('protocol-ping').map((r) => path.basename(r.name))).toEqual(
      expect.arrayContaining([
        'parser.test.ts',
        'replay.test.ts',
        'split.test.ts',
        'gap.test.ts',
        'udp.test.ts',
      ]),
    );
    const replayed = events(run('npm', ['run', '--silent', 'replay', '--', SAMPLE, '7357'], pkgDir));
    expect(replayed).toHaveLength(6);
    expect(replayed.every((event) => event.type === 'ping')).toBe(true);
  });

  it('beat mode: inside examples/pb_echo, registered in the beat and run by it', () => {
    const main = fs.readFileSync(path.join(beat, 'src', 'main.ts'), 'utf8');
    expect(main).toContain("import { ping2Protocol } from './protocols/ping2';");
    expect(main).toMatch(/protocols: \[echoProtocol, ping2Protocol\]/);
    const pkg = JSON.parse(fs.readFileSync(path.join(beat, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toMatchObject({
      '@wirebeat/applayer': '^0.1.0',
      '@wirebeat/streambuf': '^0.1.0',
    });
    expect(pkg.devDependencies).toMatchObject({ '@wirebeat/testing': '^0.1.0' });
    expect(suitesOf(path.join('protocols', 'ping2')).length).toBeGreaterThanOrEqual(5);
    const published = events(
      run(
        process.execPath,
        [
          'dist/main.js',
          '-I',
          'test/protocols/ping2/captures/sample.pcap',
          '-t',
          '-E',
          'pb_echo.protocols=[{type: ping2, ports: [7357]}]',
        ],
        beat,
      ),
    );
    expect(published).toHaveLength(6);
    expect(published.filter((event) => event.type === 'ping2' && event.status === 'OK')).toHaveLength(5);
  });

  it.each(packages.map((g) => [g.name, g] as const))(
    '%s: its own suites ran and passed, with its answers',
    (_, g) => {
      const names = suitesOf(g.dir.split('/')[1]).map((r) => path.basename(r.name));
      // UDP, and the stream ones unless it is UDP only.
      expect(names).toEqual(expect.arrayContaining(['udp.test.ts', 'parser.test.ts', 'config.test.ts']));
      expect(names.includes('split.test.ts')).toBe(g.transport !== 'udp');
      expect(names.includes('replay.test.ts')).toBe(g.transport !== 'udp');
      const src = path.join(mono, g.dir, 'src');
      const parser = fs.readFileSync(path.join(src, 'parser.ts'), 'utf8');
      expect(parser).toContain(
        { newline: 'LineParser', length: 'LengthPrefixedParser', custom: 'HEADER_BYTES' }[g.framing],
      );
      if (g.framing === 'length')
        expect(parser).toContain(
          g.framingDeclaration ??
            "headerSize: 4,\n  lengthOffset: 0,\n  lengthSize: 4,\n  byteOrder: 'big',\n  lengthIncludesHeader: false,",
        );
      const definition = fs.readFileSync(path.join(src, `${g.name}.ts`), 'utf8');
      expect(definition).toContain(
        { tcp: "transports: ['tcp']", udp: "transports: ['udp']", both: "transports: ['tcp', 'udp']" }[
          g.transport
        ],
      );
      expect(definition.includes('pairBy: pairingKey')).toBe(g.pairing === 'key');
    },
  );

  it('a 2-byte little-endian length at offset 2 counting the header frames real bytes', () => {
    // Built package and harness of the copy; the bytes are framed here, by hand.
    const modules = path.join(mono, 'node_modules', '@wirebeat');
    /* eslint-disable @typescript-eslint/no-require-imports -- the copy's build, loaded at run time */
    const { v_le16_at2_wholeProtocol: protocol } = require(path.join(modules, 'protocol-v_le16_at2_whole'));
    const testing = require(path.join(modules, 'testing'));
    /* eslint-enable @typescript-eslint/no-require-imports */
    const frame = (body: string) => {
      const header = Buffer.from([0xab, 0xcd, 0, 0, 0xef, 0x01]);
      header.writeUInt16LE(6 + Buffer.byteLength(body), 2);
      return Buffer.concat([header, Buffer.from(body)]);
    };
    const frames = testing.buildDatagrams({
      server: { port: 5050 },
      datagrams: ['one', 'two'].flatMap((body) => [
        { from: 'client', data: frame(body) },
        { from: 'server', data: frame(body) },
      ]),
    });
    const config = { ports: [5050], send_request: true, send_response: true };
    const result = testing.replayFrames(frames, [{ module: protocol, config }]);
    const docs = result.events.map((e: { fields: Record<string, unknown> }) => e.fields);
    expect(docs.map((d: Record<string, unknown>) => [d.status, d.request, d.response])).toEqual([
      ['OK', 'one', 'one'],
      ['OK', 'two', 'two'],
    ]);
    expect(docs[0]).toMatchObject({ client: { bytes: 9 }, server: { bytes: 9 } });
  });

  it('the published generator carries the template and generates the same files', () => {
    const packed = path.join(tmp, 'packed');
    fs.mkdirSync(packed);
    const packageDir = path.join(repoRoot, 'packages', 'create-protocol');
    try {
      run('npm', ['pack', '--silent', '--pack-destination', packed], packageDir);
      // postpack removed the copy: the template's tests live (and run) in protocol-template only.
      expect(fs.existsSync(path.join(packageDir, 'template'))).toBe(false);
    } finally {
      // prepack's copy is only for the tarball; the repository generates from protocol-template.
      fs.rmSync(path.join(packageDir, 'template'), { recursive: true, force: true });
    }
    const tarball = fs.readdirSync(packed).find((file) => file.endsWith('.tgz'))!;
    run('tar', ['-xzf', tarball], packed);
    const unpacked = path.join(packed, 'package');
    for (const file of [
      'dist/cli.js',
      'template/src/index.ts',
      'template/src/parser-custom.ts',
      'template/test/captures/sample-length.pcap',
    ]) {
      expect(fs.existsSync(path.join(unpacked, file))).toBe(true);
    }
    const fromPacked = path.join(tmp, 'from-packed');
    const fromRepo = path.join(tmp, 'from-repo');
    fs.mkdirSync(fromPacked);
    fs.mkdirSync(fromRepo);
    // The unpacked package has no node_modules of its own: its dependencies come from the root's.
    run(
      process.execPath,
      [path.join(unpacked, 'dist', 'cli.js'), 'pong', '--yes', '--dir', fromPacked],
      tmp,
      {
        NODE_PATH: path.join(repoRoot, 'node_modules'),
      },
    );
    run(process.execPath, [CLI, 'pong', '--yes', '--dir', fromRepo], tmp);
    const files = fingerprint(fromRepo);
    expect(Object.keys(files)).toContain('wirebeat-protocol-pong/src/pong.ts');
    expect(fingerprint(fromPacked)).toEqual(files);
  });
});
