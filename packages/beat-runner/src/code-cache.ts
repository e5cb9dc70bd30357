// Start-up: a short run spends most of its time compiling its ~300 modules (ours, zod, pino,
// commander). V8 can hand out the code it compiled for a script and take it back in a later
// process; this keeps that code per module source (keyed by a hash of the text, so an edited file
// is compiled anew) in a private directory, written when the process exits. Set
// WIREBEAT_CODE_CACHE=0 to turn it off. Modules that use import() keep Node's own loader (a script
// compiled here could not import).
import type * as Crypto from 'crypto';
import fs from 'fs';
import Module from 'module';
import os from 'os';
import path from 'path';
import vm from 'vm';
import { installModulePack } from './module-pack';
import { requireFor, type ModuleInternals, type NodeModule } from './module-internals';

/** The directory: per user, Node version and architecture (V8 refuses code of another version anyway). */
function defaultDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return path.join(os.tmpdir(), `wirebeat-code-cache-${uid}-${process.version}-${process.arch}`);
}

/** True when `dir` is ours and closed to others (another user's files there could run as our code). */
function privateDir(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.statSync(dir);
    const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
    return st.isDirectory() && st.uid === uid && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** The node options of this thread that V8 sees (`--require FILE` differs between the main thread and workers). */
function v8Flags(): string {
  const argv = process.execArgv;
  return argv
    .filter((a, i) => !/^(-r|--require)(=|$)/.test(a) && !/^(-r|--require)$/.test(argv[i - 1] ?? ''))
    .join(' ');
}

let installed = false;

/** True when the text calls import() outside comment lines (JSDoc types such as `import("./x").T` do not count). */
export function usesImport(content: string): boolean {
  for (let at = content.indexOf('import('); at !== -1; at = content.indexOf('import(', at + 7)) {
    const line = content.slice(content.lastIndexOf('\n', at) + 1, at).trimStart();
    if (!line.startsWith('*') && !line.startsWith('//') && !line.startsWith('/*')) return true;
  }
  return false;
}
let crypto: typeof Crypto | undefined;

/** The crypto module, loaded only when a module is compiled from its file (a packed start needs none: 2 ms). */
function cryptoLib(): typeof Crypto {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  crypto ??= require('crypto') as typeof Crypto;
  return crypto;
}

/** A file name for the pack of a beat and its node options (FNV-1a, two 32-bit halves: a name, not a checksum). */
function packKey(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x811c9dc5) ^ (a >>> 7);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/**
 * Makes later `require`s of CommonJS files use and fill the code cache (once per thread); with
 * `pack`, the modules of the main module's runs are packed as well (module-pack.ts).
 */
export function installCodeCache(dir = defaultDir(), pack = true): void {
  if (installed || process.env.WIREBEAT_CODE_CACHE === '0') return;
  installed = true;
  if (!privateDir(dir)) return;
  const M = Module as unknown as ModuleInternals;
  const original = M.prototype._compile;
  const fresh: Array<{ file: string; script: vm.Script }> = [];
  const flags = v8Flags() + '\0';
  // The beat's own process packs its modules (module-pack.ts); worker threads and `node -e` use the
  // cache alone. One pack per program and node options (NODE_OPTIONS too: V8 refuses code of other flags).
  const main = require.main?.filename;
  const key = `${flags}${process.env.NODE_OPTIONS ?? ''}\0${main}`;
  const packed =
    pack && main !== undefined ? installModulePack(path.join(dir, `pack-${packKey(key)}`)) : undefined;
  M.prototype._compile = function (
    this: NodeModule,
    content: string,
    filename: string,
    format?: string,
  ): unknown {
    // An ES module that `require` loads (Node 20.19+ passes its format, 'module') is Node's to
    // compile, and so is a script that uses import() (a script compiled here could not import).
    if ((format !== undefined && format !== 'commonjs') || usesImport(content))
      return original.call(this, content, filename, format);
    // A leading #! line is valid only at the very start of a script, not inside the wrapper.
    const body = content.startsWith('#!') ? '//' + content : content;
    packed?.(filename, body, content);
    // V8 refuses code compiled under other flags (node options): they are part of the key.
    const key = cryptoLib()
      .createHash('sha1')
      .update(flags)
      .update(filename)
      .update('\0')
      .update(body)
      .digest('hex');
    const file = path.join(dir, key);
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(M.wrap(body), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected === true) fresh.push({ file, script });
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return fn.call(this.exports, this.exports, requireFor(this, M), this, filename, path.dirname(filename));
  };
  // At exit the scripts have run: their code then includes the functions compiled since.
  process.once('exit', () => {
    for (const { file, script } of fresh) {
      try {
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, file);
      } catch {
        return; // A full or read-only disk: the next run compiles again.
      }
    }
  });
}
