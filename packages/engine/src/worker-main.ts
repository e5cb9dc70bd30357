// An engine worker thread (started by engine-worker.ts): one Engine over the frames of the flows sharded to it. Events
// are collected while a batch is processed and posted back with it, in publication order, so the
// events of a connection keep their order.
import { parentPort, workerData } from 'worker_threads';
import type { Logger } from '@wirebeat/applayer';
import { Engine } from './engine';
import { flowShard } from './flow-shard';
import { readFrameBatch } from './frame-batch';
import { loadProtocol } from './protocol-locator';
import { WireEventWriter } from './wire-event';
import type {
  EventStage,
  FeedSetup,
  FeedSink,
  FrameFeed,
  FromWorker,
  PrestartSetup,
  StageSetup,
  ToWorker,
  WorkerSetup,
} from './worker-protocol';

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

/** Loads a module the beat named (a stage or a feed: a file chosen at run time, a static import cannot name it). */
function loadMade<T>(s: StageSetup): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const make = (require(s.file) as Record<string, unknown>)[s.exportName];
  if (typeof make !== 'function') throw new Error(`${s.file} does not export ${s.exportName}`);
  return (make as (config: unknown) => T)(s.config);
}

let events: EventStage;
/** Continues a gradual finish waiting for the main thread. */
let resume: (() => void) | undefined;
let engine: Engine;
/** The worker's setup: its workerData, or a prestarted worker's 'setup' message. */
let setup: WorkerSetup;

/** Builds the stage and the engine of `s` and says whether that worked (a failure ends the thread). */
function begin(s: WorkerSetup): void {
  setup = s;
  try {
    events = s.stage === undefined ? wireStage() : loadMade<EventStage>(s.stage);
    engine = new Engine({
      protocols: s.protocols.map((p) => ({ module: loadProtocol(p.location), config: p.config })),
      publish: (e) => events.add(e),
      logger,
      ...(s.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: s.idleTimeoutMs }),
      ...(s.udpIdleTimeoutMs === undefined ? {} : { udpIdleTimeoutMs: s.udpIdleTimeoutMs }),
      ...(s.flows === undefined ? {} : { flows: s.flows }),
      memoryBudgetBytes: s.memoryBudgetBytes,
      // The stage's additions written by the event builders, as a single-thread beat's are.
      ...(events.decoration === undefined ? {} : { decoration: events.decoration }),
    });
    post({ t: 'ready' });
  } catch (err) {
    post({ t: 'failed', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
}

// A prestarted worker waits for its setup message; the others have it now.
const data = workerData as WorkerSetup | PrestartSetup;
if (!('prestarted' in data)) begin(data);

/** Posts a reply with the events published since the last one; their buffers are transferred. */
function reply(t: 'done' | 'advanced' | 'progress' | 'finished'): void {
  const { payload, transfer } = events.take();
  post({ t, events: payload, counters: engine.counters() }, transfer);
}

/**
 * Feed batches (one per input chunk of 1 MiB) posted and not yet acknowledged beyond which the
 * worker's reading waits for the output. The main thread answers between its own chunks: with 2 a
 * worker waited for it 30 to 80 times per capture (5-13% of its reading, echo and HTTP captures);
 * with 8 almost never. The output's fill still gates every acknowledgement.
 */
const FEED_IN_FLIGHT = 8;
let feedInFlight = 0;
/** The reading's waits for an 'ack' (the chunk gate and a wait inside a chunk can both be waiting). */
let feedRoom: (() => void)[] = [];
let feed: FrameFeed | undefined;
let feedStopped = false;
/** Latest packet time of the input read by this worker. */
let feedClock = -Infinity;
/** Resolves once the worker's own input was read (at once without a feed): the finish waits for it. */
let feedDone: Promise<void> = Promise.resolve();

/** Lets the reading go on. */
function wakeFeed(): void {
  const waiting = feedRoom;
  feedRoom = [];
  for (const w of waiting) w();
}

/** Posts the events of the frames read since the last post; the reading waits while too many are unacknowledged. */
function postFed(): void {
  const { payload, transfer } = events.take();
  feedInFlight++;
  post({ t: 'fed-events', events: payload, counters: engine.counters() }, transfer);
}

/** Reads the input with the feed module, processing this worker's shard of the frames. */
async function runFeed(setup: FeedSetup): Promise<void> {
  let error: string | undefined;
  try {
    if (feedStopped) return;
    feed = loadMade<FrameFeed>(setup);
    const { shard, shards } = setup;
    const sink: FeedSink = {
      frame: (frame) => {
        // Other shards' frames only move the packet clock, as their processing would in one engine:
        // it reaches their time before this shard's next frame (and at the end of the input).
        if (flowShard(frame.data, frame.linktype, shards) !== shard) {
          if (frame.ts > feedClock) feedClock = frame.ts;
          return;
        }
        if (feedClock > -Infinity) engine.advanceTime(feedClock);
        engine.processFrame(frame);
      },
      // Asked between input chunks: where the chunk's events go to the main thread.
      get mustWait() {
        postFed();
        return feedInFlight >= FEED_IN_FLIGHT;
      },
      get full() {
        return feedInFlight >= FEED_IN_FLIGHT;
      },
      waitForSpace: () =>
        feedInFlight < FEED_IN_FLIGHT ? Promise.resolve() : new Promise<void>((r) => feedRoom.push(r)),
      ready: () => undefined,
    };
    await feed.run(sink);
    if (feedClock > -Infinity) engine.advanceTime(feedClock);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    const { payload, transfer } = events.take();
    post({ t: 'fed', events: payload, counters: engine.counters(), error }, transfer);
  }
}

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'setup':
      begin(m.setup);
      break;
    case 'start':
      if (setup.feed !== undefined) feedDone = runFeed(setup.feed);
      break;
    case 'ack':
      feedInFlight--;
      if (feedInFlight < FEED_IN_FLIGHT) wakeFeed();
      break;
    case 'stop':
      feedStopped = true;
      feed?.stop();
      wakeFeed();
      break;
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
      void feedDone.then(() => {
        engine.finish(m.reason);
        reply('finished');
      });
      break;
    case 'finishGradually': {
      // After each batch of closed connections its events go to the main thread, which says when
      // its output has room for more ('resume'): the flush's memory stays bounded, as on one thread.
      let waiting = false;
      void feedDone
        .then(() =>
          engine.finishGradually(m.reason, {
            mustWait: () => (waiting = !waiting),
            waitForSpace: () =>
              new Promise<void>((resolve) => {
                resume = resolve;
                reply('progress');
              }),
            batch: m.batch,
            deadline: m.deadline,
          }),
        )
        .then(() => reply('finished'));
      break;
    }
    case 'resume':
      resume?.();
      resume = undefined;
      break;
  }
});
