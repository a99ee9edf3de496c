/** `node dist/migrate.js` (or `tsx src/migrate.ts`): applies the accounts database's pending migrations (ACCOUNTS_DATABASE_URL) and exits. */
import { createLogger, readString, runMigrations } from '@coursegraph/runtime';
import { createAccountsDataSource } from './data-source';

runMigrations(createLogger('accounts'), () => createAccountsDataSource(readString('ACCOUNTS_DATABASE_URL')));
