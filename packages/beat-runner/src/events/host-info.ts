// ECS host.* of the machine the beat runs on, computed once per run: every event carries
// host.name, and add_host_metadata adds the rest.
import fs from 'fs';
import os from 'os';

/** ECS `host.os`. */
export interface HostOs {
  type: string;
  platform: string;
  kernel: string;
  name?: string;
  version?: string;
  family?: string;
}

/** ECS `host` (events carry `name`; the rest comes with add_host_metadata). */
export interface HostInfo {
  name: string;
  hostname: string;
  architecture: string;
  os: HostOs;
  id?: string;
  ip?: string[];
  mac?: string[];
}

/** Node's os.arch() in the names Beats publishes (x86_64, aarch64, ...). */
function architecture(): string {
  const arch = os.arch();
  return ({ x64: 'x86_64', arm64: 'aarch64', ia32: 'i386' } as Record<string, string>)[arch] ?? arch;
}

/** Distribution name, version and family from /etc/os-release (Linux); empty elsewhere. */
function osRelease(): Partial<HostOs> {
  let text: string;
  try {
    text = fs.readFileSync('/etc/os-release', 'utf8');
  } catch {
    return {};
  }
  const kv: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) kv[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  const out: Partial<HostOs> = {};
  if (kv.NAME) out.name = kv.NAME;
  if (kv.VERSION) out.version = kv.VERSION;
  const family = (kv.ID_LIKE ?? kv.ID ?? '').split(' ')[0];
  if (family) out.family = family;
  if (kv.ID) out.platform = kv.ID;
  return out;
}

/** host.* for events; `name` is the shipper's name (the `name` setting, default the host name). */
export function hostInfo(name?: string): HostInfo {
  const hostname = os.hostname();
  const rel = osRelease();
  const type = os.platform() === 'win32' ? 'windows' : os.platform() === 'darwin' ? 'macos' : os.platform();
  return {
    name: name ?? hostname,
    hostname,
    architecture: architecture(),
    os: { type, platform: rel.platform ?? os.platform(), kernel: os.release(), ...withoutPlatform(rel) },
  };
}

function withoutPlatform(rel: Partial<HostOs>): Partial<HostOs> {
  const { platform: _p, ...rest } = rel;
  return rest;
}

/** The host's unicast addresses and MAC addresses (loopback excluded), for add_host_metadata. */
export function hostAddresses(): { ip: string[]; mac: string[] } {
  const ip: string[] = [];
  const mac = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      ip.push(a.address.replace(/%.*$/, ''));
      if (a.mac !== '00:00:00:00:00:00') mac.add(a.mac.toUpperCase().replace(/:/g, '-'));
    }
  }
  return { ip, mac: [...mac] };
}

/** /etc/machine-id (Linux) as host.id; undefined where there is none. */
export function machineId(): string | undefined {
  for (const f of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      const id = fs.readFileSync(f, 'utf8').trim();
      if (id) return id;
    } catch {
      // try the next one
    }
  }
  return undefined;
}
