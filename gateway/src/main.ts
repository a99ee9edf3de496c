// First: tracing must start before the modules it instruments are loaded.
import './instrument';
import { createLogger, runService } from '@coursegraph/runtime';
import { readGatewayConfig } from './config';
import { startGateway } from './server';

runService('gateway', createLogger('gateway'), () => startGateway(readGatewayConfig()));
