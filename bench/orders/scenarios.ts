/**
 * The orders benchmark's run: the services (one process each; with the
 * curves also a second instance of each, options.ts SECOND_INSTANCE_POOL_SIZE)
 * on fresh databases, the courses inserted with SQL, the two Express
 * references; an unrecorded warm-up; then per scenario (spread: `--courses`
 * courses, hot: one course) its paths measured in ABBA order over `--rounds`
 * rounds, each for `--duration` s with PostgreSQL's counters around it.
 * measurePath is also what the curves (curves.ts) measure with.
 */
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import { abbaRounds } from '../runner/measure';
import { connect, findPostgres } from '../runner/postgres';
import { fmt } from '../runner/report';
import type { BenchRun } from '../runner/run';
import { ServiceProcesses } from '../runner/services';
import { round } from '../runner/stats';
import { sagasDone } from './checks';
import { insertCourses, withPostgresCounters } from './database';
import { startOneProcessReference, startTwoProcessReference } from './references';
import type { Kind, LoadResult, Measurement } from './measurement';
import { HOT_CAPACITY, SECOND_INSTANCE_POOL_SIZE, SPREAD_CAPACITY, type OrdersOptions, type Scenario } from './options';
import { runPgbench } from './pgbench';
import { runSqlBaseline } from './sql-baseline';
import { withLockStatements } from './lock-time';
import { runLoad, stackTarget, type LoadTarget } from './stack-load';

/** What the measurements run on. */
export interface Bench {
  options: OrdersOptions;
  log: (line: string) => void;
  services: ServiceProcesses;
  /** What autocannon loads, by path: the stack (and its second instances, with the curves) and the two Express references. */
  targets: Partial<Record<Kind, LoadTarget>>;
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
  const secondInstances = options.curveConnections.length ? { env: { DATABASE_POOL_SIZE: String(SECOND_INSTANCE_POOL_SIZE) } } : undefined;
  const services = new ServiceProcesses(pg.url, { maxSubscriptionsPerConnection: 20, log, secondInstances });
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

  const reference = await startTwoProcessReference(services.courseDatabaseUrl);
  run.hold('the two-process reference', () => reference.stop());
  const oneProcess = await startOneProcessReference(services.courseDatabaseUrl);
  run.hold('the one-process reference', () => oneProcess.stop());
  const targets = {
    stack: stackTarget(services),
    ...(secondInstances && { stackTwoInstances: stackTarget(services, true) }),
    reference: reference.target,
    oneProcess: oneProcess.target,
  };
  return { options, log, services, targets, courseDb, orderDb, admin, databases, courses: { spread, hot }, postgresKind: pg.kind };
}

/** Measures one path of a scenario for `seconds` at `connections` (by default --connections): a load target, or the scenario's SQL baseline. */
export function measurePath(
  bench: Bench,
  scenario: Scenario,
  kind: Kind,
  seconds: number,
  connections = bench.options.connections,
): Promise<LoadResult> {
  const { options, services, courses } = bench;
  const target = bench.targets[kind];
  const load = () => runLoad(target!, courses[scenario], seconds, { connections, profile: options.profile, log: bench.log });
  if (kind === 'stack') return withLockStatements(services.courseUrl, load);
  if (target) return load();
  if (kind !== 'baseline') throw new Error(`${kind} is not running`);
  if (scenario === 'spread') return runSqlBaseline(services.courseDatabaseUrl, services.orderDatabaseUrl, courses.spread, seconds, connections);
  return runPgbench(services.courseDatabaseUrl, courses.hot[0]!, seconds, connections);
}

/** Warm-up, not recorded: JIT, plans, pools, of every path (the second instances too when they run). */
export async function warmUp(bench: Bench): Promise<void> {
  const t0 = performance.now();
  await measurePath(bench, 'spread', 'stack', 3);
  if (bench.targets.stackTwoInstances) await measurePath(bench, 'spread', 'stackTwoInstances', 3);
  for (const kind of ['reference', 'oneProcess', 'baseline'] as const) await measurePath(bench, 'spread', kind, 2);
  bench.log(`warm-up done in ${round((performance.now() - t0) / 1000)} s`);
}

/** The scenario's paths, ABBA over the rounds (spread: baseline, reference, one-process reference, stack; hot: baseline, reference, stack). */
export async function runScenario(bench: Bench, scenario: Scenario): Promise<Measurement[]> {
  const kinds: Kind[] = scenario === 'spread' ? ['baseline', 'reference', 'oneProcess', 'stack'] : ['baseline', 'reference', 'stack'];
  const measurements: Measurement[] = [];
  for (const { round: roundNo, order } of abbaRounds(bench.options.rounds, kinds)) {
    for (const kind of order) {
      await sagasDone(bench.orderDb);
      const measured = await withPostgresCounters(bench.admin, bench.databases, () => measurePath(bench, scenario, kind, bench.options.duration));
      const { postgres, ...load } = measured;
      const m: Measurement = { scenario, kind, round: roundNo, ...load, postgres };
      measurements.push(m);
      bench.log(describe(m));
    }
  }
  return measurements;
}

/** One measurement (or curve point) as a log line. */
export function describe(m: Omit<Measurement, 'postgres'> & Partial<Pick<Measurement, 'postgres'>>): string {
  const userErrors =
    Object.entries(m.errors.userErrors)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ') || 'none';
  const parts = [
    `${m.scenario} round ${m.round} ${m.kind.padEnd(17)} ${fmt(m.ordersPerSecond, 1)} orders/s (${m.confirmed} in ${m.durationS} s), p50 ${fmt(m.latencyMs.p50, 2)} p99 ${fmt(m.latencyMs.p99, 2)} mean ${fmt(m.latencyMs.mean, 2)} ms`,
    `errors non2xx ${m.errors.non2xx} transport ${m.errors.transport} timeouts ${m.errors.timeouts} graphql ${m.errors.graphqlErrors}, userErrors ${userErrors}`,
    ...(m.postgres ? [`commits/order ${JSON.stringify(m.postgres.commitsPerOrder)}`] : []),
    ...(m.services
      ? [
          `processes ${Object.entries(m.services)
            .map(([name, s]) => `${name} ELU ${s.elu} CPU ${s.cpuPct}% ${s.cpuMsPerOrder} ms/order`)
            .join('; ')}`,
        ]
      : []),
  ];
  return parts.join(', ') + (m.errors.sample ? `\n  sample: ${m.errors.sample}` : '');
}
