// An engine worker thread (started by engine-worker.ts): one Engine over the frames of the flows sharded to it. Events
// are collected while a batch is processed and posted back with it, in publication order, so the
// events of a connection keep their order.
import { parentPort, workerData } from 'worker_threads';
import type { Logger } from '@wirebeat/applayer';
import { Engine } from './engine';
import { readFrameBatch } from './frame-batch';
import { loadProtocol } from './protocol-locator';
import { WireEventWriter } from './wire-event';
import type { EventStage, FromWorker, StageSetup, ToWorker, WorkerSetup } from './worker-protocol';

const port = parentPort;
if (port === null) throw new Error('engine-worker runs as a worker thread');

function post(m: FromWorker, transfer?: ArrayBuffer[]): void {
  port!.postMessage(m, transfer);
}

/** Log records go to the main thread's logger (arguments that cannot be cloned become text). */
function forward(level: 'debug' | 'info' | 'warn' | 'error') {
  return (...args: unknown[]) => {
    try {
      post({ t: 'log', level, args });
    } catch {
      post({ t: 'log', level, args: args.map((a) => (typeof a === 'object' ? JSON.stringify(a) : a)) });
    }
  };
}
const logger: Logger = {
  debug: forward('debug'),
  info: forward('info'),
  warn: forward('warn'),
  error: forward('error'),
};

/** The default stage: the events themselves, laid out by column. */
function wireStage(): EventStage {
  const writer = new WireEventWriter();
  return {
    add: (e) => writer.add(e),
    take: () => {
      const batch = writer.take();
      return {
        payload: batch,
        transfer: [batch.ts.buffer, batch.flags.buffer, batch.tuple.buffer] as ArrayBuffer[],
      };
    },
  };
}

/** Loads the stage the beat asked for (a file chosen at run time: a static import cannot name it). */
function loadStage(s: StageSetup): EventStage {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const make = (require(s.file) as Record<string, unknown>)[s.exportName];
  if (typeof make !== 'function') throw new Error(`${s.file} does not export ${s.exportName}`);
  return (make as (config: unknown) => EventStage)(s.config);
}

let events: EventStage;
/** Continues a gradual finish waiting for the main thread. */
let resume: (() => void) | undefined;
let engine: Engine;
try {
  const setup = workerData as WorkerSetup;
  events = setup.stage === undefined ? wireStage() : loadStage(setup.stage);
  engine = new Engine({
    protocols: setup.protocols.map((p) => ({ module: loadProtocol(p.location), config: p.config })),
    publish: (e) => events.add(e),
    logger,
    ...(setup.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: setup.idleTimeoutMs }),
    ...(setup.udpIdleTimeoutMs === undefined ? {} : { udpIdleTimeoutMs: setup.udpIdleTimeoutMs }),
    ...(setup.flows === undefined ? {} : { flows: setup.flows }),
    memoryBudgetBytes: setup.memoryBudgetBytes,
  });
  post({ t: 'ready' });
} catch (err) {
  post({ t: 'failed', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}

/** Posts a reply with the events published since the last one; their buffers are transferred. */
function reply(t: 'done' | 'advanced' | 'progress' | 'finished'): void {
  const { payload, transfer } = events.take();
  post({ t, events: payload, counters: engine.counters() }, transfer);
}

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'frames':
      // The packet clock moves to where it was, over every flow, before each frame: timeouts then
      // fire as they would in one engine that saw all frames.
      readFrameBatch(m.buffer, m.length, (frame, clock) => {
        engine.advanceTime(clock);
        engine.processFrame(frame);
      });
      reply('done');
      break;
    case 'advance':
      engine.advanceTime(m.now);
      reply('advanced');
      break;
    case 'finish':
      engine.finish(m.reason);
      reply('finished');
      break;
    case 'finishGradually': {
      // After each batch of closed connections its events go to the main thread, which says when
      // its output has room for more ('resume'): the flush's memory stays bounded, as on one thread.
      let waiting = false;
      void engine
        .finishGradually(m.reason, {
          mustWait: () => (waiting = !waiting),
          waitForSpace: () =>
            new Promise<void>((resolve) => {
              resume = resolve;
              reply('progress');
            }),
          batch: m.batch,
          deadline: m.deadline,
        })
        .then(() => reply('finished'));
      break;
    }
    case 'resume':
      resume?.();
      resume = undefined;
      break;
  }
});
