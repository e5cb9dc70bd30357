// add_cloud_metadata, add_docker_metadata, add_process_metadata, detect_mime_type: processors that
// add facts from the host or from the content. None of them opens a network connection.
import fs from 'fs';
import path from 'path';
import { ProcessorConfigError } from '../errors';
import { processDetails } from '../procs/proc-net';
import { checkKeys, flag } from './field-processors';
import { getField, isObj, setField } from './field-path';
import type { Processor } from './processor';

type Obj = Record<string, unknown>;

/** DMI facts that name a cloud provider (Beats' provider names). */
const DMI_PROVIDERS: Array<[string, (dmi: Record<string, string>) => boolean]> = [
  [
    'aws',
    (d) => /amazon/i.test(d.sys_vendor) || /amazon/i.test(d.bios_version) || /^ec2/i.test(d.product_uuid),
  ],
  ['gcp', (d) => /^google/i.test(d.sys_vendor) || /google compute engine/i.test(d.product_name)],
  ['azure', (d) => d.chassis_asset_tag === '7783-7084-3265-9085-8269-3286-77'],
  ['digitalocean', (d) => /digitalocean/i.test(d.sys_vendor)],
  ['alibaba', (d) => /alibaba/i.test(d.sys_vendor)],
  ['qcloud', (d) => /tencent/i.test(d.sys_vendor)],
  ['hetzner', (d) => /hetzner/i.test(d.sys_vendor)],
  ['openstack', (d) => /openstack/i.test(d.sys_vendor) || /openstack/i.test(d.product_name)],
];

/** Reads the DMI identity files (missing ones are empty: containers and some VMs have none). */
export function readDmi(root = '/sys/class/dmi/id'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ['sys_vendor', 'product_name', 'product_uuid', 'bios_version', 'chassis_asset_tag']) {
    try {
      out[f] = fs.readFileSync(path.join(root, f), 'utf8').trim();
    } catch {
      out[f] = '';
    }
  }
  return out;
}

/** The provider the DMI facts name, if any. */
export function cloudProviderOf(dmi: Record<string, string>): string | undefined {
  return DMI_PROVIDERS.find(([, test]) => test(dmi))?.[0];
}

/**
 * `add_cloud_metadata`: libbeat asks each provider's metadata service (169.254.169.254 ...) with a
 * timeout. Here the machine's DMI identity decides first: no cloud vendor there, nothing is added
 * and no address is contacted, at once. On a cloud host `cloud.provider` is added; the instance
 * metadata (id, region, ...) is not fetched (a listed difference from Packetbeat).
 */
export function addCloudMetadata(opts: Obj, where: string, dmiRoot?: string): Processor {
  checkKeys(opts, ['timeout', 'providers', 'overwrite'], where);
  const overwrite = flag(opts, 'overwrite', false, where);
  const allowed = opts.providers;
  if (allowed !== undefined && (!Array.isArray(allowed) || !allowed.every((p) => typeof p === 'string')))
    throw new ProcessorConfigError(`${where}.providers: expects a list of provider names`);
  let provider = cloudProviderOf(readDmi(dmiRoot));
  if (provider !== undefined && Array.isArray(allowed) && !allowed.includes(provider)) provider = undefined;
  return {
    kind: 'add_cloud_metadata',
    run: (e) => {
      if (provider === undefined) return true;
      if (!overwrite && getField(e, 'cloud') !== undefined) return true;
      setField(e, 'cloud.provider', provider);
      return true;
    },
  };
}

/**
 * `add_docker_metadata`: without a Docker daemon socket (the `host` option, default
 * unix:///var/run/docker.sock) there is no container to describe and nothing is added. Container
 * lookups through the Docker API are not implemented: with a socket present a failure is reported
 * once per event's processor run, never silently.
 */
export function addDockerMetadata(opts: Obj, where: string): Processor {
  checkKeys(
    opts,
    [
      'host',
      'match_fields',
      'match_pids',
      'match_source',
      'match_source_index',
      'match_short_id',
      'cleanup_timeout',
      'labels.dedot',
      'labels',
      'ssl',
    ],
    where,
  );
  const host = typeof opts.host === 'string' ? opts.host : 'unix:///var/run/docker.sock';
  const socket = host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
  const present = socket !== undefined && fs.existsSync(socket);
  return {
    kind: 'add_docker_metadata',
    run: () => (present ? `docker metadata lookups are not supported (socket ${socket} present)` : true),
  };
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux everywhere). */
const USER_HZ = 100;

