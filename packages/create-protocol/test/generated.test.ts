// Generates a protocol in the monorepo and beat modes into a copy of the repository and runs what
// the generated code comes with: its build, lint and tests, and a replay of its sample capture.
// The standalone mode, installed from a registry and published, is release-rehearsal.test.ts.
// Slow (npm, tsc, jest and eslint run many times). Needs `npx tsc -b` at the repository root first.
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

describe('generated protocols build, lint and pass their tests', () => {
  let mono: string;

  beforeAll(() => {
    mono = path.join(tmp, 'wirebeat');
    fs.mkdirSync(mono);
    copyRepository(repoRoot, mono);
  });

  it('monorepo mode: `npx create-protocol ping --port 4040 --yes` at the root', () => {
    const out = run('npx', ['create-protocol', 'ping', '--port', '4040', '--yes'], mono);
    expect(out).toContain('Created @wirebeat/protocol-ping in packages/protocol-ping (monorepo mode)');
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
    // What `npm install` does for a new workspace package.
    fs.symlinkSync(pkgDir, path.join(mono, 'node_modules', '@wirebeat', 'protocol-ping'));

    run('npx', ['tsc', '-b', 'packages/protocol-ping'], mono);
    // The root build (every package) now includes the new one.
    expect(run('npx', ['tsc', '-b', '--dry', '--verbose'], mono)).toContain(
      '* packages/protocol-ping/tsconfig.json',
    );
    run('npx', ['eslint', 'packages/protocol-ping'], mono);
    run('npx', ['prettier', '--check', 'packages/protocol-ping', 'tsconfig.json'], mono);
    // The root lint type-checks tests with tsconfig.tests.json; the same for the new package only.
    const testsConfig = { extends: './tsconfig.tests.json', include: ['packages/protocol-ping/**/*.ts'] };
    fs.writeFileSync(path.join(mono, 'tsconfig.ping-tests.json'), JSON.stringify(testsConfig));
    run('npx', ['tsc', '-p', 'tsconfig.ping-tests.json'], mono);
    run('npm', ['test', '--', '--ci'], pkgDir);
    const replayed = events(run('npm', ['run', '--silent', 'replay', '--', SAMPLE, '7357'], pkgDir));
    expect(replayed).toHaveLength(6);
    expect(replayed.every((event) => event.type === 'ping')).toBe(true);
  });

  it('beat mode: inside examples/pb_echo, registered in the beat and run by it', () => {
    const beat = path.join(mono, 'examples', 'pb_echo');
    const out = run(process.execPath, [CLI, 'ping2', '--port', '4041', '--framing', 'length', '--yes'], beat);
    expect(out).toContain('Created ping2Protocol in src/protocols/ping2 (beat mode)');
    const main = fs.readFileSync(path.join(beat, 'src', 'main.ts'), 'utf8');
    expect(main).toContain("import { ping2Protocol } from './protocols/ping2';");
    expect(main).toMatch(/protocols: \[echoProtocol, ping2Protocol\]/);
    const pkg = JSON.parse(fs.readFileSync(path.join(beat, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toMatchObject({
      '@wirebeat/applayer': '^0.1.0',
      '@wirebeat/streambuf': '^0.1.0',
    });
    expect(pkg.devDependencies).toMatchObject({ '@wirebeat/testing': '^0.1.0' });

    run('npx', ['tsc', '-b', 'examples/pb_echo'], mono);
    const generated = [
      'examples/pb_echo/src/protocols/ping2',
      'examples/pb_echo/test/protocols/ping2',
      'examples/pb_echo/src/main.ts',
    ];
    run('npx', ['eslint', ...generated], mono);
    run(
      'npx',
      [
        'prettier',
        '--check',
        ...generated,
        'examples/pb_echo/tsconfig.json',
        'examples/pb_echo/package.json',
      ],
      mono,
    );
    run('npx', ['jest', '--ci', 'test/protocols/ping2'], beat);
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

  it('every framing x transport (pairings alternating: every pair of answers): generated side by side, one tsc -b, lint, one jest run', () => {
    // 9 packages cover every framing with every transport, and each with both pairings.
    const combos = (['newline', 'length', 'custom'] as const).flatMap((framing, f) =>
      (['tcp', 'udp', 'both'] as const).map((transport, t) => ({
        framing,
        transport,
        pairing: (f + t) % 2 === 0 ? 'fifo' : 'key',
      })),
    );
    const packages = combos.map(({ framing, transport, pairing }, i) => {
      const name = `c_${framing}_${transport}_${pairing}`;
      const argv = [name, '--port', String(5050 + i), '--framing', framing, '--transport', transport];
      run(process.execPath, [CLI, ...argv, '--pairing', pairing, '--yes'], mono);
      const dir = path.join(mono, 'packages', `protocol-${name}`);
      fs.symlinkSync(dir, path.join(mono, 'node_modules', '@wirebeat', `protocol-${name}`));
      return `packages/protocol-${name}`;
    });
    run('npx', ['tsc', '-b', ...packages], mono);
    run('npx', ['eslint', ...packages], mono);
    run('npx', ['prettier', '--check', ...packages], mono);
    const report = JSON.parse(
      run('npx', ['jest', '--ci', '--json', '--maxWorkers=2', ...packages.map((p) => `${p}/`)], mono),
    ) as { success: boolean; testResults: Array<{ name: string; status: string }> };
    expect(report.success).toBe(true);
    for (const [i, pkg] of packages.entries()) {
      const { framing, transport, pairing } = combos[i];
      const suites = report.testResults.filter((r) =>
        r.name.includes(`${path.sep}${pkg.split('/')[1]}${path.sep}`),
      );
      const names = suites.map((r) => path.basename(r.name));
      // Its own suites ran and passed: UDP, and the stream ones unless it is UDP only.
      expect(names).toEqual(expect.arrayContaining(['udp.test.ts', 'parser.test.ts', 'config.test.ts']));
      expect(names.includes('split.test.ts')).toBe(transport !== 'udp');
      expect(suites.every((r) => r.status === 'passed')).toBe(true);
      const src = path.join(mono, pkg, 'src');
      const parser = fs.readFileSync(path.join(src, 'parser.ts'), 'utf8');
      expect(parser).toContain(
        { newline: 'LineParser', length: 'LENGTH_PREFIX_BYTES', custom: 'HEADER_BYTES' }[framing],
      );
      const definition = fs.readFileSync(path.join(src, `${pkg.split('-')[1]}.ts`), 'utf8');
      expect(definition).toContain(
        { tcp: "transports: ['tcp']", udp: "transports: ['udp']", both: "transports: ['tcp', 'udp']" }[
          transport
        ],
      );
      expect(definition.includes('pairBy: pairingKey')).toBe(pairing === 'key');
    }
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
