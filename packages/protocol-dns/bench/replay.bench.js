// DNS analyzer on a synthetic capture of 200,000 UDP transactions (20,000 flows x 10 queries),
// through the pipeline a beat runs (PcapReader -> decode -> UDP flows -> dispatcher -> dns -> event
// JSON), side by side with tcpdump reading and writing the same file in the same run.
const { replayCaptureDetailed } = require('@wirebeat/testing');
const { dnsProtocol } = require('../dist/index.js');
const { timeTcpdump } = require('../../../scripts/synthetic-capture.js');
const { ensureDnsCapture } = require('./exchanges.js');
const { reportReplay } = require('../../protocol-http/bench/report.js');

async function main() {
  const file = ensureDnsCapture();
  await reportReplay('dns', file, timeTcpdump(file), () =>
    replayCaptureDetailed(file, [{ module: dnsProtocol, config: {} }]),
  );
}

main().catch((err) => {
  console.error(`dns replay.bench: ${err.message}`);
  process.exit(1);
});
