// HTTP analyzer on a synthetic capture of 200,000 transactions (20,000 connections x 10), through
// the pipeline a beat runs (PcapReader -> TcpReassembler -> dispatcher -> http -> event JSON), side
// by side with tcpdump reading and writing the same file in the same run.
const { replayCaptureDetailed } = require('@wirebeat/testing');
const { httpProtocol } = require('../dist/index.js');
const { timeTcpdump } = require('../../../scripts/synthetic-capture.js');
const { ensureHttpCapture } = require('./exchanges.js');
const { reportReplay } = require('./report.js');

async function main() {
  const file = ensureHttpCapture();
  await reportReplay('http', file, timeTcpdump(file), () =>
    replayCaptureDetailed(file, [{ module: httpProtocol, config: {} }]),
  );
}

main().catch((err) => {
  console.error(`http replay.bench: ${err.message}`);
  process.exit(1);
});
