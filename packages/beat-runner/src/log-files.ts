// libbeat's `logging.files`: log lines go to <path>/<name>.ndjson, rotated by size. The current
// file is <name>.ndjson, older ones <name>.1.ndjson (newest) up to keepfiles in all; files are
// created with `permissions` (0600 by default). Writes are synchronous so nothing is lost at exit.
import fs from 'fs';
import path from 'path';

/** Options of {@link RotatingLogFile}. */
export interface RotatingLogFileOptions {
  dir: string;
  name: string;
  /** Rotate before a write would take the file past this size (default 10 MiB). */
  rotateEveryBytes: number;
  /** Files kept, the current one included (2..1024). */
  keepFiles: number;
  /** Mode of created files (default 0o600). */
  permissions: number;
  /** Rotate an existing file at start (libbeat's rotateonstartup, default true). */
  rotateOnStartup: boolean;
}

/** A size-rotated log file; `write` takes whole lines (pino's destination interface). */
export class RotatingLogFile {
  private fd: number;
  private size: number;

  constructor(private readonly o: RotatingLogFileOptions) {
    fs.mkdirSync(o.dir, { recursive: true, mode: 0o750 });
    if (o.rotateOnStartup && fs.existsSync(this.file(0)) && fs.statSync(this.file(0)).size > 0) this.shift();
    this.fd = this.open();
    this.size = fs.fstatSync(this.fd).size;
  }

  /** The path of file `i` (0: the current one). */
  file(i: number): string {
    return path.join(this.o.dir, i === 0 ? `${this.o.name}.ndjson` : `${this.o.name}.${i}.ndjson`);
  }

  /** Appends one or more whole lines, rotating first when they would not fit. */
  write(text: string): boolean {
    const bytes = Buffer.byteLength(text);
    if (this.size > 0 && this.size + bytes > this.o.rotateEveryBytes) this.rotate();
    fs.writeSync(this.fd, text);
    this.size += bytes;
    return true;
  }

  /** Closes the current file. */
  close(): void {
    fs.closeSync(this.fd);
  }

  private open(): number {
    const fd = fs.openSync(this.file(0), 'a', this.o.permissions);
    // The mode of openSync is masked by the umask; the configured permissions are what is asked.
    fs.fchmodSync(fd, this.o.permissions);
    return fd;
  }

  private rotate(): void {
    fs.closeSync(this.fd);
    this.shift();
    this.fd = this.open();
    this.size = 0;
  }

  /** current -> .1 -> .2 ...; the file past keepfiles is removed. */
  private shift(): void {
    const last = this.o.keepFiles - 1;
    fs.rmSync(this.file(last), { force: true });
    for (let i = last - 1; i >= 0; i--)
      if (fs.existsSync(this.file(i))) fs.renameSync(this.file(i), this.file(i + 1));
  }
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** One pino JSON line as libbeat's text format: time, level, [selector], message, then the rest as JSON. */
export function textLine(jsonLine: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine;
  }
  const { level, time, msg, selector, pid: _pid, name: _name, ...rest } = o;
  const parts = [
    new Date(typeof time === 'number' ? time : Date.now()).toISOString(),
    LEVEL_NAMES[level as number] ?? String(level),
    ...(selector !== undefined ? [`[${String(selector)}]`] : []),
    String(msg ?? ''),
  ];
  if (Object.keys(rest).length > 0) parts.push(JSON.stringify(rest));
  return parts.join('\t') + '\n';
}

/** A destination writing libbeat's text format to another destination. */
export function textDestination(inner: { write(s: string): unknown }): { write(s: string): boolean } {
  return {
    write: (s) => {
      for (const line of s.split('\n')) if (line !== '') inner.write(textLine(line));
      return true;
    },
  };
}
