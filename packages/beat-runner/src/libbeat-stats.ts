// /stats and /state in libbeat's layout, so that Metricbeat's `beat` module (stats and state
// metricsets) and other tools reading Beats' endpoint work unchanged. Counters libbeat has no place
// for stay in wirebeat's own layout under the `wirebeat` key.
import fs from 'fs';
import os from 'os';
import type { BeatMetrics } from './beat';

/** What the layout needs besides the metrics. */
export interface LibbeatStatsContext {
  beat: string;
  name: string;
  version: string;
  uuid: string;
  ephemeral_id: string;
  /** The active output (`elasticsearch`, `file`, `console`). */
  output: string;
  /** queue.mem.events: the most events the queue holds. */
  queueMaxEvents: number;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Open file descriptors of this process (Linux /proc/self/fd); undefined elsewhere. */
function openHandles(): number | undefined {
  try {
    return fs.readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

/** `/stats`: beat.*, libbeat.pipeline.*, libbeat.output.*, system.*, and wirebeat.* (our counters). */
export function libbeatStats(m: BeatMetrics, ctx: LibbeatStatsContext): object {
  const p = m.publisher;
  const filtered = num(m.processors?.dropped);
  const cpu = process.cpuUsage();
  const userMs = Math.round(cpu.user / 1000);
  const systemMs = Math.round(cpu.system / 1000);
  const mem = process.memoryUsage();
  const handles = openHandles();
  const load = os.loadavg();
  const cores = os.cpus().length || 1;
  return {
    beat: {
      info: {
        ephemeral_id: ctx.ephemeral_id,
        name: ctx.beat,
        uptime: { ms: m.uptime_ms },
        version: ctx.version,
      },
      cpu: {
        user: { ticks: userMs, time: { ms: userMs } },
        system: { ticks: systemMs, time: { ms: systemMs } },
        total: { ticks: userMs + systemMs, time: { ms: userMs + systemMs }, value: userMs + systemMs },
      },
      memstats: {
        memory_alloc: mem.heapUsed,
        memory_total: mem.heapTotal,
        memory_sys: mem.rss,
        rss: mem.rss,
      },
      ...(handles !== undefined ? { handles: { open: handles } } : {}),
    },
    libbeat: {
      pipeline: {
        clients: 1,
        events: {
          total: num(p.published) + num(p.dropped) + filtered,
          published: num(p.published),
          filtered,
          dropped: num(p.dropped),
          failed: num(p.failed),
          retry: num(p.retried),
          active: num(p.queued),
        },
        queue: { acked: num(p.acked), max_events: ctx.queueMaxEvents },
      },
      output: {
        type: ctx.output,
        events: {
          total: num(p.acked) + num(p.failed) + num(p.queued),
          acked: num(p.acked),
          // libbeat: `failed` counts attempts that will be retried, `dropped` events given up.
          failed: num(p.retried),
          dropped: num(p.failed),
          active: num(p.queued),
        },
      },
    },
    system: {
      cpu: { cores },
      load: {
        '1': load[0],
        '5': load[1],
        '15': load[2],
        norm: { '1': load[0] / cores, '5': load[1] / cores, '15': load[2] / cores },
      },
    },
    wirebeat: m,
  };
}

/** `/state`: the beat, its host, output and queue as libbeat's state endpoint describes them. */
export function libbeatState(ctx: LibbeatStatsContext): object {
  return {
    beat: { name: ctx.name },
    host: {
      hostname: os.hostname(),
      architecture: os.arch(),
      os: { platform: os.platform(), kernel: os.release() },
    },
    management: { enabled: false },
    module: { count: 0, names: [] },
    output: { name: ctx.output },
    outputs: ctx.output === 'elasticsearch' ? { elasticsearch: { cluster_uuid: '' } } : {},
    queue: { name: 'mem' },
    service: { id: ctx.uuid, name: ctx.beat, version: ctx.version },
  };
}
