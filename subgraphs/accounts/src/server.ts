import { join } from 'node:path';
import { createLogger, openDatabase, pingDatabase, startPeriodic, startSubgraph, type RunningServer } from '@coursegraph/runtime';
import type { AccountsConfig } from './config';
import type { AccountsContext } from './context';
import { createAccountsDataSource } from './data-source';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';
import { seedDemoAccounts } from './seed';
import type { SessionDeps } from './sessions';

/** Starts the accounts subgraph: database (migrated), expired-counter cleanup, HTTP. */
export async function startAccountsSubgraph(config: AccountsConfig): Promise<RunningServer> {
  const log = createLogger('accounts');
  const dataSource = await openDatabase(createAccountsDataSource(config.databaseUrl));
  if (config.demoData) await seedDemoAccounts(dataSource, log);
  const sessions: SessionDeps = { dataSource, config, log };
  const cleanup = startPeriodic(
    'expired rate-limit windows and refresh tokens',
    60,
    async () => {
      const windows = await dataSource.query(`DELETE FROM rate_limit WHERE window_start < now() - make_interval(secs => $1)`, [
        config.rateLimitWindowSeconds,
      ]);
      const tokens = await dataSource.query(`DELETE FROM refresh_token WHERE expires_at < now() - interval '1 day'`);
      return Number(windows[1] ?? 0) + Number(tokens[1] ?? 0);
    },
    log,
  );
  return startSubgraph<AccountsContext>(
    {
      name: 'accounts',
      schemaPath: join(__dirname, '..', 'schema.graphql'),
      resolvers,
      context: (caller) => ({ caller, sessions, loaders: createLoaders(dataSource), signedIn: new WeakSet() }),
      checks: [{ name: 'database', check: () => pingDatabase(dataSource) }],
      async onStop() {
        await cleanup.stop();
        await dataSource.destroy();
      },
      log,
    },
    config,
  );
}
