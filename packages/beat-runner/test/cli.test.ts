import { PassThrough } from 'stream';
import { buildBpfFilter, linktypeFromCap, parseCommandLine, ProgressBar, UsageError } from '../src/internal';

describe('parseCommandLine', () => {
  it('defaults to run and collects the Beats options', () => {
    const c = parseCommandLine('pb', [
      '-I',
      'x.pcap',
      '-t',
      '-E',
      'a=1',
      '-E',
      'b.c=[2]',
      '-l',
      '3',
      '-e',
      '--dump',
      'd.pcap',
      '-c',
      'pb.yml',
    ]);
    expect(c).toEqual({
      kind: 'run',
      options: {
        I: 'x.pcap',
        t: true,
        E: ['a=1', 'b.c=[2]'],
        l: 3,
        e: true,
        dump: 'd.pcap',
        config: 'pb.yml',
      },
    });
  });

  it('accepts options before or after the subcommand', () => {
    expect(parseCommandLine('pb', ['run', '-i', 'lo'])).toEqual({ kind: 'run', options: { E: [], i: 'lo' } });
    expect(parseCommandLine('pb', ['-c', 'f.yml', 'test', 'config'])).toEqual({
      kind: 'test-config',
      options: { E: [], config: 'f.yml' },
    });
    expect(parseCommandLine('pb', ['test', 'output', '-E', 'x=1'])).toMatchObject({
      kind: 'test-output',
      options: { E: ['x=1'] },
    });
  });

  it('knows every subcommand', () => {
    for (const [argv, kind] of [
      [['setup'], 'setup'],
      [['devices'], 'devices'],
      [['version'], 'version'],
    ] as const) {
      expect(parseCommandLine('pb', [...argv]).kind).toBe(kind);
    }
  });

  it('takes the Beats flags: -d, -v, --strict.perms, --path.*, -dump, -l 0, export', () => {
    expect(
      parseCommandLine('pb', [
        '-dump',
        'x.pcap',
        '-d',
        'publisher,procs',
        '-v',
        '--strict.perms=false',
        '--path.home',
        '/h',
        '--path.config',
        '/c',
        '--path.data',
        '/d',
        '--path.logs',
        '/l',
        '-l',
        '0',
      ]),
    ).toEqual({
      kind: 'run',
      options: {
        E: [],
        dump: 'x.pcap',
        d: 'publisher,procs',
        v: true,
        'strict.perms': false,
        'path.home': '/h',
        'path.config': '/c',
        'path.data': '/d',
        'path.logs': '/l',
        l: 0,
      },
    });
    expect(parseCommandLine('pb', ['--strict.perms']).kind === 'run').toBe(true);
    expect(parseCommandLine('pb', ['export', 'config']).kind).toBe('export-config');
    expect(parseCommandLine('pb', ['export', 'template', '-c', 'x.yml'])).toEqual({
      kind: 'export-template',
      options: { E: [], config: 'x.yml' },
    });
    expect(() => parseCommandLine('pb', ['--strict.perms=maybe'])).toThrow(
      /--strict\.perms expects true or false, got "maybe"/,
    );
  });

  it('returns the help text instead of printing it', () => {
    const c = parseCommandLine('pb', ['--help']);
    expect(c.kind).toBe('help');
    expect(c.kind === 'help' && c.text).toMatch(
      /Usage: pb \[options\] \[command\][\s\S]*-E <key=value>[\s\S]*test/,
    );
  });

  it('turns usage mistakes into one-line UsageErrors', () => {
    expect(() => parseCommandLine('pb', ['--bogus'])).toThrow(
      new UsageError("unknown option '--bogus' (see pb --help)"),
    );
    expect(() => parseCommandLine('pb', ['-I'])).toThrow(/option '-I <file>' argument missing/);
    expect(() => parseCommandLine('pb', ['frobnicate'])).toThrow(/too many arguments/);
    expect(() => parseCommandLine('pb', ['-l', 'zero'])).toThrow(
      /-l expects a number of loops \(0 for forever\), got "zero"/,
    );
    try {
      parseCommandLine('pb', ['-l', '-1']);
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).exitCode).toBe(2);
      expect((e as Error).message).not.toContain('\n');
    }
    expect.assertions(7);
  });
});

describe('buildBpfFilter', () => {
  it('captures only TCP on the protocol ports', () => {
    expect(buildBpfFilter([3030])).toBe('tcp port 3030');
    expect(buildBpfFilter([4040, 3030, 4040])).toBe('tcp and (port 3030 or port 4040)');
    expect(buildBpfFilter([])).toBe('tcp');
  });
});

describe('linktypeFromCap', () => {
  it('maps cap link type names to LINKTYPE numbers', () => {
    expect(linktypeFromCap('ETHERNET')).toBe(1);
    expect(linktypeFromCap('LINKTYPE_LINUX_SLL')).toBe(113);
    expect(linktypeFromCap('NULL')).toBe(0);
    expect(linktypeFromCap('RAW')).toBe(101);
    expect(linktypeFromCap('Unknown linktype 276')).toBe(276);
    expect(() => linktypeFromCap('garbage')).toThrow(/unsupported link type/);
  });
});

describe('ProgressBar', () => {
  function fakeStream(isTTY: boolean) {
    const s = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
    (s as { isTTY?: boolean }).isTTY = isTTY;
    return s;
  }

  it('draws on a terminal and erases itself', () => {
    const s = fakeStream(true);
    const bar = new ProgressBar(s, 10);
    bar.update(0.5, 1234);
    bar.clear();
    expect(String(s.read())).toBe('\r[#####.....]  50% 1234 packets\r\x1b[K');
  });

  it('stays silent when stderr is not a terminal', () => {
    const s = fakeStream(false);
    const bar = new ProgressBar(s, 10);
    expect(bar.enabled).toBe(false);
    bar.update(1, 1);
    bar.clear();
    expect(s.read()).toBeNull();
  });
});
