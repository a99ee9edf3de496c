import { createLogger, runService } from '@coursegraph/runtime';
import { readCourseConfig } from './config';
import { startCourseSubgraph } from './server';

runService('course subgraph', createLogger('course'), () => startCourseSubgraph(readCourseConfig()));
