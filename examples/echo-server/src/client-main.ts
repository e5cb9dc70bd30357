#!/usr/bin/env node
// echo-client command: plays requests, error requests, a large message and pipelined bursts.
import { parseArgs } from 'util';
import { exitOnError, intOption } from './cli-args';
import { runEchoClient } from './client';

const USAGE =
  'usage: echo-client [--port 3030] [--host 127.0.0.1] [--connections 3] [--count 10] [--error-every 4]\n' +
  '                   [--big 100000] [--burst 5] [--pause-ms 0]\n';

/** Parses the command line, runs the client and prints a one-line JSON summary on stdout. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string', short: 'H' },
      connections: { type: 'string', short: 'n' },
      count: { type: 'string', short: 'c' },
      'error-every': { type: 'string' },
      big: { type: 'string' },
      burst: { type: 'string' },
      'pause-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const result = await runEchoClient({
    port: intOption('port', values.port, 3030, 1, 65535),
    host: values.host,
    connections: intOption('connections', values.connections, 3, 1, 10_000),
    count: intOption('count', values.count, 10),
    errorEvery: intOption('error-every', values['error-every'], 4),
    bigMessageBytes: intOption('big', values.big, 100_000),
    burst: intOption('burst', values.burst, 5),
    pauseMs: intOption('pause-ms', values['pause-ms'], 0),
  });
  const ports = result.connections.map((c) => c.localPort);
  process.stdout.write(
    JSON.stringify({
      connections: ports.length,
      localPorts: ports,
      requests: result.requests,
      errors: result.errors,
    }) + '\n',
  );
}

main().catch((err) => exitOnError('echo-client', err));
