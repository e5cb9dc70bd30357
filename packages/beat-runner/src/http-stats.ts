// The Beats HTTP endpoint: `GET /` describes the beat, `GET /stats` returns its metrics and
// `GET /state` its setup, all JSON (`?pretty` indents). Bound to localhost by default: the metrics
// are not for the network. With a dashboard, a browser asking for `/` (Accept: text/html) gets its
// page instead, `/dashboard` is the page for anyone and `/dashboard.json` the data it polls.
import http from 'http';
import type { AddressInfo } from 'net';
import { HttpEndpointError } from './errors';

/** What `/` reports. */
export interface BeatInfo {
  beat: string;
  hostname: string;
  name: string;
  uuid: string;
  ephemeral_id: string;
  version: string;
}

/** Options of {@link startStatsEndpoint}. */
export interface StatsEndpointOptions {
  host: string;
  port: number;
  info: BeatInfo;
  /** The metrics object served by /stats, taken at request time. */
  stats: () => object;
  /** The object served by /state (libbeat's state endpoint), if any. */
  state?: () => object;
  /** The dashboard served at `/` to browsers. */
  dashboard?: DashboardHandler;
}

/** What serves the dashboard: its page, and its data for a query string. */
export interface DashboardHandler {
  page(query: URLSearchParams): string | Promise<string>;
  json(query: URLSearchParams): object | Promise<object>;
}

/** A listening endpoint. */
export interface StatsEndpoint {
  /** The bound address (`127.0.0.1:5066`), the real port when 0 was asked for. */
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown, pretty: boolean): void {
  const text = JSON.stringify(body, null, pretty ? 2 : undefined) + '\n';
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendPage(res: http.ServerResponse, html: string): void {
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    // Everything is inline: nothing may be loaded from elsewhere.
    'Content-Security-Policy':
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'",
    'Cache-Control': 'no-store',
  });
  res.end(html);
}

/** Answers the dashboard's requests; false when the path is not the dashboard's. */
function serveDashboard(
  d: DashboardHandler,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  pretty: boolean,
): boolean {
  const browser = url.pathname === '/' && (req.headers.accept ?? '').includes('text/html');
  if (!browser && url.pathname !== '/dashboard' && url.pathname !== '/dashboard.json') return false;
  const json = url.pathname === '/dashboard.json';
  Promise.resolve(json ? d.json(url.searchParams) : d.page(url.searchParams)).then(
    (body) => (json ? send(res, 200, body, pretty) : sendPage(res, body as string)),
    (err: Error) => send(res, 502, { error: err.message }, pretty),
  );
  return true;
}

/** Starts the endpoint; rejects with HttpEndpointError when the address cannot be bound. */
export function startStatsEndpoint(opts: StatsEndpointOptions): Promise<StatsEndpoint> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pretty = url.searchParams.has('pretty');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, { error: 'only GET is supported' }, pretty);
    if (opts.dashboard !== undefined && serveDashboard(opts.dashboard, req, res, url, pretty)) return;
    if (url.pathname === '/') return send(res, 200, opts.info, pretty);
    if (url.pathname === '/stats') return send(res, 200, opts.stats(), pretty);
    if (url.pathname === '/state' && opts.state) return send(res, 200, opts.state(), pretty);
    return send(res, 404, { error: `no such endpoint ${url.pathname} (try /, /stats or /state)` }, pretty);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new HttpEndpointError(
          `http endpoint cannot listen on ${opts.host}:${opts.port}: ${err.code ?? err.message}`,
        ),
      ),
    );
    server.listen(opts.port, opts.host, () => {
      const a = server.address() as AddressInfo;
      // Connections kept alive by clients must not hold the beat open at exit.
      server.unref();
      resolve({
        address: `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`,
        port: a.port,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
