import { createLogger, runService } from '@coursegraph/runtime';
import { readGatewayConfig } from './config';
import { startGateway } from './server';

runService('gateway', createLogger('gateway'), () => startGateway(readGatewayConfig()));
