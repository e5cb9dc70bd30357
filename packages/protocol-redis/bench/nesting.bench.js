// A Redis reply that opens arrays (`*1`) and never closes them, 150 MB of them, fed in 64 KiB
// segments to the analyzer in process: prints CPU time and peak RSS (nesting beyond 64 levels is
// counted in runs, so memory must not grow with the depth).
const path = require('path');

const ROOT = path.resolve(__dirname, '../../..');
const { PluginDriver } = require(path.join(ROOT, 'packages/testing/dist'));
const { redisProtocol } = require(path.join(ROOT, 'packages/protocol-redis/dist'));

const MB = Number(process.env.NESTING_MB || 150);
const segment = Buffer.from('*1\r\n'.repeat(16 * 1024));
const driver = new PluginDriver(redisProtocol, {}, { poisonPayloads: false });
driver.data(0, '*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
const cpu0 = process.cpuUsage();
let peak = process.memoryUsage().rss;
const segments = Math.ceil((MB * 1024 * 1024) / segment.length);
for (let i = 0; i < segments; i++) {
  driver.data(1, segment);
  if (i % 64 === 0) peak = Math.max(peak, process.memoryUsage().rss);
}
driver.data(1, ':1\r\n');
driver.close();
const cpu = process.cpuUsage(cpu0);
peak = Math.max(peak, process.memoryUsage().rss);
console.log(
  `redis reply nested ${MB} MB deep (${segments * 16384} levels): ${driver.events.length} event(s), ` +
    `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU, peak RSS ${(peak / 1048576).toFixed(0)} MB`,
);
