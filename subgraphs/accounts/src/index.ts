/**
 * The accounts subgraph's public entry point: what other workspaces (tests, benchmarks,
 * scripts) may use; the process entry is main.ts. Anything not exported here
 * is internal to this subgraph.
 */
export { startAccountsSubgraph } from './server';
export { readAccountsConfig, type AccountsConfig } from './config';
export { createAccountsDataSource } from './data-source';
