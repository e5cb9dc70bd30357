// Linux /proc readers for process attribution: the TCP socket tables (local address -> inode) and
// each process's open socket inodes, name and command line.
import fs from 'fs';
import path from 'path';

/** One socket of /proc/net/tcp{,6}: its local endpoint and inode (0 for TIME_WAIT and the like). */
export interface SocketEntry {
  ip: string;
  port: number;
  inode: number;
}

/** Decodes a /proc/net address: 8 hex digits (IPv4) or 32 (IPv6), each 32-bit word in host (little-endian) order. */
export function decodeProcAddress(hex: string): string {
  const words: number[] = [];
  for (let i = 0; i < hex.length; i += 8) {
    const w = hex.slice(i, i + 8);
    // The kernel prints each 32-bit word as a number on a little-endian machine: bytes reversed.
    words.push(parseInt(w.slice(6, 8) + w.slice(4, 6) + w.slice(2, 4) + w.slice(0, 2), 16) >>> 0);
  }
  const bytes = words.flatMap((w) => [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255]);
  if (bytes.length === 4) return bytes.join('.');
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) is published as the IPv4 address, as the packets show it.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255)
    return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return compressIpv6(groups);
}

/** `0:0:0:0:0:0:0:1` -> `::1` (longest run of zero groups collapsed, as Node prints addresses). */
function compressIpv6(groups: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (best < 0) return groups.join(':');
  return groups.slice(0, best).join(':') + '::' + groups.slice(best + bestLen).join(':');
}

/** Parses the text of /proc/net/tcp or /proc/net/tcp6. */
export function parseProcNetTcp(text: string): SocketEntry[] {
  const out: SocketEntry[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const cols = lines[i].trim().split(/\s+/);
    if (cols.length < 10) continue;
    const [addr, port] = cols[1].split(':');
    if (addr === undefined || port === undefined) continue;
    out.push({ ip: decodeProcAddress(addr), port: parseInt(port, 16), inode: Number(cols[9]) });
  }
  return out;
}

/** Every TCP socket of the machine (IPv4 and IPv6); a missing table (no IPv6) is skipped. */
export function readTcpSockets(procRoot = '/proc'): SocketEntry[] {
  const out: SocketEntry[] = [];
  for (const f of ['net/tcp', 'net/tcp6']) {
    try {
      out.push(...parseProcNetTcp(fs.readFileSync(path.join(procRoot, f), 'utf8')));
    } catch {
      // IPv6 disabled, or no /proc (not Linux).
    }
  }
  return out;
}

/** The pids under /proc. */
export function listPids(procRoot = '/proc'): number[] {
  try {
    return fs
      .readdirSync(procRoot)
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
  } catch {
    return [];
  }
}

/** Socket inodes a process holds open (empty when it is gone or not ours to read). */
export function socketInodesOf(pid: number, procRoot = '/proc'): number[] {
  const dir = path.join(procRoot, String(pid), 'fd');
  let fds: string[];
  try {
    fds = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(path.join(dir, fd)));
      if (m) out.push(Number(m[1]));
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/** A process's short name (comm), argv and executable. */
export interface ProcessDetails {
  pid: number;
  comm: string;
  args: string[];
  executable?: string;
}

/** Reads comm, cmdline and exe of a process; undefined when it is gone. */
export function processDetails(pid: number, procRoot = '/proc'): ProcessDetails | undefined {
  const base = path.join(procRoot, String(pid));
  try {
    const comm = fs.readFileSync(path.join(base, 'comm'), 'utf8').trim();
    const args = fs
      .readFileSync(path.join(base, 'cmdline'), 'utf8')
      .split('\0')
      .filter((a) => a !== '');
    let executable: string | undefined;
    try {
      executable = fs.readlinkSync(path.join(base, 'exe'));
    } catch {
      executable = undefined;
    }
    return { pid, comm, args, executable };
  } catch {
    return undefined;
  }
}
