/**
 * `npm run audit`: the order subgraph's reconciliation audit command
 * (subgraphs/order/src/audit-command.ts: what it checks, repairs and prints,
 * and its exit status), after loading .env when there is one, as `npm start`
 * does.
 */
import { runAuditCommand } from '@coursegraph/order';
import { loadDotEnv } from './env';

loadDotEnv();
runAuditCommand();
