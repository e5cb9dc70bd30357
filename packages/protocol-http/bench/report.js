// Times replays of a capture and prints them beside tcpdump's time on the same file.
const fs = require('fs');
const path = require('path');

const RUNS = Number(process.env.PROTOCOL_BENCH_RUNS || 3);

/** Runs `replay` RUNS times and prints the best against tcpdump's best (`tcpdumpMs`). */
async function reportReplay(protocol, file, tcpdumpMs, replay) {
  let best;
  for (let i = 0; i < RUNS; i++) {
    global.gc?.();
    const t0 = process.hrtime.bigint();
    const r = await replay();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    let bytes = 0;
    for (const e of r.events) bytes += e.json.length;
    if (!best || ms < best.ms) best = { ms, r, bytes };
  }
  const { ms, r, bytes } = best;
  const packets = r.reassembly.packets;
  const c = r.counters[protocol];
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(
    `capture: ${path.basename(file)} (${(fs.statSync(file).size / 1e6).toFixed(1)} MB, ${packets} packets)`,
  );
  console.log(
    `  tcpdump -r -w /dev/null : ${tcpdumpMs.toFixed(0).padStart(6)} ms  ${Math.round(
      packets / (tcpdumpMs / 1000),
    )
      .toLocaleString('en-US')
      .padStart(10)} packets/s`,
  );
  console.log(
    `  ${protocol.padEnd(5)} replay + events  : ${ms.toFixed(0).padStart(6)} ms  ${Math.round(
      packets / (ms / 1000),
    )
      .toLocaleString('en-US')
      .padStart(10)} packets/s  ` +
      `${Math.round(c.transactions / (ms / 1000)).toLocaleString('en-US')} transactions/s  (best of ${RUNS})`,
  );
  console.log(
    `  ratio ${protocol}/tcpdump: ${(ms / tcpdumpMs).toFixed(1)}x; ${c.transactions} transactions, ${c.errors} errors, ` +
      `${Math.round(bytes / r.events.length)} bytes/event, peak RSS ${rss.toFixed(0)} MB (events kept in memory)`,
  );
  if (c.transactions !== 200_000) throw new Error(`expected 200000 transactions, got ${c.transactions}`);
}

module.exports = { reportReplay };
