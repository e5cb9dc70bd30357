// --strict.perms: like Beats, refuse a config file that someone else could have written, since the
// config decides which packets are read and where they are sent.
import fs from 'fs';
import { ConfigPermissionError } from '../errors';

/** `-rw-r--r--` style text of a mode's permission bits. */
export function modeString(mode: number): string {
  const bits = 'rwxrwxrwx';
  let out = '-';
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? bits[i] : '-';
  return out;
}

/**
 * Throws ConfigPermissionError when the file is not owned by the user running the beat (or root) or
 * when group or others may write it. Skipped where there are no Unix owners (Windows).
 */
export function checkConfigPermissions(file: string, uid = process.geteuid?.()): void {
  if (uid === undefined) return;
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return; // Reading the file reports what is wrong with it.
  }
  if (st.uid !== uid && st.uid !== 0) {
    throw new ConfigPermissionError(
      `config file ${file} must be owned by the user running the beat (uid ${uid}) or by root, ` +
        `but its owner is uid ${st.uid} (fix it with chown, or run with --strict.perms=false)`,
    );
  }
  if ((st.mode & 0o022) !== 0) {
    throw new ConfigPermissionError(
      `config file ${file} may only be writable by its owner, but its permissions are ` +
        `${modeString(st.mode)} (fix it with chmod go-w ${file}, or run with --strict.perms=false)`,
    );
  }
}
