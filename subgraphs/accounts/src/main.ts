// First: tracing must start before the modules it instruments are loaded.
import './instrument';
import { createLogger, runService } from '@coursegraph/runtime';
import { readAccountsConfig } from './config';
import { startAccountsSubgraph } from './server';

runService('accounts subgraph', createLogger('accounts'), () => startAccountsSubgraph(readAccountsConfig()));
