// Small helpers the benchmarks share for repeated runs: medians, the machine's load beside every
// figure (a loaded machine makes wall times meaningless, so every line says how loaded it was) and
// tcpdump's wall time on the same file as the yardstick.
const os = require('os');
const { spawnSync } = require('child_process');

/** The median of a list of numbers. */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `load 1.23/1.10` (1- and 5-minute load averages) and the core count, for the figure's line. */
function loadNote() {
  const [l1, l5] = os.loadavg();
  return `load ${l1.toFixed(2)}/${l5.toFixed(2)} on ${os.cpus().length} cores`;
}

/** Wall time in ms of one run of a command (stdout and stderr discarded); throws when it fails. */
function timeCommand(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${String(r.stderr).slice(0, 300)}`);
  return ms;
}

/** Median wall time in ms of `runs` runs of `tcpdump -r FILE -w /dev/null`. */
function medianTcpdump(file, runs = 3) {
  const ms = [];
  for (let i = 0; i < runs; i++) ms.push(timeCommand('tcpdump', ['-r', file, '-w', '/dev/null']));
  return median(ms);
}

module.exports = { median, loadNote, timeCommand, medianTcpdump };
