// A small MySQL/MariaDB client on node:net, written for the capture recording and the live test:
// it speaks the wire protocol itself (no npm dependency) so that a test chooses exactly what goes
// on the wire (CLIENT_DEPRECATE_EOF or not, prepared statements, a TLS upgrade) and keeps what the
// server answered, to compare with what the analyzer publishes.
const net = require('net');
const tls = require('tls');

const CAP = {
  LONG_PASSWORD: 0x1,
  LONG_FLAG: 0x4,
  CONNECT_WITH_DB: 0x8,
  PROTOCOL_41: 0x200,
  SSL: 0x800,
  TRANSACTIONS: 0x2000,
  SECURE_CONNECTION: 0x8000,
  MULTI_STATEMENTS: 0x10000,
  MULTI_RESULTS: 0x20000,
  PS_MULTI_RESULTS: 0x40000,
  PLUGIN_AUTH: 0x80000,
  DEPRECATE_EOF: 0x1000000,
};
const MORE_RESULTS = 0x0008;

/** A length-encoded integer at `at`: [value, next offset]. */
function lenenc(b, at) {
  const first = b[at];
  if (first < 0xfb) return [first, at + 1];
  if (first === 0xfc) return [b.readUInt16LE(at + 1), at + 3];
  if (first === 0xfd) return [b.readUIntLE(at + 1, 3), at + 4];
  return [Number(b.readBigUInt64LE(at + 1)), at + 9];
}

/** A length-encoded string at `at`: [text or null, next offset]. */
function lenencString(b, at) {
  if (b[at] === 0xfb) return [null, at + 1];
  const [n, off] = lenenc(b, at);
  return [b.toString('utf8', off, off + n), off + n];
}

/** A connection: sends commands one at a time and resolves with what the server answered. */
class MysqlClient {
  constructor(socket) {
    this.socket = socket;
    this.buf = Buffer.alloc(0);
    this.waiters = [];
    this.queue = [];
    this.closed = new Promise((r) => socket.once('close', r));
    this.attach(socket);
  }

