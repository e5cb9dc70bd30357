// A real npm registry for the release rehearsal: verdaccio, run as a child process on a free
// loopback port with its storage in a temporary folder. Our own package names are served only from
// what was published to it; every other package is fetched through it from the machine's registry
// (the uplink), so nothing is ever published anywhere but here.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');
const VERDACCIO = path.join(repoRoot, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
const START_TIMEOUT_MS = 60_000;

/** Package names that exist only in the local registry (never proxied to the uplink). */
export const LOCAL_ONLY_PATTERNS = ['@wirebeat/*', 'wirebeat-protocol-*'];

/** The registry the machine's npm uses (`npm config get registry`): the local registry's uplink. */
export function machineRegistry(): string {
  const r = spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' });
  const url = (r.stdout || '').trim();
  if (r.status !== 0 || !/^https?:\/\//.test(url))
    throw new Error(`cannot read the npm registry of this machine: ${r.stderr || url}`);
  return url;
}

/** verdaccio's configuration: storage and users under `dir`, one uplink, our names local only. */
function configText(dir: string, uplink: string): string {
  const local = LOCAL_ONLY_PATTERNS.map(
    (pattern) =>
      `  '${pattern}':\n    access: $all\n    publish: $authenticated\n    unpublish: $authenticated\n`,
  ).join('');
  return [
    `storage: ${JSON.stringify(path.join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(path.join(dir, 'htpasswd'))}`,
    '    max_users: 10',
    'uplinks:',
    '  machine:',
    `    url: ${JSON.stringify(uplink)}`,
    '    timeout: 120s',
    '    max_fails: 10',
    '    fail_timeout: 10s',
    'packages:',
    local.trimEnd(),
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    '    proxy: machine',
    // JWT tokens: the default legacy token makes verdaccio check the password (bcrypt) on every request.
    'security:',
    '  api:',
    '    jwt:',
    '      sign:',
    '        expiresIn: 1d',
    'web:',
    '  enable: false',
    'max_body_size: 200mb',
    'log: { type: stdout, format: json, level: warn }',
    '',
  ].join('\n');
}

/** A loopback port nothing listens on right now. */
function freePort(): Promise<number> {
  const server = net.createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One GET on a fresh connection (verdaccio closes idle kept-alive ones, which fetch may reuse). */
function getText(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A running verdaccio and a user that may publish to it. */
export class LocalRegistry {
  /** Base URL, with the trailing slash npm expects. */
  url = '';
  /** Bearer token of the publishing user. */
  token = '';
  private child: ChildProcess | undefined;
  private readonly logFile: string;

  /** `dir` holds the config, storage, users and log. */
  constructor(private readonly dir: string) {
    this.logFile = path.join(dir, 'verdaccio.log');
  }

  /** Starts verdaccio on a free port (a few tries, in case another process takes the port first). */
  async start(uplink: string): Promise<void> {
    fs.mkdirSync(path.join(this.dir, 'storage'), { recursive: true });
    const config = path.join(this.dir, 'config.yaml');
    fs.writeFileSync(config, configText(this.dir, uplink));
    let lastError = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const log = fs.openSync(this.logFile, 'a');
      this.child = spawn(process.execPath, [VERDACCIO, '--config', config, '--listen', `127.0.0.1:${port}`], {
        stdio: ['ignore', log, log],
        env: { ...process.env, NODE_ENV: 'production' },
      });
      fs.closeSync(log);
      this.url = `http://127.0.0.1:${port}/`;
      try {
        await this.waitReady();
        return;
      } catch (e) {
        lastError = (e as Error).message;
        await this.stop();
      }
    }
    throw new Error(`verdaccio did not start: ${lastError}\n${this.logTail()}`);
  }

  /** Polls `/-/ping` until verdaccio answers, failing early when it exits. */
  private async waitReady(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null) throw new Error(`exited with code ${this.child?.exitCode}`);
      try {
        if ((await getText(`${this.url}-/ping`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`no answer on ${this.url} after ${START_TIMEOUT_MS / 1000}s`);
  }

  /** Creates the publishing user (verdaccio's htpasswd) and keeps its token. */
  async addUser(name: string, password: string): Promise<void> {
    const res = await fetch(`${this.url}-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password }),
    });
    const body = (await res.json()) as { token?: string };
    if (!res.ok || !body.token)
      throw new Error(`cannot create user ${name}: HTTP ${res.status} ${JSON.stringify(body)}`);
    this.token = body.token;
  }

  /** A project `.npmrc` in `dir` that sends npm to this registry with the user's token. */
  writeNpmrc(dir: string): void {
    const host = this.url.replace(/^https?:/, '');
    fs.writeFileSync(path.join(dir, '.npmrc'), `registry=${this.url}\n${host}:_authToken=${this.token}\n`);
  }

  /** The versions of `name` the registry holds (empty when it does not know the package). */
  async versions(name: string): Promise<string[]> {
    const { status, body } = await getText(`${this.url}${name.replace('/', '%2f')}`);
    if (status === 404) return [];
    if (status !== 200) throw new Error(`GET ${name}: HTTP ${status} ${body.slice(0, 200)}`);
    const doc = JSON.parse(body) as { versions?: Record<string, unknown> };
    return Object.keys(doc.versions ?? {});
  }

  /** The last lines of verdaccio's log, to explain a failure. */
  logTail(lines = 30): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** Stops verdaccio (SIGTERM, then SIGKILL) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
