// ECS agent.*: which beat produced an event. The id survives restarts (path.data/meta.json, as
// Beats keeps it); the ephemeral id is new for every run.
import type * as Crypto from 'crypto';
import fs from 'fs';
import path from 'path';

/** ECS `agent` as published. */
export interface AgentInfo {
  type: string;
  version: string;
  name: string;
  id: string;
  ephemeral_id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The beat's persistent id: read from `<dataDir>/meta.json`, or created there. When the directory
 * cannot be written, `onWarning` is told and the id lasts for this run only.
 */
export function persistentAgentId(dataDir: string, onWarning: (msg: string) => void): string {
  const file = path.join(dataDir, 'meta.json');
  try {
    const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as { uuid?: unknown };
    if (typeof meta.uuid === 'string' && UUID.test(meta.uuid)) return meta.uuid;
    onWarning(`${file} has no valid uuid: a new agent id is written`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onWarning(`cannot read ${file}: ${String(err)}`);
  }
  const uuid = randomUUID();
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o750 });
    // Written aside and renamed so that a crash never leaves a half-written file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ uuid, first_start: new Date().toISOString() }) + '\n', {
      mode: 0o600,
    });
    fs.renameSync(tmp, file);
  } catch (err) {
    onWarning(`cannot write ${file} (${(err as Error).message}): the agent id lasts for this run only`);
  }
  return uuid;
}

/**
 * A random (version 4) UUID. The bytes come from the kernel's /dev/urandom when there is one (as
 * Node's crypto would give them), which spares every start loading the crypto module (~2 ms).
 */
export function randomUUID(): string {
  const b = Buffer.alloc(16);
  try {
    const fd = fs.openSync('/dev/urandom', 'r');
    try {
      if (fs.readSync(fd, b, 0, 16, null) !== 16) throw new Error('short read');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- only where /dev/urandom is missing
    (require('crypto') as typeof Crypto).randomFillSync(b);
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** agent.* for a run of the beat `type` at `version`. */
export function agentInfo(type: string, version: string, name: string, id: string): AgentInfo {
  return { type, version, name, id, ephemeral_id: randomUUID() };
}
