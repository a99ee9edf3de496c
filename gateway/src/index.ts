/**
 * The gateway's public entry point: what other workspaces (the process entry
 * `main.ts`, `npm start`, tests, benchmarks) may use. Anything not exported
 * here is internal to the gateway.
 */
export { startGateway } from './server';
export { readGatewayConfig, type GatewayConfig } from './config';
export { CloseCodes } from './subscriptions';
