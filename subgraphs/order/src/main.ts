import { createLogger, runService } from '@coursegraph/runtime';
import { readOrderConfig } from './config';
import { startOrderSubgraph } from './server';

runService('order subgraph', createLogger('order'), () => startOrderSubgraph(readOrderConfig()));
