// `<beat> report -I capture.pcap -o report.html`: the dashboard's views over a whole capture, plus
// every Error transaction with the frames that carry it, written as one self-contained HTML file.
import fs from 'fs';
import type { Logger } from '@wirebeat/applayer';
import { Engine } from '@wirebeat/engine';
import type { ResolvedProtocol } from '../protocols/registry';
import { FileSource } from '../sources/file-source';
import { latencyBounds, TrafficAggregator } from './aggregator';
import { EventFactsReader } from './event-facts';
import { FrameLocator } from './frame-locator';
import { dashboardPage } from './page';
import type { DashboardSnapshot } from './snapshot';
import { ReportWriteError } from '../errors';

/** Options of {@link buildReport}. */
export interface ReportOptions {
  title: string;
  protocols: readonly ResolvedProtocol[];
  /** The capture file. */
  input: string;
  logger: Logger;
  idleTimeoutMs?: number;
  /** Error transactions listed at most (default 10,000). */
  maxErrors?: number;
}

/** What a report found, besides its page. */
export interface ReportResult {
  snapshot: DashboardSnapshot;
  /** Lines describing damage in the capture (truncation...). */
  damage: string[];
}

/** Replays a capture through the engine and aggregates every transaction into a snapshot. */
export async function buildReport(opts: ReportOptions): Promise<ReportResult> {
  const shown = opts.protocols.filter((p) => p.config.enabled).map((p) => p.module);
  const agg = new TrafficAggregator({ protocols: shown, maxErrors: opts.maxErrors ?? 10_000 });
  const reader = new EventFactsReader(shown);
  const locator = new FrameLocator();
  const engine = new Engine({
    protocols: opts.protocols,
    publish: (e) => {
      const facts = reader.read(e);
      if (facts !== undefined) agg.add(facts);
    },
    logger: opts.logger,
    idleTimeoutMs: opts.idleTimeoutMs,
  });
  const source = new FileSource({ path: opts.input, topSpeed: true });
  const summary = await source.run({
    frame: (f) => {
      locator.frame(f);
      engine.processFrame(f);
    },
    mustWait: false,
    waitForSpace: () => Promise.resolve(),
    ready: () => undefined,
  });
  engine.finish('eof');
  const views = agg.views();
  const errors = agg.errors();
  for (const row of errors.rows) {
    if (row.client !== undefined && row.server !== undefined)
      row.frames = locator.locate(row.client, row.server, row.ts, row.ts + (row.ms ?? 0));
  }
  const r = engine.counters().reassembly;
  const snapshot: DashboardSnapshot = {
    title: opts.title,
    source: 'report',
    ...views,
    bounds: latencyBounds(),
    health: {
      packets: summary.frames,
      captureLossBytes: r.gapBytes,
      gaps: r.gaps,
      connectionsOpen: r.connectionsOpened,
      outputErrors: 0,
    },
    errors: errors.rows,
    errorsOmitted: errors.omitted,
  };
  return { snapshot, damage: summary.damage };
}

/** Writes the report page; a path that cannot be written gives ReportWriteError. */
export function writeReport(file: string, snapshot: DashboardSnapshot): void {
  try {
    fs.writeFileSync(file, dashboardPage({ snapshot }));
  } catch (err) {
    throw new ReportWriteError(
      `cannot write the report ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`,
    );
  }
}
