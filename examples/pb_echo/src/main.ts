#!/usr/bin/env node
// pb_echo: a beat that analyses the tutorial's echo protocol, assembled from the wirebeat packages.
import { runBeat } from '@wirebeat/beat-runner';
import { echoProtocol } from '@wirebeat/protocol-echo';

void runBeat({ name: 'pb_echo', version: '0.1.0', protocols: [echoProtocol] }).then((code) =>
  process.exit(code),
);
