// Process attribution (Packetbeat's procs): which local process owns an endpoint of a connection.
// /proc/net/tcp{,6} maps local endpoints to socket inodes, /proc/<pid>/fd maps inodes to processes.
// The mapping is cached and read again on a miss, at most once per refresh interval.
import os from 'os';
import type { ProcsConfig } from '../config/beats-schema';
import type { ProcessInfo } from '../events/enricher';
import { listPids, processDetails, readTcpSockets, socketInodesOf, type ProcessDetails } from './proc-net';

/** A compiled `procs.monitored` entry. */
interface Monitored {
  name: string;
  matches: (cmdline: string) => boolean;
}

function compileMonitored(cfg: ProcsConfig['monitored']): Monitored[] {
  return cfg.map((m) => {
    const grep = m.cmdline_grep ?? m.process;
    const re = /^\/(.*)\/$/.exec(grep);
    const regex = re ? new RegExp(re[1]) : undefined;
    return { name: m.process, matches: (c) => (regex ? regex.test(c) : c.includes(grep)) };
  });
}

/** Counters of the process table. */
export interface ProcessTableCounters {
  refreshes: number;
  hits: number;
  misses: number;
}

/** Looks up the process of local endpoints. */
export class ProcessTable {
  private byEndpoint = new Map<string, ProcessInfo>();
  private lastRefresh = -Infinity;
  private readonly monitored: Monitored[];
  private readonly counts: ProcessTableCounters = { refreshes: 0, hits: 0, misses: 0 };
  private localIps = new Set<string>();

  constructor(
    private readonly cfg: ProcsConfig,
    private readonly procRoot = '/proc',
    private readonly now: () => number = Date.now,
  ) {
    this.monitored = compileMonitored(cfg.monitored);
  }

  /** The counters (lookups that hit, missed, and table refreshes). */
  counters(): ProcessTableCounters {
    return { ...this.counts };
  }

  /** The process owning `ip:port` when that endpoint is on this machine; undefined otherwise. */
  lookup(ip: string, port: number): ProcessInfo | undefined {
    if (!this.isLocal(ip)) return undefined;
    let found = this.byEndpoint.get(`${ip}:${port}`);
    if (found === undefined && this.now() - this.lastRefresh >= this.cfg.refresh_interval_ms) {
      this.refresh();
      found = this.byEndpoint.get(`${ip}:${port}`);
    }
    if (found) this.counts.hits++;
    else this.counts.misses++;
    return found;
  }

  private isLocal(ip: string): boolean {
    if (ip.startsWith('127.') || ip === '::1') return true;
    if (this.localIps.size === 0) this.readLocalIps();
    return this.localIps.has(ip);
  }

  private readLocalIps(): void {
    for (const list of Object.values(os.networkInterfaces()))
      for (const a of list ?? []) this.localIps.add(a.address.replace(/%.*$/, ''));
  }

  /** Reads the socket tables and the processes again. */
  refresh(): void {
    this.lastRefresh = this.now();
    this.counts.refreshes++;
    this.readLocalIps();
    const inodeToProcess = new Map<number, ProcessInfo>();
    for (const pid of listPids(this.procRoot)) {
      const details = processDetails(pid, this.procRoot);
      if (details === undefined) continue;
      const info = this.attribute(details);
      if (info === undefined) continue;
      for (const inode of socketInodesOf(pid, this.procRoot)) inodeToProcess.set(inode, info);
    }
    const next = new Map<string, ProcessInfo>();
    for (const s of readTcpSockets(this.procRoot)) {
      if (s.inode === 0) continue;
      const info = inodeToProcess.get(s.inode);
      if (info !== undefined) next.set(`${s.ip}:${s.port}`, info);
    }
    this.byEndpoint = next;
  }

  /** The published process of a monitored process (every process when the list is empty). */
  private attribute(d: ProcessDetails): ProcessInfo | undefined {
    let name = d.comm;
    if (this.monitored.length > 0) {
      const m = this.monitored.find((x) => x.matches(d.args.join(' ')));
      if (m === undefined) return undefined;
      name = m.name;
    }
    const info: ProcessInfo = { pid: d.pid, name, args: d.args };
    if (d.executable !== undefined) info.executable = d.executable;
    return info;
  }
}
