import type { StageSetup } from '@wirebeat/engine';
import type { Frame } from '@wirebeat/tcp-reassembly';

/** Receives the frames of a source; the frame and its data are only valid during the call. */
export interface FrameSink {
  /** Handles one frame. */
  frame(frame: Frame): void;
  /** True when the consumer wants the source to wait before the next frame (file replay backpressure). */
  readonly mustWait: boolean;
  /**
   * Cheap check asked after every frame of file replay (mustWait is asked between chunks): true
   * when the output is full, so that the source waits (waitForSpace) before the next frame.
   */
  readonly full?: boolean;
  /** Resolves when the consumer can take frames again. */
  waitForSpace(): Promise<void>;
  /** Called once the source delivers packets (a live capture is open), so readiness can be logged. */
  ready(): void;
}

/** What a source reports when it is done. */
export interface SourceSummary {
  frames: number;
  bytes: number;
  /** One-line descriptions of damage in the input (truncation, corrupt record); empty when clean. */
  damage: string[];
}

/** A packet source: a capture file or a live interface. */
export interface PacketSource {
  /** Delivers frames until the input ends or stop() is called. */
  run(sink: FrameSink): Promise<SourceSummary>;
  /** Ends run() soon (SIGINT/SIGTERM). */
  stop(): void;
  /** A short description for logs ("file pcaps/echo.pcap", "device lo"). */
  readonly description: string;
  /** True while the source holds packets back (waiting for room): their time is not now. */
  readonly holdsBack?: boolean;
  /**
   * How engine workers can read the same input themselves (a module making a FrameFeed); undefined
   * when they cannot (live capture, a pipe, paced replay): the main thread then hands them frames.
   */
  workerFeed?(): StageSetup | undefined;
}
