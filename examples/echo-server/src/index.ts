// Public API of the echo-server example: start functions for tests and the tutorial.
export { startEchoServer, echoReply } from './server';
export type { EchoServer, EchoServerOptions } from './server';
export { runEchoClient, buildClientPlan } from './client';
export type { EchoClientOptions, EchoClientResult, ConnectionResult, Exchange } from './client';
export { LineSplitter } from './line-splitter';
export { EchoError, EchoUsageError, EchoClientError } from './errors';
