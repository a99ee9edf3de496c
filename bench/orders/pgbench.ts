/**
 * The hot scenario's baseline: pgbench (`-n -c <connections> -j 2 -T
 * <seconds>`) on the run's course database, running the locked reservation
 * transaction as the course subgraph runs it on one course: BEGIN; SELECT
 * ... FOR UPDATE; one statement inserting a CONFIRMED reservation (key
 * `pgbench-<uuid>`, so the seat checks still hold), moving the counters and
 * notifying; COMMIT. Orders/s = pgbench's tps without connection time;
 * pgbench reports the mean latency only (ms).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { round } from '../runner/stats';
import type { LoadResult } from './measurement';
import { PGBENCH, PRICE } from './options';
import { MOVE_AND_NOTIFY } from './sql-baseline';

/** The transaction pgbench repeats: one line per command, as pgbench reads it. */
function reserveScript(courseId: string): string {
  return [
    'BEGIN;',
    `SELECT status, price_amount, price_currency, seats_available FROM course WHERE id = '${courseId}' FOR UPDATE;`,
    // pgbench reads one line per command: the write statement on one line.
    `WITH changed AS (INSERT INTO reservation (id, key, course_id, holder_id, status, price_amount, price_currency, expires_at, created_at, updated_at) VALUES (gen_random_uuid(), 'pgbench-' || gen_random_uuid(), '${courseId}', gen_random_uuid(), 'CONFIRMED', ${PRICE.amount}, '${PRICE.currency}', now() + interval '15 minutes', now(), now()) RETURNING course_id), ${MOVE_AND_NOTIFY('seats_available = seats_available - 1, seats_sold = seats_sold + 1', 'CONFIRMED').replace(/\s+/g, ' ')};`,
    'COMMIT;',
    '',
  ].join('\n');
}

/** pgbench: the locked reservation transaction on the hot course, `connections` clients, 2 threads. */
export async function runPgbench(courseUrl: string, courseId: string, seconds: number, connections: number): Promise<LoadResult> {
  const dir = mkdtempSync(join(os.tmpdir(), 'coursegraph-bench-pgbench-'));
  const script = join(dir, 'reserve.sql');
  writeFileSync(script, reserveScript(courseId));
  const url = new URL(courseUrl);
  const args = [
    '-n',
    '-c',
    String(connections),
    '-j',
    '2',
    '-T',
    String(seconds),
    '-f',
    script,
    '-h',
    url.hostname,
    '-p',
    url.port || '5432',
    '-U',
    decodeURIComponent(url.username || 'postgres'),
    url.pathname.slice(1),
  ];
  const started = performance.now();
  const output = await new Promise<string>((resolve, reject) =>
    execFile(PGBENCH, args, { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } }, (error, stdout, stderr) =>
      error ? reject(new Error(`pgbench: ${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
  const wallS = (performance.now() - started) / 1000;
  rmSync(dir, { recursive: true, force: true });
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1] ?? NaN);
  const processed = Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1] ?? NaN);
  const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
  const average = Number(/latency average = ([\d.]+) ms/.exec(output)?.[1] ?? NaN);
  return {
    method: `pgbench -n -c ${connections} -j 2 -T ${seconds}: BEGIN; SELECT ... FOR UPDATE; INSERT reservation + UPDATE course + NOTIFY in one statement; COMMIT`,
    durationS: round(wallS, 2),
    ordersPerSecond: round(tps),
    confirmed: processed,
    // pgbench reports the mean only (no per-transaction log kept).
    latencyMs: { p50: NaN, p99: NaN, mean: average, max: NaN },
    errors: { non2xx: 0, transport: failed, timeouts: 0, graphqlErrors: 0, userErrors: {}, sample: null },
  };
}
