// A long line arriving one byte per TCP segment, through each of netbeat's analyzers in process:
// prints the CPU time per protocol and the stream buffers' search work per input byte. Linear
// parsing costs a few units of work per byte whatever the line's length; quadratic grew with it.
const { PluginDriver } = require('@wirebeat/testing');
const streambuf = require('@wirebeat/streambuf');
const streamScanWork = streambuf.streamScanWork ?? (() => NaN);
const { echoProtocol } = require('@wirebeat/protocol-echo');
const { httpProtocol } = require('@wirebeat/protocol-http');
const { redisProtocol } = require('@wirebeat/protocol-redis');

const SIZE = Number(process.env.SEGMENT_BENCH_BYTES || 100_000);

/** The request whose long line is fed byte by byte, for each protocol. */
const cases = [
  ['echo', echoProtocol, {}, () => 'x'.repeat(SIZE) + '\n'],
  ['http', httpProtocol, {}, () => `GET /${'a'.repeat(SIZE)} HTTP/1.1\r\nHost: h\r\n\r\n`],
  // An inline command (a line): Redis keeps lines up to 64 KiB.
  ['redis', redisProtocol, {}, () => `GET ${'k'.repeat(Math.min(SIZE, 60_000))}\r\n`],
];

for (const [name, module, config, request] of cases) {
  const bytes = Buffer.from(request(), 'latin1');
  const driver = new PluginDriver(module, config, { poisonPayloads: false });
  const work0 = streamScanWork();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < bytes.length; i++) driver.data(0, bytes.subarray(i, i + 1));
  const cpu = process.cpuUsage(cpu0);
  const work = streamScanWork() - work0;
  driver.close();
  const ms = (cpu.user + cpu.system) / 1000;
  console.log(
    `${name}: ${bytes.length} bytes in 1-byte segments: ${ms.toFixed(0)} ms CPU, ` +
      `${(work / bytes.length).toFixed(2)} search steps per byte, ${driver.events.length} event(s)`,
  );
}
