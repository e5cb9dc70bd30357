// memcache analyzer on a synthetic capture of 200,000 transactions (20,000 connections x 10, half
// text, half binary), through the pipeline a beat runs (PcapReader -> TcpReassembler -> dispatcher
// -> memcache -> event JSON), side by side with tcpdump reading and writing the same file.
const { replayCaptureDetailed } = require('@wirebeat/testing');
const { memcacheProtocol } = require('../dist/index.js');
const { timeTcpdump } = require('../../../scripts/synthetic-capture.js');
const { ensureMemcacheCapture } = require('./exchanges.js');
const { reportReplay } = require('../../protocol-http/bench/report.js');

async function main() {
  const file = ensureMemcacheCapture();
  await reportReplay('memcache', file, timeTcpdump(file), () =>
    replayCaptureDetailed(file, [{ module: memcacheProtocol, config: {} }]),
  );
}

main().catch((err) => {
  console.error(`memcache replay.bench: ${err.message}`);
  process.exit(1);
});
