// A second signal means "now": while the first one waits for the output to drain (here: an
// Elasticsearch that is not there and a long shutdown_timeout), the second ends the beat at once
// with exit code 130 and one line saying so.
import type { ChildProcess } from 'child_process';
import * as net from 'net';
import * as path from 'path';
import { finished, ROOT, startPbEcho } from './pb-echo-cli';

jest.setTimeout(60_000);

interface SyntheticCaptures {
  ensureSyntheticCapture(o: { connections: number; pairs: number }): Promise<string>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const synthetic: SyntheticCaptures = require(path.join(ROOT, 'packages/tcp-reassembly/bench/synthetic.js'));

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A loopback port nobody listens on: bound by us, then released. */
async function deadPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Resolves when stderr has shown `text` (rejects if the child exits first). */
function stderrShows(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onExit = (code: number | null) =>
      reject(new Error(`pb_echo exited with ${code} before writing ${text}`));
    const onData = (d: Buffer | string) => {
      seen += d.toString();
      if (!seen.includes(text)) return;
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      resolve();
    };
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

it.each([
  ['SIGTERM', 'SIGINT'],
  ['SIGINT', 'SIGTERM'],
] as const)('%s, then %s while draining: exit 130 at once, with one line', async (first, second) => {
  const capture = await synthetic.ensureSyntheticCapture({ connections: 2000, pairs: 10 });
  const child = startPbEcho([
    '-I',
    capture,
    '-t',
    // Logs on stderr (-e), where the test waits for them.
    '-e',
    '-E',
    `output.elasticsearch.hosts=["http://127.0.0.1:${await deadPort()}"]`,
    '-E',
    'pb_echo.shutdown_timeout=10m',
  ]);
  children.push(child);
  const done = finished(child);
  // The output fails and retries: a stop has to wait for the drain (up to 10 minutes).
  await stderrShows(child, 'events to retry');
  const stopping = stderrShows(child, '"msg":"stopping"');
  child.kill(first);
  await stopping;
  child.kill(second);
  const r = await done;
  expect(r.code).toBe(130);
  expect(r.stderr).toContain(`pb_echo: ${second} again, exiting without waiting for the output`);
});