/** Boot time in ms since the epoch (/proc/stat btime). */
function bootTimeMs(procRoot: string): number | undefined {
  try {
    const m = /^btime (\d+)$/m.exec(fs.readFileSync(path.join(procRoot, 'stat'), 'utf8'));
    return m ? Number(m[1]) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** process.* of a pid from /proc: name, title, executable, args, pid, parent.pid, start, working_directory. */
export function processFields(pid: number, procRoot = '/proc'): Obj | undefined {
  const d = processDetails(pid, procRoot);
  if (d === undefined) return undefined;
  const out: Obj = { name: d.comm, pid, args: d.args, title: d.args.join(' ') };
  if (d.executable !== undefined) out.executable = d.executable;
  try {
    const stat = fs.readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8');
    // The name field may hold spaces and parentheses: fields are counted after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.parent = { pid: Number(rest[1]) };
    const boot = bootTimeMs(procRoot);
    if (boot !== undefined) out.start = new Date(boot + (Number(rest[19]) / USER_HZ) * 1000).toISOString();
  } catch {
    // The process ended between the reads: what was read stays.
  }
  try {
    out.working_directory = fs.readlinkSync(path.join(procRoot, String(pid), 'cwd'));
  } catch {
    // Another user's process: its cwd is not readable.
  }
  return out;
}

/**
 * `add_process_metadata: {match_pids: [process.pid], target: '', overwrite_keys, ignore_missing}`:
 * the first field holding a pid names the process whose facts are added under `<target>.process`.
 */
export function addProcessMetadata(opts: Obj, where: string, procRoot = '/proc'): Processor {
  checkKeys(
    opts,
    [
      'match_pids',
      'target',
      'include_fields',
      'overwrite_keys',
      'ignore_missing',
      'restricted_fields',
      'cgroup_prefixes',
      'host_path',
      'cache',
    ],
    where,
  );
  const pids = opts.match_pids;
  if (!Array.isArray(pids) || pids.length === 0 || !pids.every((p) => typeof p === 'string' && p))
    throw new ProcessorConfigError(`${where}.match_pids: expects a list of fields holding a pid`);
  const target = typeof opts.target === 'string' ? opts.target : '';
  const overwrite = flag(opts, 'overwrite_keys', false, where);
  const ignoreMissing = flag(opts, 'ignore_missing', true, where);
  const include = Array.isArray(opts.include_fields) ? (opts.include_fields as string[]) : undefined;
  const base = target === '' ? 'process' : `${target}.process`;
  return {
    kind: 'add_process_metadata',
    run: (e) => {
      const field = (pids as string[]).find((f) => getField(e, f) !== undefined);
      const pid = field === undefined ? undefined : Number(getField(e, field));
      if (pid === undefined || !Number.isInteger(pid) || pid <= 0)
        return ignoreMissing ? true : `none of the fields in match_pids found in the event`;
      const facts = processFields(pid, procRoot);
      if (facts === undefined) return `process ${pid} not found`;
      for (const [k, v] of Object.entries(facts)) {
        const name = `${base}.${k}`;
        if (
          include !== undefined &&
          !include.some((f) => name === f || name.startsWith(`${f}.`) || f === 'process')
        )
          continue;
        const cur = getField(e, name);
        if (cur !== undefined && !overwrite) {
          if (isObj(cur) && isObj(v))
            for (const [kk, vv] of Object.entries(v))
              if (getField(cur, kk) === undefined) setField(cur, kk, vv);
          continue;
        }
        setField(e, name, v);
      }
      return true;
    },
  };
}

/** Magic numbers of common binary formats. */
const MAGIC: Array<[number[], string]> = [
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'image/png'],
  [[0xff, 0xd8, 0xff], 'image/jpeg'],
  [[0x47, 0x49, 0x46, 0x38], 'image/gif'],
  [[0x25, 0x50, 0x44, 0x46, 0x2d], 'application/pdf'],
  [[0x50, 0x4b, 0x03, 0x04], 'application/zip'],
  [[0x1f, 0x8b], 'application/gzip'],
  [[0x52, 0x49, 0x46, 0x46], 'audio/wav'],
  [[0x00, 0x61, 0x73, 0x6d], 'application/wasm'],
];

/** The MIME type of content, by its first bytes (text is told apart as JSON, HTML, XML or plain). */
export function detectMimeType(content: string | Buffer): string | undefined {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  if (buf.length === 0) return undefined;
  for (const [magic, type] of MAGIC) if (magic.every((b, i) => buf[i] === b)) return type;
  const head = buf.subarray(0, 512);
  if (head.includes(0)) return 'application/octet-stream';
  const text = head.toString('utf8').trimStart();
  if (/^(<!doctype html|<html|<head|<body)/i.test(text)) return 'text/html; charset=utf-8';
  if (/^<\?xml/i.test(text)) return 'text/xml; charset=utf-8';
  if (/^[[{]/.test(text)) {
    try {
      JSON.parse(buf.toString('utf8'));
      return 'application/json';
    } catch {
      // Not JSON after all: plain text.
    }
  }
  return 'text/plain; charset=utf-8';
}

/** `detect_mime_type: {field, target}`: the type of a content field; an existing target is kept. */
export function detectMimeTypeProcessor(opts: Obj, where: string): Processor {
  checkKeys(opts, ['field', 'target'], where);
  if (typeof opts.field !== 'string' || typeof opts.target !== 'string' || !opts.field || !opts.target)
    throw new ProcessorConfigError(
      `${where}: expects field: <content field> and target: <field for the type>`,
    );
  const { field, target } = opts as { field: string; target: string };
  return {
    kind: 'detect_mime_type',
    run: (e) => {
      const v = getField(e, field);
      if (typeof v !== 'string' && !Buffer.isBuffer(v)) return true;
      if (getField(e, target) !== undefined) return `target field ${target} already exists`;
      const type = detectMimeType(v);
      if (type !== undefined) setField(e, target, type);
      return true;
    },
  };
}
