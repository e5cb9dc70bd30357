// Start-up, second step after the code cache: a beat loads ~300 CommonJS files, and Node spends
// more time finding, reading and compiling them one by one (stat calls, package.json reads, one
// compiled script each) than running them. The pack keeps, per beat, every module the beat's last
// runs loaded in one file: their sources as one script (one compile, one code cache), and how
// each `require` resolved. A start then reads one file, checks with stat calls that no packed file
// or directory changed since (any change: the pack is not used and is written anew at exit), and
// hands Node's loader the packed module functions instead of reading files. Module objects,
// require.cache, exports and load order stay Node's own. Stack traces inside packed modules name
// the pack file; WIREBEAT_CODE_CACHE=0 turns this off with the code cache.
import fs from 'fs';
import Module from 'module';
import path from 'path';
import vm from 'vm';
import { requireFor, type ModuleInternals, type NodeModule } from './module-internals';

const MAGIC = 'WBPACK3\n';
const WRAPPER = 'function (exports, require, module, __filename, __dirname) {';

/** One packed module: its file, the file's size and mtime when packed, its text in the pack's source. */
interface PackedFile {
  file: string;
  size: number;
  mtime: number;
  start: number;
  end: number;
}

/** What the pack file holds besides the source and code cache. */
interface PackHeader {
  /**
   * How the source is stored: latin1 when every character fits a byte, else UTF-16. Both decode
   * to a V8 string by a copy; UTF-8 with non-ASCII text (zod's locales) took 5-10 ms on 2 MB.
   */
  encoding: 'latin1' | 'utf16le';
  files: PackedFile[];
  /** Directories and package.json files the resolutions depend on, with their mtimes then. */
  watched: Array<[string, number]>;
  /** `parent directory \0 request` -> resolved file. */
  resolutions: Array<[string, string]>;
}

/** A module compiled from its file in this run, to be packed at exit. */
interface FreshModule {
  text: string;
  size: number;
  mtime: number;
}

type ModuleFn = (...args: unknown[]) => unknown;

/** The pack read at start-up, when it is still valid. */
interface LoadedPack {
  header: PackHeader;
  source: string;
  script: vm.Script;
  fns: Map<string, ModuleFn>;
  warm: boolean;
}

/** mtime of a path, or -1 when it is missing. */
function mtimeOf(p: string): number {
  return fs.statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? -1;
}

/** True when every packed file, directory and package.json is as it was when packed. */
function stillValid(h: PackHeader): boolean {
  for (const f of h.files) {
    const st = fs.statSync(f.file, { throwIfNoEntry: false });
    if (st === undefined || st.size !== f.size || st.mtimeMs !== f.mtime) return false;
  }
  return h.watched.every(([p, m]) => mtimeOf(p) === m);
}

/** Reads and checks the pack file; undefined when it is missing, damaged or out of date. */
function readPack(file: string): LoadedPack | undefined {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
    let at = MAGIC.length;
    const headerLen = buf.readUInt32LE(at);
    const sourceLen = buf.readUInt32LE(at + 4);
    at += 8;
    const header = JSON.parse(buf.toString('utf8', at, at + headerLen)) as PackHeader;
    if (!stillValid(header)) return undefined;
    at += headerLen;
    const source = buf.toString(header.encoding, at, at + sourceLen);
    const cachedData = buf.length > at + sourceLen ? buf.subarray(at + sourceLen) : undefined;
    const script = new vm.Script(source, { filename: file, cachedData });
    const list = script.runInThisContext() as ModuleFn[];
    const fns = new Map(header.files.map((f, i) => [f.file, list[i]]));
    return { header, source, script, fns, warm: cachedData !== undefined && !script.cachedDataRejected };
  } catch {
    return undefined;
  }
}

/** The directory holding the package.json that governs `file` (its package root). */
function packageJsonOf(file: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) return pj;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * A pack or a module's cached code not used for this long is removed when a pack is written
 * (beats in deleted directories, modules of older versions or of temporary copies).
 */
const STALE_ENTRY_MS = 7 * 24 * 3600 * 1000;
/** A temporary file this old was left by a process that died while writing it. */
const STALE_TMP_MS = 3600 * 1000;
/** The cache directory is swept at most this often (its entries are all looked at). */
const SWEEP_EVERY_MS = 24 * 3600 * 1000;
/** The file whose mtime says when the directory was last swept. */
const SWEPT_MARK = '.swept';
/** The names this cache writes: packs, modules' code (sha1 names) and their temporary files. */
const CACHE_ENTRY = /^(pack-[0-9a-f]{16}|[0-9a-f]{40})(\.\d+\.tmp)?$/;

