// Template analyzer throughput through the whole replay pipeline of @wirebeat/testing (pcap reader,
// TCP reassembly, dispatcher, plugin, events), on the synthetic echo capture (newline-delimited lines
// on port 3030), next to protocol-echo on the same file. The template's parser is what generated
// packages start from: it should not be slower than the hand-written echo analyzer.
const { ensureSyntheticCapture } = require('../../tcp-reassembly/bench/synthetic.js');
const { replayCaptureDetailed } = require('@wirebeat/testing');
const { templateProtocol } = require('../dist/index.js');
const { echoProtocol } = require('@wirebeat/protocol-echo');

const CONNECTIONS = 5000;
const PAIRS = 10;

async function measure(module) {
  const file = await ensureSyntheticCapture({ connections: CONNECTIONS, pairs: PAIRS });
  const start = process.hrtime.bigint();
  const result = await replayCaptureDetailed(file, [{ module, config: { ports: [3030] } }]);
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  const transactions = result.events.length;
  if (transactions !== CONNECTIONS * PAIRS)
    throw new Error(`${module.name}: expected ${CONNECTIONS * PAIRS} events, got ${transactions}`);
  return { secs, packets: Number(result.reassembly.packets), transactions };
}

async function main() {
  for (const module of [templateProtocol, echoProtocol]) {
    await measure(module); // warm-up
    const { secs, packets, transactions } = await measure(module);
    console.log(
      `${module.name} replay (reader+reassembly+dispatch+events, collected): ` +
        `${Math.round(packets / secs).toLocaleString('en-US')} packets/s, ` +
        `${Math.round(transactions / secs).toLocaleString('en-US')} transactions/s`,
    );
  }
  console.log('(target: the template within 10% of protocol-echo; both share the harness cost)');
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
