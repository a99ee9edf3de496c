/**
 * PostgreSQL through TypeORM: one data source per subgraph, schema changes by
 * migrations only (never `synchronize`), pool and statement time limits so a
 * stuck query or lock cannot hold a request forever.
 */
import 'reflect-metadata';
import {
  AbstractLogger,
  DataSource,
  In,
  type DataSourceOptions,
  type EntitySchema,
  type FindOptionsWhere,
  type LogLevel,
  type LogMessage,
  type MixedList,
  type Repository,
} from 'typeorm';
import { isUuid } from './identity';
import { createLogger, type Logger } from './log';
import { readInt } from './config';

/** Connections one service instance's pool opens at most (DATABASE_POOL_SIZE); instances times this must fit the server's max_connections. */
export const DEFAULT_POOL_SIZE = 20;

/** DATABASE_POOL_SIZE, read by every subgraph's config. */
export const readDatabasePoolSize = (): number => readInt('DATABASE_POOL_SIZE', DEFAULT_POOL_SIZE, 1, 1_000);

export interface DatabaseOptions {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
}

/** TypeORM's messages through the service's JSON logger, so LOG_LEVEL governs them too. */
class TypeOrmLogger extends AbstractLogger {
  constructor(
    private readonly output: Logger,
    // Parameters carry personal data and password hashes: only with LOG_SQL, which is for debugging.
    private readonly withParameters = process.env.LOG_SQL === 'true',
  ) {
    super(withParameters ? 'all' : ['error', 'warn', 'migration']);
  }

  protected writeLog(level: LogLevel, message: LogMessage | LogMessage[]): void {
    for (const { type, message: text, parameters } of Array.isArray(message) ? message : [message]) {
      const fields = { type, sql: String(text), ...(this.withParameters ? { parameters } : {}) };
      if (level === 'error' || type === 'query-error') this.output.error('database error', fields);
      else if (level === 'warn') this.output.warn('database warning', fields);
      else this.output.info('database', fields);
    }
  }
}

export function createDataSource(options: DatabaseOptions): DataSource {
  const config: DataSourceOptions = {
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    // Lines name the service as its other lines do (`course`), not the PostgreSQL application name.
    logger: new TypeOrmLogger(createLogger(options.applicationName?.replace(/^coursegraph-/, '') ?? 'database')),
    poolSize: options.poolSize ?? DEFAULT_POOL_SIZE,
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

/**
 * Rows by id, in the order asked, null for unknown or malformed ids: what a
 * DataLoader batch function must return. One query however many ids.
 */
export async function findByIds<T extends { id: string }>(repository: Repository<T>, ids: readonly string[]): Promise<(T | null)[]> {
  const valid = ids.filter(isUuid);
  const found = valid.length ? await repository.findBy({ id: In(valid) } as FindOptionsWhere<T>) : [];
  const byId = new Map(found.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}
