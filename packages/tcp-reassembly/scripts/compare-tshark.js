#!/usr/bin/env node
// Compares the streams @wirebeat/tcp-reassembly delivers with Wireshark's "Follow TCP Stream":
// every stream of a capture is reassembled by the library and by `tshark -q -z follow,tcp,raw,N`,
// and the bytes of each direction are compared. Bytes the capture lacks are skipped by both (tshark
// leaves them out of raw output; the library reports them as gaps).
//
// Usage: node scripts/compare-tshark.js [--json] CAPTURE...   (needs `npx tsc -b` and tshark)
// Prints one line per stream (identical / different) and a summary; exits 1 when a stream differs,
// 2 when tshark or the capture cannot be read.
const { spawnSync } = require('child_process');
const path = require('path');

const BATCH = 64;

/** Reassembles every connection of `file` with the library: [{client, server, bytes: [c2s, s2c], gapBytes}]. */
async function libraryStreams(file) {
  const { PcapReader, TcpReassembler } = require(path.join(__dirname, '..', 'dist', 'index.js'));
  const conns = [];
  const byId = new Map();
  const consumer = {
    onConnectionOpen(conn) {
      const c = {
        client: endpoint(conn.clientIp, conn.clientPort),
        server: endpoint(conn.serverIp, conn.serverPort),
        chunks: [[], []],
        gapBytes: 0,
      };
      conns.push(c);
      byId.set(conn.id, c);
    },
    onData(conn, dir, data) {
      byId.get(conn.id).chunks[dir].push(Buffer.from(data));
    },
    onGap(conn, _dir, n) {
      byId.get(conn.id).gapBytes += n;
    },
    onFin() {},
    onConnectionClose() {},
  };
  const r = new TcpReassembler(consumer);
  const reader = PcapReader.open(file);
  await reader.forEach((f) => r.processFrame(f));
  r.closeAll();
  return conns.map((c) => ({ ...c, bytes: c.chunks.map((x) => Buffer.concat(x)), chunks: undefined }));
}

function endpoint(ip, port) {
  return `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
}

function tshark(args) {
  const r = spawnSync('tshark', args, { encoding: 'latin1', maxBuffer: 1 << 30 });
  if (r.error) throw new Error(`cannot run tshark: ${r.error.message}`);
  // tshark exits non-zero on a damaged capture but still prints what it read before the damage.
  if (r.status !== 0 && r.stdout.trim() === '')
    throw new Error(`tshark ${args.join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
  return r.stdout;
}

/** tshark's streams of `file`: [{index, nodes: [a, b], bytes: [fromA, fromB]}]. */
function tsharkStreams(file) {
  const ids = new Set();
  for (const line of tshark(['-r', file, '-T', 'fields', '-e', 'tcp.stream']).split('\n')) {
    if (line.trim() !== '') ids.add(Number(line));
  }
  const streams = [];
  const sorted = [...ids].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i += BATCH) {
    const args = ['-r', file, '-q'];
    for (const id of sorted.slice(i, i + BATCH)) args.push('-z', `follow,tcp,raw,${id}`);
    streams.push(...parseFollow(tshark(args)));
  }
  return streams.sort((a, b) => a.index - b.index);
}

/** Parses the sections of `-z follow,tcp,raw,N` output (lines of node 1 start with a tab). */
function parseFollow(out) {
  const streams = [];
  let cur;
  for (const line of out.split('\n')) {
    let m;
    if ((m = /^Filter: tcp\.stream eq (\d+)/.exec(line))) {
      cur = { index: Number(m[1]), nodes: [], hex: [[], []] };
      streams.push(cur);
    } else if (cur && (m = /^Node ([01]): (.*)$/.exec(line))) {
      cur.nodes[Number(m[1])] = m[2];
    } else if (cur && /^\t?[0-9a-f]+$/.test(line)) {
      const dir = line.startsWith('\t') ? 1 : 0;
      cur.hex[dir].push(line.trim());
    }
  }
  return streams.map((s) => ({
    index: s.index,
    nodes: s.nodes,
    bytes: s.hex.map((h) => Buffer.from(h.join(''), 'hex')),
  }));
}

/** Compares library and tshark streams of one capture; returns per-stream results. */
async function compareCapture(file) {
  const lib = await libraryStreams(file);
  const ref = tsharkStreams(file);
  const used = new Set();
  const results = [];
  for (const t of ref) {
    const [a, b] = t.nodes;
    const i = lib.findIndex(
      (c, k) => !used.has(k) && ((c.client === a && c.server === b) || (c.client === b && c.server === a)),
    );
    const empty = t.bytes[0].length + t.bytes[1].length === 0;
    if (i < 0) {
      // tshark numbers every tuple, also those of stray ACKs or RSTs the library opens nothing for.
      results.push({
        stream: t.index,
        nodes: t.nodes,
        identical: empty,
        note: empty ? 'no payload' : 'missing in library',
      });
      continue;
    }
    used.add(i);
    const c = lib[i];
    const fromA = c.client === a ? c.bytes[0] : c.bytes[1];
    const fromB = c.client === a ? c.bytes[1] : c.bytes[0];
    const same = fromA.equals(t.bytes[0]) && fromB.equals(t.bytes[1]);
    results.push({
      stream: t.index,
      nodes: t.nodes,
      identical: same,
      note: same
        ? `${fromA.length}+${fromB.length} bytes${c.gapBytes ? `, ${c.gapBytes} missing` : ''}`
        : `library ${fromA.length}+${fromB.length} bytes, tshark ${t.bytes[0].length}+${t.bytes[1].length}` +
          `, first difference at ${firstDifference(fromA, t.bytes[0])}/${firstDifference(fromB, t.bytes[1])}`,
    });
  }
  lib.forEach((c, k) => {
    if (used.has(k) || c.bytes[0].length + c.bytes[1].length === 0) return;
    results.push({
      stream: -1,
      nodes: [c.client, c.server],
      identical: false,
      note: 'extra connection in library',
    });
  });
  return results;
}

function firstDifference(x, y) {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return i;
  return x.length === y.length ? '-' : n;
}

async function main() {
  const args = process.argv.slice(2);
  const json = args[0] === '--json';
  const files = json ? args.slice(1) : args;
  if (files.length === 0) {
    console.error('usage: compare-tshark.js [--json] CAPTURE...');
    process.exit(2);
  }
  let different = 0;
  const report = {};
  for (const file of files) {
    const results = await compareCapture(file);
    report[file] = results;
    for (const r of results) {
      if (!r.identical) different++;
      if (!json) {
        const name = r.stream >= 0 ? `stream ${r.stream}` : 'no stream';
        console.log(
          `${file} ${name} ${r.nodes.join(' <-> ')}: ${r.identical ? 'identical' : 'different'} (${r.note})`,
        );
      }
    }
    if (!json) {
      const same = results.filter((r) => r.identical).length;
      console.log(`${file}: ${same} of ${results.length} streams identical`);
    }
  }
  if (json) console.log(JSON.stringify(report));
  process.exit(different > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(`compare-tshark: ${err.message}`);
  process.exit(2);
});
