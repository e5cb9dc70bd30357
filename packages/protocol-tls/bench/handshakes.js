// The handshakes of the synthetic benchmark capture, taken from the recorded fixture: each
// connection replays one real conversation of test/fixtures/tls.pcap segment by segment (TLS 1.2
// full, TLS 1.2 resumed, TLS 1.3 full, TLS 1.2 with a client certificate), three exchanges each
// (the handshake flights, then application data), on port 443, 20,000 connections in all.
const path = require('path');
const { tsharkTcpStreams } = require('@wirebeat/testing');
const { ensureExchangeCapture } = require('../../../scripts/synthetic-capture.js');

const FIXTURE = path.join(__dirname, '../test/fixtures/tls.pcap');
/** Streams of the fixture used: full 1.2, resumed 1.2, full 1.3, 1.2 with a client certificate. */
const STREAMS = [0, 1, 2, 6];
const PAIRS = 3;

/** The first PAIRS segments of each direction of the chosen streams (application data if fewer). */
function conversations() {
  const streams = tsharkTcpStreams(FIXTURE, [443, 8443, 9243, 995]);
  const filler = Buffer.from([23, 3, 3, 0, 4, 1, 2, 3, 4]);
  return STREAMS.map((n) => {
    const s = streams.find((x) => x.stream === n);
    const seg = (list, k) => (list[k] ? list[k].bytes : filler);
    return Array.from({ length: PAIRS }, (_, k) => [seg(s.toServer, k), seg(s.toClient, k)]);
  });
}

/** The synthetic TLS capture (generated on first use): one handshake per connection. */
function ensureTlsCapture() {
  let convs;
  return ensureExchangeCapture('tls-v1', {
    port: 443,
    pairs: PAIRS,
    exchange: (c, k) => (convs ??= conversations())[c % STREAMS.length][k],
  });
}

module.exports = { ensureTlsCapture, PAIRS };
