import { join } from 'node:path';
import { createLogger, openDatabase, pingDatabase, ServiceMetrics, startPeriodic, startSubgraph, type RunningServer } from '@coursegraph/runtime';
import type { AccountsConfig } from './config';
import type { AccountsContext } from './context';
import { cleanupOnce } from './cleanup';
import { createAccountsDataSource } from './data-source';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';
import { seedDemoAccounts } from './seed';
import type { SessionDeps } from './sessions';

/** Starts the accounts subgraph: database (migrated), expired-counter cleanup, HTTP. */
export async function startAccountsSubgraph(config: AccountsConfig): Promise<RunningServer> {
  const log = createLogger('accounts');
  const dataSource = await openDatabase(createAccountsDataSource(config.databaseUrl, config.databasePoolSize));
  const metrics = new ServiceMetrics('accounts', config.metrics);
  metrics.observePool(dataSource);
  if (config.demoData) await seedDemoAccounts(dataSource, log);
  const sessions: SessionDeps = { dataSource, config, log };
  const cleanup = startPeriodic(
    'expired rate-limit windows and refresh tokens',
    60,
    () => cleanupOnce(dataSource, config.rateLimitWindowSeconds),
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
      metrics,
    },
    config,
  );
}
