// First: tracing must start before the modules it instruments are loaded.
import './instrument';
import { createLogger, runService } from '@coursegraph/runtime';
import { readCourseConfig } from './config';
import { startCourseSubgraph } from './server';

runService('course subgraph', createLogger('course'), () => startCourseSubgraph(readCourseConfig()));
