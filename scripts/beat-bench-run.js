// One run of a built beat over a capture for the benchmarks: `<bin> -I FILE -t`, events to
// /dev/null; reports the wall time, the peak RSS (from /usr/bin/time when present) and the metrics
// line the beat logs at exit.
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const { watchThreads } = require('./thread-cpu.js');

const ROOT = path.resolve(__dirname, '..');

/**
 * Runs `bin` on `file`; resolves with { ms, metrics, maxRssMb, cpuS, threads } or rejects with the
 * beat's stderr. `threads` (main thread's and busiest other thread's CPU seconds) only when
 * `opts.threads` is set.
 */
function runBeatOnFile(bin, file, extraArgs = [], opts = {}) {
  const name = path.basename(bin, '.js');
  return new Promise((resolve, reject) => {
    const out = fs.openSync('/dev/null', 'w');
    const useTime = fs.existsSync('/usr/bin/time');
    const cmd = useTime ? '/usr/bin/time' : bin;
    const args = [
      ...(useTime ? ['-f', 'MAXRSS_KB=%M CPU_S=%U+%S', bin] : []),
      '-I',
      file,
      '-t',
      ...extraArgs,
    ];
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', out, 'pipe'], cwd: ROOT });
    const threads = opts.threads ? watchThreads(child.pid, useTime) : undefined;
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const perThread = threads?.stop();
      fs.closeSync(out);
      if (code !== 0) return reject(new Error(`${name} exited with ${code}: ${stderr.slice(0, 500)}`));
      const line = stderr.split('\n').find((l) => l.includes('"msg":"metrics at exit"'));
      if (!line) return reject(new Error(`no metrics line from ${name}: ${stderr.slice(0, 500)}`));
      const rss = /MAXRSS_KB=(\d+)/.exec(stderr);
      // CPU seconds (user + system, every thread): on a loaded machine a steadier figure than wall time.
      const cpu = /CPU_S=([\d.]+)\+([\d.]+)/.exec(stderr);
      resolve({
        ms,
        metrics: JSON.parse(line).metrics,
        maxRssMb: rss ? Number(rss[1]) / 1024 : NaN,
        cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN,
        ...(perThread && { threads: perThread }),
      });
    });
  });
}

module.exports = { runBeatOnFile };
