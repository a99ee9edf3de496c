/**
 * The orders benchmark's direct use of the run's databases: connections,
 * the courses it inserts with SQL (not through the gateway: 1,000 courses in
 * ~10 ms), and PostgreSQL's own counters around each measurement
 * (pg_stat_database.xact_commit per database, and with pg_stat_statements
 * loaded, statements) as per-order figures.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { sleep } from '@coursegraph/devkit/timing';
import { round } from '../runner/stats';
import type { Measurement } from './measurement';
import { PRICE } from './options';

/** Published courses inserted with one SQL statement, columns as in the CreateCourses migration. */
export async function insertCourses(courseDb: Client, count: number, capacity: number, title: string): Promise<string[]> {
  const { rows } = await courseDb.query<{ id: string }>(
    `INSERT INTO course (id, title, description, price_amount, price_currency, instructor_id, status, capacity, seats_available, seats_held, seats_sold)
     SELECT gen_random_uuid(), $1 || ' ' || n, 'Made by bench/orders.ts.', $2, $3, $4, 'PUBLISHED', $5, $5, 0, 0
       FROM generate_series(1, $6) AS n
     RETURNING id`,
    [title, PRICE.amount, PRICE.currency, randomUUID(), capacity, count],
  );
  return rows.map((row) => row.id);
}

interface Counters {
  commits: Record<string, number>;
  statements: number | null;
}

/** Per-database transaction counters and, when pg_stat_statements is loaded, the statement count. */
async function pgCounters(admin: Client, databases: string[]): Promise<Counters> {
  const { rows } = await admin.query<{ datname: string; xact_commit: string }>(
    'SELECT datname, xact_commit FROM pg_stat_database WHERE datname = ANY($1)',
    [databases],
  );
  let statements: number | null = null;
  try {
    const result = await admin.query<{ calls: string }>(
      `SELECT coalesce(sum(calls), 0) AS calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = ANY($1)`,
      [databases],
    );
    statements = Number(result.rows[0]!.calls);
  } catch {
    // pg_stat_statements not installed
  }
  return { commits: Object.fromEntries(rows.map((row) => [row.datname, Number(row.xact_commit)])), statements };
}

/** Runs `work` (a measurement) and adds PostgreSQL's commits (and statements) per order it confirmed, by database (course, order). */
export async function withPostgresCounters<T extends { confirmed: number }>(
  admin: Client,
  databases: string[],
  work: () => Promise<T>,
): Promise<T & { postgres: Measurement['postgres'] }> {
  const before = await pgCounters(admin, databases);
  const measured = await work();
  await sleep(600); // pg_stat_database is updated by backends at most every 500 ms
  const after = await pgCounters(admin, databases);
  const perOrder = (a: number, b: number) => round((a - b) / Math.max(1, measured.confirmed), 2);
  const postgres = {
    commitsPerOrder: Object.fromEntries(
      databases.map((name) => [name.replace(/^cg_bench_[0-9a-f]+_/, ''), perOrder(after.commits[name] ?? 0, before.commits[name] ?? 0)]),
    ),
    statementsPerOrder: after.statements !== null && before.statements !== null ? perOrder(after.statements, before.statements) : null,
  };
  return { ...measured, postgres };
}
