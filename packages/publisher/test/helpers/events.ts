// Echo-like transaction events of realistic size, with deterministic ids.
import type { BatchResult, BeatEvent, Logger, Output } from '@wirebeat/publisher';

/** `n` echo transaction events starting at `startMs`, ids `<prefix>-<i>`. */
export function echoEvents(
  n: number,
  prefix: string,
  startMs = Date.UTC(2026, 10, 29, 12, 0, 0),
): BeatEvent[] {
  const events: BeatEvent[] = [];
  for (let i = 0; i < n; i++) {
    const ts = startMs + i;
    const clientIp = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const port = 32768 + (i % 28000);
    events.push({
      id: `${prefix}-${i}`,
      timestamp: ts,
      fields: {
        '@timestamp': new Date(ts).toISOString(),
        type: 'echo',
        status: i % 10 === 9 ? 'Error' : 'OK',
        responsetime: i % 7,
        source: { ip: clientIp, port, bytes: 48 },
        destination: { ip: '10.0.0.1', port: 3030, bytes: 48 },
        client: { ip: clientIp, port },
        server: { ip: '10.0.0.1', port: 3030 },
        network: {
          transport: 'tcp',
          protocol: 'echo',
          type: 'ipv4',
          bytes: 96,
          community_id: '1:abcdefghijklmnopqrstuvwxyz0=',
        },
        event: {
          kind: 'event',
          category: ['network'],
          type: ['connection', 'protocol'],
          dataset: 'echo',
          start: new Date(ts).toISOString(),
          end: new Date(ts + (i % 7)).toISOString(),
          duration: (i % 7) * 1_000_000,
          outcome: i % 10 === 9 ? 'failure' : 'success',
        },
        echo: { request_marker: '>' },
      },
    });
  }
  return events;
}

/** A logger that records what it is given, for assertions. */
export class RecordingLogger implements Logger {
  readonly lines: Array<{ level: string; text: string }> = [];
  debug(m: string | object, ...a: unknown[]): void {
    this.record('debug', m, a);
  }
  info(m: string | object, ...a: unknown[]): void {
    this.record('info', m, a);
  }
  warn(m: string | object, ...a: unknown[]): void {
    this.record('warn', m, a);
  }
  error(m: string | object, ...a: unknown[]): void {
    this.record('error', m, a);
  }
  /** Lines of a level whose text matches. */
  matching(level: string, re: RegExp): string[] {
    return this.lines.filter((l) => l.level === level && re.test(l.text)).map((l) => l.text);
  }
  private record(level: string, m: string | object, a: unknown[]): void {
    this.lines.push({
      level,
      text: [typeof m === 'string' ? m : JSON.stringify(m), ...a.map(String)].join(' '),
    });
  }
}

/** An output without blocks that keeps the batches it is given and acks them. */
export class BatchRecorder implements Output {
  readonly name = 'batches';
  readonly batches: BeatEvent[][] = [];
  async connect(): Promise<void> {}
  async publishBatch(batch: BeatEvent[]): Promise<BatchResult> {
    this.batches.push(batch);
    return { acked: batch.length, failed: 0, retry: [] };
  }
  async close(): Promise<void> {}
}
