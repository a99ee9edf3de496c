/**
 * The gateway's public entry point: what other workspaces (tests, benchmarks,
 * scripts) may use; the process entry is main.ts. Anything not exported here
 * is internal to the gateway.
 */
export { startGateway } from './server';
export { readGatewayConfig, type GatewayConfig } from './config';
export { CloseCodes } from './subscriptions';
export { parseCorsOrigins } from './cors';
export { parseTrustProxy } from './client-address';
