#!/usr/bin/env node
// Replays a capture through the built protocol and prints one JSON event per line:
//   npm run replay -- capture.pcap [port ...]
// Ports default to the protocol's default ports.
const { replayCaptureDetailed } = require('@wirebeat/testing');
const { templateProtocol } = require('../dist');

async function main() {
  const [file, ...portArgs] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: npm run replay -- <capture.pcap|pcapng> [port ...]\n');
    return 2;
  }
  const ports = portArgs.map(Number);
  if (ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) {
    process.stderr.write(`replay: invalid port in ${portArgs.join(' ')}\n`);
    return 2;
  }
  const config =
    ports.length > 0
      ? { ports, send_request: true, send_response: true }
      : { send_request: true, send_response: true };
  const result = await replayCaptureDetailed(file, [{ module: templateProtocol, config }]);
  for (const event of result.events) process.stdout.write(JSON.stringify(event.fields) + '\n');
  for (const warning of result.warnings) process.stderr.write(`replay: ${warning.message}\n`);
  process.stderr.write(`replay: ${result.events.length} events\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`replay: ${err.message}\n`);
    process.exitCode = 1;
  },
);
