/**
 * PostgreSQL through TypeORM: one data source per subgraph, schema changes by
 * migrations only (never `synchronize`), pool and statement time limits so a
 * stuck query or lock cannot hold a request forever.
 */
import 'reflect-metadata';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';

export interface DatabaseOptions {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
}

export function createDataSource(options: DatabaseOptions): DataSource {
  const config: DataSourceOptions = {
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: process.env.LOG_SQL === 'true' ? 'all' : ['error'],
    poolSize: options.poolSize ?? 20,
    extra: {
      application_name: options.applicationName ?? 'coursegraph',
      connectionTimeoutMillis: 5_000,
      statement_timeout: 10_000,
      lock_timeout: 5_000,
      idle_in_transaction_session_timeout: 30_000,
    },
  };
  return new DataSource(config);
}

/**
 * Connects and applies pending migrations. An advisory lock lets any number of
 * instances start at once: one migrates, the others wait and find nothing to do.
 */
export async function openDatabase(dataSource: DataSource, migrate = true): Promise<DataSource> {
  await dataSource.initialize();
  if (!migrate) return dataSource;
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', ['coursegraph:migrations']);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', ['coursegraph:migrations']).catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}

/** Readiness check: one round trip to the database. */
export async function pingDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}
