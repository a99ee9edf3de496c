/** `node dist/migrate.js` (or `tsx src/migrate.ts`): applies the order database's pending migrations (ORDER_DATABASE_URL) and exits. */
import { createLogger, readString, runMigrations } from '@coursegraph/runtime';
import { createOrderDataSource } from './data-source';

runMigrations(createLogger('order'), () => createOrderDataSource(readString('ORDER_DATABASE_URL')));
