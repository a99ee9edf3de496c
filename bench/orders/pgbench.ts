/**
 * The hot scenario's baseline: pgbench (`-n -c <connections> -j 2 -T
 * <seconds>`) on the run's course database, running the course subgraph's
 * own purchaseSeat statement on one course: SELECT ... FOR UPDATE of the
 * course, the CONFIRMED reservation inserted (key `pgbench-<uuid>`, so the
 * seat checks still hold), the counters moved and the seat event queued,
 * one statement, its own transaction. Orders/s = pgbench's tps without
 * connection time; pgbench reports the mean latency only (ms).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { round } from '../runner/stats';
import type { LoadResult } from './measurement';
import { PGBENCH, PRICE } from './options';
import type { EntityManager } from 'typeorm';
import { createCourseDataSource, purchaseSeatStatement } from '@coursegraph/course';

/**
 * Stand-ins for the values that must be new in every transaction, replaced by SQL that makes them. The key
 * is compared in the statement's NOT EXISTS, where a volatile function would rule out the key's index (a
 * scan of every reservation under the course lock): it is made from a pgbench variable instead, a
 * constant by the time the statement is planned.
 */
const FRESH = new Map<unknown, string>([
  ['00000000-0000-4000-8000-000000000001', 'gen_random_uuid()'],
  ['00000000-0000-4000-8000-000000000002', 'gen_random_uuid()'],
  ['pgbench-key', `('pgbench-' || :key)`],
]);
/** pgbench's meta-command setting `:key` for each transaction (at most 2^63 - 1). */
const SET_KEY = '\\set key random(1, 9000000000000000000)';

/** A parameter as an SQL literal (numbers and strings are all purchaseSeat's statement has). */
const literal = (value: unknown): string =>
  FRESH.get(value) ?? (typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`);

/**
 * The transaction pgbench repeats: the course subgraph's own purchaseSeat
 * statement (`purchaseSeatStatement`) on the hot course, its parameters
 * written in as literals and the reservation's id, key and holder made new
 * each time, on one line (pgbench reads one line per command), after the
 * meta-command that draws the key.
 */
function purchaseScript(manager: EntityManager, courseId: string): string {
  const [id, holderId, key] = [...FRESH.keys()] as string[];
  const { sql, params } = purchaseSeatStatement(manager, { courseId, expectedPrice: PRICE, key: key!, holderId: holderId! }, id);
  return `${SET_KEY}\n${sql.replace(/\$(\d+)/g, (_match, n: string) => literal(params[Number(n) - 1])).replace(/\s+/g, ' ')};\n`;
}

/** pgbench: the locked reservation transaction on the hot course, `connections` clients, 2 threads. */
export async function runPgbench(courseUrl: string, courseId: string, seconds: number, connections: number): Promise<LoadResult> {
  const dir = mkdtempSync(join(os.tmpdir(), 'coursegraph-bench-pgbench-'));
  const script = join(dir, 'purchase.sql');
  const metadata = await createCourseDataSource(courseUrl, 1).initialize();
  writeFileSync(script, purchaseScript(metadata.manager, courseId));
  await metadata.destroy();
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
    method: `pgbench -n -c ${connections} -j 2 -T ${seconds}: purchaseSeat's one statement (SELECT ... FOR UPDATE + INSERT reservation + UPDATE course + NOTIFY), its own transaction`,
    durationS: round(wallS, 2),
    ordersPerSecond: round(tps),
    confirmed: processed,
    // pgbench reports the mean only (no per-transaction log kept).
    latencyMs: { p50: NaN, p99: NaN, mean: average, max: NaN },
    errors: { non2xx: 0, transport: failed, timeouts: 0, graphqlErrors: 0, userErrors: {}, sample: null },
  };
}
