// The synthetic DNS capture of the benchmark: 20,000 UDP flows (client ports) of 10 queries each,
// 200 flows open at a time, interleaved packet by packet 1 ms apart, over Ethernet; 200,000
// transactions in all. Answers of several types (A, AAAA, MX, TXT, CNAME+A) and an NXDOMAIN now
// and then, names compressed as servers write them. Written once under <repo>/.cache/bench/.
const fs = require('fs');
const path = require('path');
const { PcapWriter, LinkType, buildUdpFrame } = require('../../tcp-reassembly/dist/index.js');
const { CACHE_DIR } = require('../../tcp-reassembly/bench/synthetic.js');

const START_MS = Date.UTC(2026, 0, 1);
const CLIENT = '10.1.0.2';
const SERVER = '10.1.0.1';

const u16 = (n) => [(n >> 8) & 255, n & 255];
const u32 = (n) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const name = (n) => [...n.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]), 0];
/** A pointer to the question's name (offset 12). */
const QNAME = [0xc0, 12];
const rr = (owner, type, ttl, rdata) => [
  ...owner,
  ...u16(type),
  ...u16(1),
  ...u32(ttl),
  ...u16(rdata.length),
  ...rdata,
];
const opt = [0, ...u16(41), ...u16(1232), ...u32(0), ...u16(0)];

/** A message: header, one question, answers, authorities, and an OPT record. */
function message(id, flags, qname, qtype, answers, authorities = []) {
  const head = [
    ...u16(id),
    ...u16(flags),
    ...u16(1),
    ...u16(answers.length),
    ...u16(authorities.length),
    ...u16(1),
  ];
  return Buffer.from([
    ...head,
    ...name(qname),
    ...u16(qtype),
    ...u16(1),
    ...answers.flat(),
    ...authorities.flat(),
    ...opt,
  ]);
}

/** Query and answer of exchange k of flow c. */
function dnsExchange(c, k) {
  const id = (c * 10 + k) & 0xffff;
  const host = `host${c % 500}.zone${c % 37}.example`;
  switch (k % 5) {
    case 0:
      return [
        message(id, 0x0100, host, 1, []),
        message(id, 0x8180, host, 1, [
          rr(QNAME, 1, 300, [192, 0, 2, c & 255]),
          rr(QNAME, 1, 300, [192, 0, 2, k]),
        ]),
      ];
    case 1:
      return [
        message(id, 0x0100, host, 28, []),
        message(id, 0x8180, host, 28, [
          rr(QNAME, 28, 300, [0x20, 1, 0x0d, 0xb8, ...Array(11).fill(0), c & 255]),
        ]),
      ];
    case 2:
      return [
        message(id, 0x0100, `zone${c % 37}.example`, 15, []),
        message(id, 0x8180, `zone${c % 37}.example`, 15, [
          rr(QNAME, 15, 3600, [0, 10, 4, ...Buffer.from('mail'), 0xc0, 12]),
        ]),
      ];
    case 3:
      return [
        message(id, 0x0100, `www.${host}`, 1, []),
        message(id, 0x8180, `www.${host}`, 1, [
          rr(QNAME, 5, 60, [0xc0, 16]),
          rr([0xc0, 16], 1, 60, [198, 51, 100, k]),
        ]),
      ];
    default: {
      const soa = [
        ...name('ns1.example'),
        ...name('hostmaster.example'),
        ...u32(1),
        ...u32(3600),
        ...u32(600),
        ...u32(86400),
        ...u32(300),
      ];
      return [
        message(id, 0x0100, `missing${k}.${host}`, 1, []),
        message(id, 0x8183, `missing${k}.${host}`, 1, [], [rr(name('example'), 6, 300, soa)]),
      ];
    }
  }
}

/** The path of the synthetic DNS capture (generated on first use). */
function ensureDnsCapture({ flows = 20000, queries = 10, concurrent = 200 } = {}) {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const file = path.join(CACHE_DIR, `dns-v1-f${flows}-q${queries}-k${concurrent}.pcap`);
  if (fs.existsSync(file)) return file;
  const tmp = `${file}.${process.pid}.tmp`;
  const w = PcapWriter.create(tmp, LinkType.ETHERNET, 65535);
  const active = [];
  let next = 0;
  let ts = START_MS;
  // Each flow: query, answer, query, answer ... from its own client port.
  function* flow(c) {
    const port = 20000 + (c % 40000);
    for (let k = 0; k < queries; k++) {
      const [q, a] = dnsExchange(c, k);
      yield { src: CLIENT, dst: SERVER, srcPort: port, dstPort: 53, payload: q };
      yield { src: SERVER, dst: CLIENT, srcPort: 53, dstPort: port, payload: a };
    }
  }
  while (next < flows && active.length < concurrent) active.push(flow(next++));
  let i = 0;
  while (active.length > 0) {
    if (i >= active.length) i = 0;
    const r = active[i].next();
    if (r.done) {
      if (next < flows) active[i] = flow(next++);
      else active.splice(i, 1);
      continue;
    }
    w.writePacket(ts, buildUdpFrame(r.value));
    ts += 1;
    i++;
  }
  w.close();
  fs.renameSync(tmp, file);
  return file;
}

module.exports = { ensureDnsCapture, dnsExchange };
