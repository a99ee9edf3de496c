/**
 * The accounts subgraph's public entry point: what other workspaces (the
 * process entry `main.ts`, `npm start`, tests, benchmarks) may use. Anything
 * not exported here is internal to this subgraph.
 */
export { startAccountsSubgraph } from './server';
export { readAccountsConfig, type AccountsConfig } from './config';
export { createAccountsDataSource } from './data-source';
