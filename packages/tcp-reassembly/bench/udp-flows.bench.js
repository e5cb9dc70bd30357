// Benchmark: decode + UDP flow lookup of 1,000,000 datagrams (10,000 flows of 50 request/response
// pairs, IPv4, 40-byte payloads) with a consumer that keeps nothing, and of the same datagrams
// each cut into two IP fragments (every one put back together first). Prints datagrams/s.
const {
  DecodedPacket,
  DecodeStatus,
  IpDefragmenter,
  LinkType,
  UdpFlowTable,
  buildUdpFragments,
  buildUdpFrame,
  decodeFrame,
} = require('../dist/index.js');

const FLOWS = 10_000;
const PAIRS = 50;

/**
 * The frames of the capture, built once into one buffer (as a reader holds a capture: few live
 * objects, so that the garbage collector measures the code, not the fixture). Flows are
 * interleaved so that lookups do not hit a cache.
 */
function frames(fragmented) {
  const list = [];
  const payload = 'x'.repeat(40);
  for (let p = 0; p < PAIRS; p++) {
    for (let f = 0; f < FLOWS; f++) {
      const client = `10.${(f >> 16) & 255}.${(f >> 8) & 255}.${f & 255}`;
      const port = 1024 + (f % 60000);
      const q = { src: client, dst: '10.255.0.1', srcPort: port, dstPort: 53, payload, ipId: p };
      const r = { src: '10.255.0.1', dst: client, srcPort: 53, dstPort: port, payload, ipId: p };
      if (fragmented) list.push(...buildUdpFragments(q, 24), ...buildUdpFragments(r, 24));
      else list.push(buildUdpFrame(q), buildUdpFrame(r));
    }
  }
  const all = Buffer.concat(list);
  const ends = new Int32Array(list.length);
  let end = 0;
  list.forEach((f, i) => (ends[i] = end += f.length));
  return { bytes: new Uint8Array(all.buffer, all.byteOffset, all.length), ends };
}

function run(data) {
  let delivered = 0;
  const consumer = {
    onConnectionOpen() {},
    onData() {
      delivered++;
    },
    onConnectionClose() {},
  };
  const table = new UdpFlowTable(consumer, { isServerPort: (p) => p === 53 });
  const defrag = new IpDefragmenter();
  const pkt = new DecodedPacket();
  let ts = Date.UTC(2026, 0, 1);
  const t0 = process.hrtime.bigint();
  const { bytes, ends } = data;
  for (let i = 0, start = 0; i < ends.length; start = ends[i++]) {
    const frame = bytes.subarray(start, ends[i]);
    ts += 0.001;
    const st = decodeFrame(frame, LinkType.ETHERNET, pkt, frame.length);
    if (st === DecodeStatus.OK) table.datagram(pkt, frame, ts);
    else if (st === DecodeStatus.IP_FRAGMENT) {
      const whole = defrag.add(pkt, frame, ts);
      if (whole !== undefined && decodeFrame(whole, LinkType.RAW, pkt, whole.length) === DecodeStatus.OK)
        table.datagram(pkt, whole, ts);
    }
  }
  table.closeAll();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (delivered !== FLOWS * PAIRS * 2) throw new Error(`delivered ${delivered} datagrams`);
  return secs;
}

for (const fragmented of [false, true]) {
  const data = frames(fragmented);
  let best = Infinity;
  for (let i = 0; i < 3; i++) best = Math.min(best, run(data));
  const datagrams = FLOWS * PAIRS * 2;
  console.log(
    `tcp-reassembly udp flows${fragmented ? ' (each datagram in 2 IP fragments)' : ''}: ${datagrams.toLocaleString('en-US')} datagrams ` +
      `(${data.ends.length.toLocaleString('en-US')} frames) in ${best.toFixed(3)}s = ${Math.round(datagrams / best).toLocaleString('en-US')} datagrams/s (best of 3)`,
  );
}
