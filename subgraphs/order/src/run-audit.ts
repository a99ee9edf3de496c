/** `node dist/run-audit.js` (or `tsx src/run-audit.ts`): the reconciliation audit once, with the order subgraph's environment (audit-command.ts). */
import { runAuditCommand } from './audit-command';

runAuditCommand();
