// First: tracing must start before the modules it instruments are loaded.
import './instrument';
import { createLogger, runService } from '@coursegraph/runtime';
import { readOrderConfig } from './config';
import { startOrderSubgraph } from './server';

runService('order subgraph', createLogger('order'), () => startOrderSubgraph(readOrderConfig()));
