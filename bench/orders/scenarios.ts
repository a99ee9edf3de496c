/**
 * The orders benchmark's run: the services (one process each) on fresh
 * databases, the courses inserted with SQL, the Express reference; an
 * unrecorded warm-up; then per scenario (spread: `--courses` courses, hot:
 * one course) its paths measured in ABBA order over `--rounds` rounds, each
 * for `--duration` s with PostgreSQL's counters around it, and the checks.
 */
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import { abbaRounds } from '../runner/measure';
import { connect, findPostgres } from '../runner/postgres';
import { fmt } from '../runner/report';
import type { BenchRun } from '../runner/run';
import { ServiceProcesses } from '../runner/services';
import { round } from '../runner/stats';
import { insertCourses, withPostgresCounters } from './database';
import { startExpressReference, type Reference } from './express';
import type { Kind, LoadResult, Measurement } from './measurement';
import { HOT_CAPACITY, SPREAD_CAPACITY, type OrdersOptions, type Scenario } from './options';
import { runPgbench } from './pgbench';
import { runSqlBaseline } from './sql-baseline';
import { runLoad, stackTarget } from './stack-load';

/** What the measurements run on. */
export interface Bench {
  options: OrdersOptions;
  log: (line: string) => void;
  services: ServiceProcesses;
  reference: Reference;
  courseDb: Client;
  orderDb: Client;
  /** Connected to the server's postgres database: reads pg_stat_database. */
  admin: Client;
  /** The run's course and order database names. */
  databases: string[];
  courses: Record<Scenario, string[]>;
  postgresKind: string;
}

/** Starts everything the run holds (released by run.cleanup()) and inserts the courses. */
export async function setUp(run: BenchRun, options: OrdersOptions): Promise<Bench> {
  const { log } = run;
  const pg = await findPostgres(log);
  run.hold('PostgreSQL', () => pg.stop());
  const services = new ServiceProcesses(pg.url, { maxSubscriptionsPerConnection: 20, log });
  run.hold('the services', () => services.stop());
  await services.start();
  const [courseDb, orderDb, admin] = await Promise.all([connect(services.courseDatabaseUrl), connect(services.orderDatabaseUrl), connect(pg.url)]);
  for (const client of [courseDb, orderDb, admin]) run.hold('a database client', () => client.end().catch(() => undefined));
  const databases = [services.courseDatabaseUrl, services.orderDatabaseUrl].map((url) => new URL(url).pathname.slice(1));

  const t0 = performance.now();
  const spread = await insertCourses(courseDb, options.courses, SPREAD_CAPACITY, 'Spread course');
  const hot = await insertCourses(courseDb, 1, HOT_CAPACITY, 'Hot course');
  await courseDb.query('ANALYZE course');
  log(
    `${options.courses} spread courses (capacity ${SPREAD_CAPACITY}) + 1 hot course (capacity ${HOT_CAPACITY}) inserted with SQL in ${round(performance.now() - t0)} ms`,
  );

  const reference = await startExpressReference(services.courseDatabaseUrl);
  run.hold('the Express reference', () => reference.stop());
  return { options, log, services, reference, courseDb, orderDb, admin, databases, courses: { spread, hot }, postgresKind: pg.kind };
}

/** Measures one path of a scenario for `seconds`: the stack, the Express reference, or the scenario's SQL baseline. */
function measurePath(bench: Bench, scenario: Scenario, kind: Kind, seconds: number): Promise<LoadResult> {
  const { options, services, courses } = bench;
  const settings = { connections: options.connections, profile: options.profile, log: bench.log };
  if (kind === 'stack') return runLoad(stackTarget(services), courses[scenario], seconds, settings);
  if (kind === 'express') return runLoad(bench.reference.target, courses[scenario], seconds, settings);
  if (scenario === 'spread')
    return runSqlBaseline(services.courseDatabaseUrl, services.orderDatabaseUrl, courses.spread, seconds, options.connections);
  return runPgbench(services.courseDatabaseUrl, courses.hot[0]!, seconds, options.connections);
}

/** Warm-up, not recorded: JIT, plans, pools. */
export async function warmUp(bench: Bench): Promise<void> {
  const t0 = performance.now();
  await measurePath(bench, 'spread', 'stack', 3);
  await measurePath(bench, 'spread', 'express', 2);
  await measurePath(bench, 'spread', 'baseline', 2);
  bench.log(`warm-up done in ${round((performance.now() - t0) / 1000)} s`);
}

/** The scenario's paths, ABBA over the rounds (spread: baseline, express, stack; hot: baseline, stack). */
export async function runScenario(bench: Bench, scenario: Scenario): Promise<Measurement[]> {
  const kinds: Kind[] = scenario === 'spread' ? ['baseline', 'express', 'stack'] : ['baseline', 'stack'];
  const measurements: Measurement[] = [];
  for (const { round: roundNo, order } of abbaRounds(bench.options.rounds, kinds)) {
    for (const kind of order) {
      const measured = await withPostgresCounters(bench.admin, bench.databases, () => measurePath(bench, scenario, kind, bench.options.duration));
      const { postgres, ...load } = measured;
      const m: Measurement = { scenario, kind, round: roundNo, ...load, postgres };
      measurements.push(m);
      bench.log(describe(m));
    }
  }
  return measurements;
}

/** One measurement as a log line. */
function describe(m: Measurement): string {
  const userErrors =
    Object.entries(m.errors.userErrors)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ') || 'none';
  return (
    `${m.scenario} round ${m.round} ${m.kind.padEnd(8)} ${fmt(m.ordersPerSecond, 1)} orders/s (${m.confirmed} in ${m.durationS} s), p50 ${fmt(m.latencyMs.p50, 2)} p99 ${fmt(m.latencyMs.p99, 2)} mean ${fmt(m.latencyMs.mean, 2)} ms, ` +
    `errors non2xx ${m.errors.non2xx} transport ${m.errors.transport} timeouts ${m.errors.timeouts} graphql ${m.errors.graphqlErrors}, userErrors ${userErrors}, ` +
    `commits/order ${JSON.stringify(m.postgres.commitsPerOrder)}` +
    (m.services
      ? `, services ${Object.entries(m.services)
          .map(([name, s]) => `${name} ELU ${s.elu} CPU ${s.cpuPct}% ${s.cpuMsPerOrder} ms/order`)
          .join('; ')}`
      : '') +
    (m.errors.sample ? `\n  sample: ${m.errors.sample}` : '')
  );
}