/** Marks a pack in use (its mtime), at most once a day: a pack used every day is never swept. */
function keepFresh(file: string): void {
  try {
    const now = Date.now();
    if (now - fs.statSync(file).mtimeMs > 24 * 3600 * 1000) fs.utimesSync(file, new Date(now), new Date(now));
  } catch {
    return; // Gone or read-only: nothing to keep.
  }
}

/**
 * Removes what `dir` holds that was not used for STALE_ENTRY_MS: packs (whose mtime keepFresh
 * moves), modules' cached code (read by worker threads: its access time, where the file system
 * keeps one, or else its creation), and temporary files left by a process that died. Runs at
 * most once a day: each new program, version or temporary copy of a beat adds entries, and
 * without this the directory would only grow.
 */
function sweepStale(dir: string): void {
  try {
    const now = Date.now();
    const mark = path.join(dir, SWEPT_MARK);
    const last = fs.statSync(mark, { throwIfNoEntry: false });
    if (last !== undefined && now - last.mtimeMs < SWEEP_EVERY_MS) return;
    fs.writeFileSync(mark, '', { mode: 0o600 });
    for (const name of fs.readdirSync(dir)) {
      const entry = CACHE_ENTRY.exec(name);
      if (entry === null) continue;
      const file = path.join(dir, name);
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (st === undefined) continue;
      const tmp = entry[2] !== undefined;
      // Packs are kept fresh by their mtime; modules' code is only read, which its atime shows.
      const used = tmp || name.startsWith('pack-') ? st.mtimeMs : Math.max(st.atimeMs, st.mtimeMs);
      if (now - used > (tmp ? STALE_TMP_MS : STALE_ENTRY_MS)) fs.rmSync(file, { force: true });
    }
  } catch {
    return; // Another process swept first, or a read-only directory: nothing to do.
  }
}

/**
 * For a resolution of a package name (`dir \0 name/sub`), the node_modules directory (or its
 * @scope folder) the name was found in: it changes when the package is installed, removed or
 * relinked (workspace symlinks), which the resolved files' own directories would not show.
 */
function packageDirOf(key: string): string | undefined {
  const [from, request] = key.split('\0');
  if (request.startsWith('.') || path.isAbsolute(request)) return undefined;
  const parts = request.split('/');
  const name = request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  for (let dir = from; ; dir = path.dirname(dir)) {
    const at = path.join(dir, 'node_modules', name);
    if (fs.lstatSync(at, { throwIfNoEntry: false }) !== undefined) return path.dirname(at);
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Writes `data` to `file` through a temporary file (a reader never sees half a pack). */
function writeAtomic(file: string, data: Buffer[]): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, Buffer.concat(data), { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true }); // A full or read-only disk: the next start loads files.
  }
}

/** Builds the pack's bytes: header, source, and the code cache when there is one. */
function packBytes(header: PackHeader, source: string, cache?: Buffer): Buffer[] {
  const h = Buffer.from(JSON.stringify(header));
  const s = Buffer.from(source, header.encoding);
  const lens = Buffer.alloc(8);
  lens.writeUInt32LE(h.length, 0);
  lens.writeUInt32LE(s.length, 4);
  return [Buffer.from(MAGIC, 'latin1'), lens, h, s, ...(cache ? [cache] : [])];
}

/**
 * Serves the modules of `packFile` to Node's loader and, at exit, writes the pack anew when this
 * run loaded modules it lacks (or it was out of date), or stores its code cache when it had none.
 * `compiled` receives the modules Node compiled from files in this run (see code-cache.ts).
 */
