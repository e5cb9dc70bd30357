// Public API of @wirebeat/protocol-echo.
import type { ProtocolModule } from '@wirebeat/applayer';
import { ECHO_DEFAULT_PORTS, echoConfigSchema, type EchoConfig } from './config';
import { EchoPlugin } from './echo';
import { echoFields } from './fields';

/** The echo protocol module: pass it to runBeat({ protocols: [echoProtocol] }). */
export const echoProtocol: ProtocolModule<EchoConfig> = {
  name: 'echo',
  defaultPorts: ECHO_DEFAULT_PORTS,
  description:
    "The Packetbeat tutorial's echo protocol: '>' requests, '<' responses, '!' errors, one per line.",
  configSchema: echoConfigSchema,
  fields: echoFields,
  create: (config, ctx) => new EchoPlugin(config, ctx),
};

export { echoConfigSchema, parseEchoConfig, ECHO_DEFAULT_PORTS } from './config';
export type { EchoConfig } from './config';
export { EchoPlugin, EchoConnection } from './echo';
export { EchoParser } from './parser';
export type { EchoMessage, EchoMarker } from './parser';
export { echoes, createEchoCorrelator } from './trans';
export { publishEchoTransaction } from './pub';
export type { EchoFields } from './pub';
export { echoFields } from './fields';
export { EchoError, EchoConfigError } from './errors';
