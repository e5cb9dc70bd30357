// Echo transaction events shared by the publisher's benchmarks.
'use strict';

/** Echo transaction documents of realistic size (~650 bytes), deterministic ids. */
function makeEvents(n, round) {
  const start = Date.UTC(2026, 10, 29, 12);
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const ts = start + i;
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const port = 32768 + (i % 28000);
    out[i] = {
      id: `${round}-${i}`,
      timestamp: ts,
      fields: {
        '@timestamp': new Date(ts).toISOString(),
        type: 'echo',
        status: 'OK',
        responsetime: i % 7,
        bytes_in: 48,
        bytes_out: 48,
        source: { ip, port, bytes: 48 },
        destination: { ip: '10.0.0.1', port: 3030, bytes: 48 },
        client: { ip, port },
        server: { ip: '10.0.0.1', port: 3030 },
        network: {
          transport: 'tcp',
          protocol: 'echo',
          type: 'ipv4',
          bytes: 96,
          community_id: '1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=',
        },
        event: {
          kind: 'event',
          category: ['network'],
          type: ['connection', 'protocol'],
          dataset: 'echo',
          start: new Date(ts).toISOString(),
          end: new Date(ts + 1).toISOString(),
          duration: 1_000_000,
          outcome: 'success',
        },
        request: 'hello world, this is echo request number ' + i,
        response: 'hello world, this is echo request number ' + i,
      },
    };
  }
  return out;
}

module.exports = { makeEvents };