  /** Reads packets from `socket` (the plain one, then the TLS one after an upgrade). */
  attach(socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4) {
        const len = this.buf.readUIntLE(0, 3);
        if (this.buf.length < 4 + len) break;
        this.queue.push({ seq: this.buf[3], payload: this.buf.subarray(4, 4 + len) });
        this.buf = this.buf.subarray(4 + len);
      }
      while (this.queue.length > 0 && this.waiters.length > 0) this.waiters.shift()(this.queue.shift());
    });
    socket.on('error', () => undefined);
  }

  /** The next packet from the server. */
  next() {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift());
    return new Promise((r) => this.waiters.push(r));
  }

  /** Sends one packet with sequence id `seq`. */
  send(payload, seq = 0) {
    const h = Buffer.alloc(4);
    h.writeUIntLE(payload.length, 0, 3);
    h[3] = seq;
    this.socket.write(Buffer.concat([h, payload]));
  }

  /** Connects and logs in as `user` (the server runs with --skip-grant-tables: no password). */
  static async connect({ host, port, user = 'wirebeat', db, deprecateEof = false, ssl = false }) {
    const socket = net.connect(port, host);
    await new Promise((r, j) => socket.once('connect', r).once('error', j));
    socket.setNoDelay(true);
    const c = new MysqlClient(socket);
    const greeting = (await c.next()).payload;
    const versionEnd = greeting.indexOf(0, 1);
    c.serverVersion = greeting.toString('latin1', 1, versionEnd);
    const capsAt = versionEnd + 1 + 4 + 8 + 1;
    c.serverCaps = greeting.readUInt16LE(capsAt) | (greeting.readUInt16LE(capsAt + 5) << 16);
    let caps =
      CAP.LONG_PASSWORD |
      CAP.LONG_FLAG |
      CAP.PROTOCOL_41 |
      CAP.TRANSACTIONS |
      CAP.SECURE_CONNECTION |
      CAP.MULTI_STATEMENTS |
      CAP.MULTI_RESULTS |
      CAP.PS_MULTI_RESULTS |
      CAP.PLUGIN_AUTH;
    if (deprecateEof) caps |= CAP.DEPRECATE_EOF;
    if (db !== undefined) caps |= CAP.CONNECT_WITH_DB;
    const fixed = Buffer.alloc(32);
    fixed.writeUInt32LE(ssl ? caps | CAP.SSL : caps, 0);
    fixed.writeUInt32LE(1 << 24, 4);
    fixed[8] = 45; // utf8mb4_general_ci
    let seq = 1;
    if (ssl) {
      // The SSL request: the fixed part alone, then TLS on the same socket.
      if ((c.serverCaps & CAP.SSL) === 0) throw new Error('the server does not offer TLS');
      c.send(fixed, seq++);
      socket.removeAllListeners('data');
      const secure = tls.connect({ socket, rejectUnauthorized: false });
      await new Promise((r, j) => secure.once('secureConnect', r).once('error', j));
      c.socket = secure;
      c.attach(secure);
      fixed.writeUInt32LE(caps | CAP.SSL, 0);
    }
    const parts = [fixed, Buffer.from(`${user}\0`), Buffer.from([0])];
    if (db !== undefined) parts.push(Buffer.from(`${db}\0`));
    parts.push(Buffer.from('mysql_native_password\0'));
    c.send(Buffer.concat(parts), seq);
    c.deprecateEof = deprecateEof && (c.serverCaps & CAP.DEPRECATE_EOF) !== 0;
    for (;;) {
      const { seq: at, payload: p } = await c.next();
      if (p[0] === 0x00) return c;
      if (p[0] === 0xff) throw new Error(`login refused: ${p.toString('utf8', 9)}`);
      // An auth switch: answer with an empty scramble.
      if (p[0] === 0xfe) c.send(Buffer.alloc(0), at + 1);
    }
  }

  /** Reads an OK, ERR or result set (several with MORE_RESULTS); returns the last one, with all. */
  async result(binary = false) {
    const results = [];
    for (;;) {
      const r = await this.oneResult(binary);
      results.push(r);
      if ((r.status & MORE_RESULTS) === 0) break;
    }
    const last = results[results.length - 1];
    return results.length === 1 ? last : { ...last, all: results };
  }

  /** One OK, ERR or result set. */
  async oneResult(binary) {
    const p = (await this.next()).payload;
    if (p[0] === 0x00) {
      const [affectedRows, a] = lenenc(p, 1);
      const [insertId, b] = lenenc(p, a);
      return { type: 'ok', affectedRows, insertId, status: p.readUInt16LE(b) };
    }
    if (p[0] === 0xff) {
      return {
        type: 'error',
        code: p.readUInt16LE(1),
        sqlState: p.toString('latin1', 4, 9),
        message: p.toString('utf8', 9),
        status: 0,
      };
    }
    const [count] = lenenc(p, 0);
    const columns = [];
    for (let i = 0; i < count; i++) {
      const c = (await this.next()).payload;
      let at = 0;
      const names = [];
      for (let k = 0; k < 6; k++) {
        const [s, next] = lenencString(c, at);
        names.push(s);
        at = next;
      }
      columns.push({ schema: names[1], table: names[2], name: names[4], type: c[at + 7] });
    }
    if (!this.deprecateEof) await this.next();
    const rows = [];
    for (;;) {
      const { payload: r } = await this.next();
      if (r[0] === 0xfe && r.length < 0xffffff && (this.deprecateEof || r.length < 9)) {
        const status = this.deprecateEof ? r.readUInt16LE(lenenc(r, lenenc(r, 1)[1])[1]) : r.readUInt16LE(3);
        return { type: 'rows', columns, rows, status };
      }
      if (r[0] === 0xff) return { type: 'error', code: r.readUInt16LE(1), message: r.toString('utf8', 9) };
      rows.push(binary ? binaryRow(r, columns) : textRow(r, count));
    }
  }

  /** COM_QUERY. */
  async query(sql) {
    this.send(Buffer.concat([Buffer.from([0x03]), Buffer.from(sql)]));
    return this.result();
  }

  /** COM_INIT_DB. */
  async initDb(db) {
    this.send(Buffer.concat([Buffer.from([0x02]), Buffer.from(db)]));
    return this.result();
  }

  /** COM_PING. */
  async ping() {
    this.send(Buffer.from([0x0e]));
    return this.result();
  }

  /** COM_STMT_PREPARE: resolves with the statement id and counts, or the error. */
  async prepare(sql) {
    this.send(Buffer.concat([Buffer.from([0x16]), Buffer.from(sql)]));
    const p = (await this.next()).payload;
    if (p[0] === 0xff) return { type: 'error', code: p.readUInt16LE(1), message: p.toString('utf8', 9) };
    const stmt = { id: p.readUInt32LE(1), numColumns: p.readUInt16LE(5), numParams: p.readUInt16LE(7) };
    for (const n of [stmt.numParams, stmt.numColumns]) {
      if (n === 0) continue;
      for (let i = 0; i < n; i++) await this.next();
      if (!this.deprecateEof) await this.next();
    }
    return { type: 'prepared', ...stmt };
  }

  /** COM_STMT_EXECUTE with integer (LONGLONG) and string (VAR_STRING) parameters. */
  async execute(stmt, params) {
    const head = Buffer.alloc(10);
    head[0] = 0x17;
    head.writeUInt32LE(stmt.id, 1);
    head[5] = 0; // CURSOR_TYPE_NO_CURSOR
    head.writeUInt32LE(1, 6); // iteration count
    const parts = [head];
    if (params.length > 0) {
      const nulls = Buffer.alloc((params.length + 7) >> 3);
      params.forEach((v, i) => {
        if (v === null) nulls[i >> 3] |= 1 << (i & 7);
      });
      parts.push(nulls, Buffer.from([1]));
      for (const v of params) parts.push(Buffer.from([typeof v === 'number' ? 0x08 : 0xfd, 0]));
      for (const v of params) {
        if (v === null) continue;
        if (typeof v === 'number') {
          const b = Buffer.alloc(8);
          b.writeBigInt64LE(BigInt(v));
          parts.push(b);
        } else {
          const s = Buffer.from(v);
          parts.push(Buffer.from([s.length]), s);
        }
      }
    }
    this.send(Buffer.concat(parts));
    return this.result(true);
  }

  /** COM_STMT_CLOSE (no answer). */
  closeStatement(stmt) {
    const b = Buffer.alloc(5);
    b[0] = 0x19;
    b.writeUInt32LE(stmt.id, 1);
    this.send(b);
  }

  /** COM_QUIT, then waits for the server to close. */
  async quit() {
    this.send(Buffer.from([0x01]));
    this.socket.end();
    await this.closed;
  }
}

/** A text-protocol row: every column a length-encoded string or NULL. */
function textRow(r, count) {
  const row = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const [s, next] = lenencString(r, at);
    row.push(s);
    at = next;
  }
  return row;
}

/** A binary-protocol row, for the column types this client's tests select (integers and strings). */
function binaryRow(r, columns) {
  const nullBytes = (columns.length + 9) >> 3;
  let at = 1 + nullBytes;
  return columns.map((c, i) => {
    if (r[1 + ((i + 2) >> 3)] & (1 << ((i + 2) & 7))) return null;
    if (c.type === 0x08) {
      const v = r.readBigInt64LE(at);
      at += 8;
      return String(v);
    }
    if (c.type === 0x03) {
      const v = r.readInt32LE(at);
      at += 4;
      return String(v);
    }
    const [s, next] = lenencString(r, at);
    at = next;
    return s;
  });
}

module.exports = { MysqlClient, CAP };
