#!/usr/bin/env node
// echo-server command: the tutorial's echo protocol server.
import { parseArgs } from 'util';
import { exitOnError, intOption } from './cli-args';
import { startEchoServer } from './server';

/** Parses the command line, starts the server and stops it on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string', short: 'H' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('usage: echo-server [--port 3030] [--host 127.0.0.1]\n');
    return;
  }
  const server = await startEchoServer({
    port: intOption('port', values.port, 3030, 0, 65535),
    host: values.host,
  });
  process.stderr.write(`echo-server listening on ${server.host}:${server.port}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => exitOnError('echo-server', err));