export function installModulePack(packFile: string): (file: string, body: string, content: string) => void {
  const M = Module as unknown as ModuleInternals;
  const pack = readPack(packFile);
  const resolutions = new Map(pack?.header.resolutions ?? []);
  const fresh = new Map<string, FreshModule>();
  let changed = pack === undefined;

  const resolve = M._resolveFilename;
  M._resolveFilename = function (request, parent, isMain, options) {
    // A module's `path` is its directory (Node sets it), spared a path.dirname per require.
    const dir = (parent as { path?: unknown } | undefined)?.path;
    if (options !== undefined || typeof dir !== 'string')
      return resolve.call(this, request, parent, isMain, options);
    const key = `${dir}\0${request}`;
    const known = resolutions.get(key);
    // Only a packed file is known to be there still (the pack checked it).
    if (known !== undefined && pack?.fns.has(known)) return known;
    const file = resolve.call(this, request, parent, isMain, options);
    if (path.isAbsolute(file) && known !== file) {
      resolutions.set(key, file);
      changed = true;
    }
    return file;
  };

  // Each module gets the node_modules folders above its directory (module.paths): computed once
  // per directory instead of once per module (a copy each: a module may change its own list).
  const nodeModulePaths = M._nodeModulePaths;
  const pathsOf = new Map<string, string[]>();
  M._nodeModulePaths = function (from: string): string[] {
    if (!path.isAbsolute(from)) return nodeModulePaths.call(this, from);
    let paths = pathsOf.get(from);
    if (paths === undefined) pathsOf.set(from, (paths = nodeModulePaths.call(this, from)));
    return paths.slice();
  };

  const extensions = M._extensions as Record<string, (m: NodeModule, f: string) => void>;
  const loadJs = extensions['.js'];
  extensions['.js'] = function (mod: NodeModule, filename: string): void {
    const fn = pack?.fns.get(filename);
    if (fn === undefined) return loadJs.call(this, mod, filename);
    fn.call(mod.exports, mod.exports, requireFor(mod, M), mod, filename, path.dirname(filename));
  };

  process.once('exit', () => {
    if (changed || fresh.size > 0) {
      writeNew(packFile, pack, fresh, resolutions);
      sweepStale(path.dirname(packFile));
    } else if (pack !== undefined && !pack.warm)
      writeAtomic(packFile, packBytes(pack.header, pack.source, pack.script.createCachedData()));
    else keepFresh(packFile);
  });
  return (file, body, content) => {
    if (pack?.fns.has(file)) return;
    // Stat now, next to Node's read: a file edited later must not be packed with its old text.
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (st !== undefined && st.size === Buffer.byteLength(content))
      fresh.set(file, { text: `${WRAPPER}${body}\n}`, size: st.size, mtime: st.mtimeMs });
  };
}

/**
 * The source with every character above U+00FF written as a \\uXXXX escape, so that the pack is
 * stored and read as Latin-1 (half the bytes of UTF-16; a few dashes and arrows in the comments of
 * zod, commander and pino would otherwise double a pack of 1.5 million characters). An escape means
 * the same character in a string, a regular expression, an identifier or a comment; after a
 * backslash (an identity escape such as \\—) only `uXXXX` is added. A template literal's raw text
 * and a function's source text would show the escape, which no packed module relies on.
 */
export function oneByteSource(source: string): string {
  return source.replace(/(\\*)([\u0100-\uffff])/g, (_, slashes: string, ch: string) => {
    const hex = ch.charCodeAt(0).toString(16).padStart(4, '0');
    return slashes.length % 2 === 1 ? `${slashes}u${hex}` : `${slashes}\\u${hex}`;
  });
}

/** Writes a pack of the old pack's modules and this run's new ones (no code cache yet: the next run adds it). */
function writeNew(
  packFile: string,
  old: LoadedPack | undefined,
  fresh: Map<string, FreshModule>,
  resolutions: Map<string, string>,
): void {
  const parts: string[] = [];
  const files: PackedFile[] = [];
  let at = 2;
  const add = (file: string, size: number, mtime: number, raw: string): void => {
    const text = oneByteSource(raw);
    files.push({ file, size, mtime, start: at, end: at + text.length });
    parts.push(text);
    at += text.length + 2;
  };
  for (const f of old?.header.files ?? [])
    if (!fresh.has(f.file)) add(f.file, f.size, f.mtime, old!.source.slice(f.start, f.end));
  for (const [file, m] of fresh) add(file, m.size, m.mtime, m.text);
  const watchedPaths = new Set<string>();
  for (const f of files) {
    watchedPaths.add(path.dirname(f.file));
    const pj = packageJsonOf(f.file);
    if (pj !== undefined) watchedPaths.add(pj);
  }
  for (const key of resolutions.keys()) {
    const dir = packageDirOf(key);
    if (dir !== undefined) watchedPaths.add(dir);
  }
  const source = `[\n${parts.join(',\n')}\n]`;
  const header: PackHeader = {
    encoding: /[\u0100-\uffff]/.test(source) ? 'utf16le' : 'latin1',
    files,
    watched: [...watchedPaths].map((p) => [p, mtimeOf(p)]),
    resolutions: [...resolutions],
  };
  writeAtomic(packFile, packBytes(header, source));
}
