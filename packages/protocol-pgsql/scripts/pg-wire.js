// A small PostgreSQL wire client for the recording script and the live test: writes frontend
// messages byte by byte (startup, Query, Parse/Bind/Describe/Execute/Sync pipelines, SSLRequest)
// and reads the server's messages, so that the extended protocol is exercised exactly as written.
const net = require('net');

/** A typed message (frontend or backend): type byte, length, body. */
function msg(type, ...parts) {
  const body = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const z = (s) => Buffer.from(`${s}\0`);
const i16 = (n) => Buffer.from([(n >> 8) & 255, n & 255]);
const i32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

/** Frontend messages. */
const fe = {
  startup: (params) =>
    (() => {
      const body = Buffer.concat([
        i32(196608),
        ...Object.entries(params).flatMap(([k, v]) => [z(k), z(v)]),
        Buffer.from([0]),
      ]);
      return Buffer.concat([i32(body.length + 4), body]);
    })(),
  sslRequest: () => Buffer.concat([i32(8), i32(80877103)]),
  gssencRequest: () => Buffer.concat([i32(8), i32(80877104)]),
  query: (sql) => msg('Q', z(sql)),
  parse: (name, sql) => msg('P', z(name), z(sql), i16(0)),
  bind: (portal, statement, params) =>
    msg(
      'B',
      z(portal),
      z(statement),
      i16(0),
      i16(params.length),
      ...params.flatMap((p) => (p === null ? [i32(-1)] : [i32(Buffer.byteLength(p)), Buffer.from(p)])),
      i16(0),
    ),
  describe: (kind, name) => msg('D', kind, z(name)),
  execute: (portal, maxRows = 0) => msg('E', z(portal), i32(maxRows)),
  close: (kind, name) => msg('C', kind, z(name)),
  sync: () => msg('S'),
  flush: () => msg('H'),
  terminate: () => msg('X'),
};

/** Connects and returns a client that sends bytes and reads backend messages. */
async function connect(host, port) {
  const sock = net.connect(port, host);
  await new Promise((r, j) => sock.once('connect', r).once('error', j));
  let buf = Buffer.alloc(0);
  let waiter;
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    if (waiter) waiter();
  });
  const closed = new Promise((r) => sock.once('close', r));
  sock.once('close', () => waiter && waiter());
  /** Waits until `n` bytes are buffered. */
  const need = (n) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (buf.length >= n) {
          waiter = undefined;
          resolve();
        } else if (sock.destroyed) reject(new Error('connection closed'));
      };
      waiter = check;
      check();
    });
  const client = {
    sock,
    send: (...bytes) => sock.write(Buffer.concat(bytes)),
    /** One byte (the answer to SSLRequest / GSSENCRequest). */
    byte: async () => {
      await need(1);
      const b = String.fromCharCode(buf[0]);
      buf = buf.subarray(1);
      return b;
    },
    /** The next backend message as { type, body }. */
    next: async () => {
      await need(5);
      const len = buf.readInt32BE(1);
      await need(len + 1);
      const m = { type: String.fromCharCode(buf[0]), body: buf.subarray(5, len + 1) };
      buf = buf.subarray(len + 1);
      return m;
    },
    /** Messages up to and including ReadyForQuery. */
    untilReady: async () => {
      const out = [];
      for (;;) {
        const m = await client.next();
        out.push(m);
        if (m.type === 'Z') return out;
      }
    },
    /** Startup with trust authentication; resolves after the first ReadyForQuery. */
    start: async (params) => {
      client.send(fe.startup(params));
      return client.untilReady();
    },
    end: async () => {
      sock.end(fe.terminate());
      await closed;
    },
  };
  return client;
}

/** The command tags (C), error codes (E: SQLSTATE) and empty-query marks (I) of backend messages. */
function results(messages) {
  return messages
    .filter((m) => 'CEIs'.includes(m.type))
    .map((m) => {
      if (m.type === 'C') return m.body.subarray(0, m.body.indexOf(0)).toString();
      if (m.type === 'I') return '(empty)';
      if (m.type === 's') return '(suspended)';
      const at = m.body.indexOf(Buffer.from('C'));
      let i = 0;
      while (i < m.body.length && m.body[i] !== 0) {
        const end = m.body.indexOf(0, i + 1);
        if (m.body[i] === 0x43) return `ERROR ${m.body.subarray(i + 1, end).toString()}`;
        i = end + 1;
      }
      return `ERROR ${at}`;
    });
}

module.exports = { connect, fe, results, msg, z, i16, i32 };
