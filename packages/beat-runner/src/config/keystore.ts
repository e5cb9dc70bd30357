// The beat's keystore, as libbeat's: secrets kept in <path.data>/<beat>.keystore (mode 0600) and
// referenced from the config as ${KEY}; a key found there wins over the environment. Values are
// encrypted with AES-256-GCM under a key derived from an empty passphrase (libbeat's default too):
// the file's permissions protect the secrets, the encryption keeps them out of a casual `cat`.
import type * as Crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { KeystoreError } from '../errors';

const VERSION = 1;

let cryptoModule: typeof Crypto | undefined;
/** Node's crypto, loaded when a keystore is used (most runs have none: ~2 ms of start-up). */
function crypto(): typeof Crypto {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy require
  cryptoModule ??= require('crypto') as typeof Crypto;
  return cryptoModule;
}
const KEY_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

interface StoredFile {
  version: number;
  salt: string;
  /** key -> base64(iv | tag | ciphertext). */
  entries: Record<string, string>;
}

/** The keystore file of a beat. */
export function keystorePath(dataDir: string, beatName: string): string {
  return path.join(dataDir, `${beatName}.keystore`);
}

function derive(salt: Buffer): Buffer {
  return crypto().scryptSync('', salt, 32);
}

/** A keystore file: create, add, list, remove and read its secrets. */
export class Keystore {
  constructor(readonly file: string) {}

  /** Whether the file exists. */
  exists(): boolean {
    return fs.existsSync(this.file);
  }

  /** Creates an empty keystore; an existing one is replaced only with `force`. */
  create(force = false): void {
    if (this.exists() && !force)
      throw new KeystoreError(`keystore ${this.file} already exists (use --force to replace it)`);
    this.save({ version: VERSION, salt: crypto().randomBytes(16).toString('base64'), entries: {} });
  }

  /** Stores a secret under `key`; an existing key is replaced only with `force`. */
  add(key: string, value: string, force = false): void {
    if (!KEY_NAME.test(key))
      throw new KeystoreError(`invalid key ${JSON.stringify(key)} (letters, digits, _ . -)`);
    const store = this.load();
    if (key in store.entries && !force)
      throw new KeystoreError(`key ${key} is already in the keystore (use --force to replace it)`);
    const iv = crypto().randomBytes(12);
    const cipher = crypto().createCipheriv('aes-256-gcm', derive(Buffer.from(store.salt, 'base64')), iv);
    const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    store.entries[key] = Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
    this.save(store);
  }

  /** The keys, sorted (never the values). */
  list(): string[] {
    return Object.keys(this.load().entries).sort();
  }

  /** Removes keys; an absent key is an error naming it. */
  remove(keys: readonly string[]): void {
    const store = this.load();
    const missing = keys.filter((k) => !(k in store.entries));
    if (missing.length > 0) throw new KeystoreError(`not in the keystore: ${missing.join(', ')}`);
    for (const k of keys) delete store.entries[k];
    this.save(store);
  }

  /** Every secret, decrypted (for ${KEY} resolution); empty when there is no keystore. */
  values(): Record<string, string> {
    if (!this.exists()) return {};
    const store = this.load();
    const key = derive(Buffer.from(store.salt, 'base64'));
    const out: Record<string, string> = {};
    for (const [name, blob] of Object.entries(store.entries)) {
      const raw = Buffer.from(blob, 'base64');
      try {
        const decipher = crypto().createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        out[name] = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new KeystoreError(`keystore ${this.file}: the value of ${name} is damaged`);
      }
    }
    return out;
  }

  private load(): StoredFile {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new KeystoreError(
        code === 'ENOENT'
          ? `no keystore at ${this.file} (create it with \`keystore create\`)`
          : `cannot read keystore ${this.file}: ${code ?? String(err)}`,
      );
    }
    try {
      const v = JSON.parse(text) as StoredFile;
      if (
        v.version !== VERSION ||
        typeof v.salt !== 'string' ||
        typeof v.entries !== 'object' ||
        v.entries === null
      )
        throw new Error('bad layout');
      return v;
    } catch {
      throw new KeystoreError(`keystore ${this.file} is damaged (not a keystore this beat wrote)`);
    }
  }

  private save(store: StoredFile): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o750 });
    // Written beside and renamed: a crash never leaves half a keystore.
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(store) + '\n', { mode: 0o600 });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, this.file);
  }
}
