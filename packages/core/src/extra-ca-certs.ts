// NODE_EXTRA_CA_CERTS, honoured without its start-up cost. Node 20 reads and parses that file when
// the process starts, used or not: 35 ms of CPU on a machine whose bundle holds the ~140 system
// CAs, more than a beat's whole start. The beats' launchers therefore move the variable aside
// (`env -u NODE_EXTRA_CA_CERTS WIREBEAT_EXTRA_CA_CERTS=...`); the beat puts it back for the
// processes it starts, and its own TLS clients (Elasticsearch, Kafka) trust those CAs as Node
// would have: beside the bundled roots, unless the config names its own CAs.
import fs from 'fs';
import type * as Tls from 'tls';

/** The variable the launchers move NODE_EXTRA_CA_CERTS to. */
export const MOVED_EXTRA_CA_CERTS = 'WIREBEAT_EXTRA_CA_CERTS';

let deferredFile: string | undefined;
let trusted: string[] | undefined;

/**
 * Takes back NODE_EXTRA_CA_CERTS from where the launcher moved it (call first thing at start):
 * child processes see it again, and deferredCaCertificates() reads the file when a TLS client is
 * made. Without a launcher (node dist/main.js) there is nothing to take back: Node read the file.
 */
export function adoptMovedExtraCaCerts(env: NodeJS.ProcessEnv = process.env): void {
  const moved = env[MOVED_EXTRA_CA_CERTS];
  if (moved === undefined) return;
  delete env[MOVED_EXTRA_CA_CERTS];
  if (moved === '' || env.NODE_EXTRA_CA_CERTS !== undefined) return;
  env.NODE_EXTRA_CA_CERTS = moved;
  deferredFile = moved;
  trusted = undefined;
}

/** The certificates of a PEM bundle, each as its own PEM block. */
function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * The CAs a TLS client trusts by default when NODE_EXTRA_CA_CERTS was moved aside by the launcher:
 * Node's bundled roots and the file's certificates (read once; a file that cannot be read gives
 * Node's own warning and the bundled roots alone). Undefined when Node's default already includes
 * them (no launcher, or no such variable): leave `ca` unset then.
 */
export function deferredCaCertificates(): string[] | undefined {
  if (deferredFile === undefined) return undefined;
  if (trusted === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- TLS loads with the first TLS client
    const roots = (require('tls') as typeof Tls).rootCertificates;
    let extra: string[] = [];
    try {
      extra = pemBlocks(fs.readFileSync(deferredFile, 'latin1'));
      if (extra.length === 0) throw new Error('no certificate in PEM form');
    } catch (e) {
      process.emitWarning(
        `Ignoring extra certs from \`${deferredFile}\`, load failed: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    trusted = [...roots, ...extra];
  }
  return trusted;
}
