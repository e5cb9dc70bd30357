// CPU seconds per thread of a running process, for the benchmarks that compare engine workers:
// /proc/<pid>/task/*/stat polled until the process ends (the last poll is at most POLL_MS before
// its exit). Which thread finishes last shows whether the work is balanced between them.
const fs = require('fs');

const POLL_MS = 20;
/** Clock ticks per second of /proc's utime and stime (100 on Linux). */
const TICKS = 100;

/** The pid whose threads count: `pid`'s only child when `pid` is a wrapper such as /usr/bin/time. */
function targetPid(pid, wrapped) {
  if (!wrapped) return pid;
  try {
    const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
    return kids[0] ? Number(kids[0]) : undefined;
  } catch {
    return undefined;
  }
}

/** user + system CPU seconds of each thread of `pid` now, by thread id. */
function threadCpu(pid) {
  const out = new Map();
  let tids;
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(f[11]) + Number(f[12])) / TICKS);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/**
 * Starts polling the threads of `pid` (of its child when `wrapped`); stop() returns the main
 * thread's CPU seconds and the busiest other thread's (with engine workers, a worker's).
 */
function watchThreads(pid, wrapped) {
  const last = new Map();
  let target;
  const poll = () => {
    target ??= targetPid(pid, wrapped);
    if (target !== undefined) for (const [tid, s] of threadCpu(target)) last.set(tid, s);
  };
  const timer = setInterval(poll, POLL_MS);
  return {
    stop() {
      clearInterval(timer);
      const main = target === undefined ? NaN : (last.get(target) ?? NaN);
      let busiestOther = 0;
      for (const [tid, s] of last) if (tid !== target && s > busiestOther) busiestOther = s;
      return { mainS: main, busiestOtherS: busiestOther };
    },
  };
}

module.exports = { watchThreads };
