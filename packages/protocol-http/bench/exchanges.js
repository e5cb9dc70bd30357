// The HTTP exchanges of the synthetic benchmark capture: GETs and POSTs with Content-Length and
// chunked responses, some 404s and 500s, 200,000 transactions in all (port 80).
const { ensureExchangeCapture } = require('../../../scripts/synthetic-capture.js');

const BODY = 'x'.repeat(400);

/** Request and response of exchange k of connection c. */
function httpExchange(c, k) {
  const post = k % 4 === 3;
  const path = `/api/items/${c}/${k}?page=${k % 7}`;
  const reqBody = post ? `{"connection":${c},"exchange":${k}}` : '';
  const req =
    `${post ? 'POST' : 'GET'} ${path} HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: bench/1.0\r\n` +
    `Accept: application/json\r\n${post ? `Content-Type: application/json\r\nContent-Length: ${reqBody.length}\r\n` : ''}\r\n${reqBody}`;
  const status = k === 9 && c % 10 === 0 ? '500 Internal Server Error' : k === 5 ? '404 Not Found' : '200 OK';
  const body = BODY.slice(0, 100 + ((c * 31 + k * 17) % 300));
  const head = `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nServer: bench\r\n`;
  const resp =
    k % 3 === 1
      ? `${head}Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`
      : `${head}Content-Length: ${body.length}\r\n\r\n${body}`;
  return [req, resp];
}

/** The synthetic HTTP capture (generated on first use). */
function ensureHttpCapture() {
  return ensureExchangeCapture('http-v1', { port: 80, exchange: httpExchange });
}

module.exports = { ensureHttpCapture, httpExchange };
