import { createLogger, runService } from '@coursegraph/runtime';
import { readAccountsConfig } from './config';
import { startAccountsSubgraph } from './server';

runService('accounts subgraph', createLogger('accounts'), () => startAccountsSubgraph(readAccountsConfig()));
