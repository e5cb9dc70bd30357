// Redis analyzer on a synthetic capture of 200,000 transactions (20,000 connections x 10), through
// the pipeline a beat runs (PcapReader -> TcpReassembler -> dispatcher -> redis -> event JSON), side
// by side with tcpdump reading and writing the same file in the same run.
const { replayCaptureDetailed } = require('@wirebeat/testing');
const { redisProtocol } = require('../dist/index.js');
const { timeTcpdump } = require('../../../scripts/synthetic-capture.js');
const { ensureRedisCapture } = require('./exchanges.js');
const { reportReplay } = require('../../protocol-http/bench/report.js');

async function main() {
  const file = ensureRedisCapture();
  await reportReplay('redis', file, timeTcpdump(file), () =>
    replayCaptureDetailed(file, [{ module: redisProtocol, config: {} }]),
  );
}

main().catch((err) => {
  console.error(`redis replay.bench: ${err.message}`);
  process.exit(1);
});
