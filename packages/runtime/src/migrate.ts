/**
 * Process entry for a subgraph's `migrate` command (`src/migrate.ts`, built to
 * `dist/migrate.js`): applies the pending migrations to its database and
 * exits, without serving. Services also migrate when they start; this runs
 * them on their own, before a deploy (README, "Run it in production").
 */
import type { DataSource } from 'typeorm';
import { openDatabase } from './db';
import type { Logger } from './log';

/**
 * Opens the data source `create` makes (migrating it under the advisory lock
 * openDatabase takes, so a service starting at the same time waits), logs
 * each migration applied (TypeORM's migration log lines) and exits 0; any
 * failure (missing database URL, unreachable database, a failing migration)
 * is logged and exits 1.
 */
export function runMigrations(log: Logger, create: () => DataSource): void {
  (async () => {
    const dataSource = await openDatabase(create());
    try {
      const applied = (await dataSource.query('SELECT name FROM migrations ORDER BY id')) as { name: string }[];
      log.info('database migrated', { migrations: applied.length, latest: applied.at(-1)?.name ?? null });
    } finally {
      await dataSource.destroy();
    }
  })().then(
    () => process.exit(0),
    (error: unknown) => {
      log.error('migration failed', { error });
      process.exit(1);
    },
  );
}
