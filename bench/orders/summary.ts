/**
 * The orders benchmark's figures over rounds: per scenario and path the
 * median orders/s, p50/p99/mean (ms), errors, and the stack's ratios (of the
 * medians) to the raw-SQL baseline, to the two-process Express reference
 * (orders/s and p99) and to the one-process one; the curves' figures
 * (curves.ts); the services' memory; the problems that make the run fail;
 * and the JSON document (bench/results/orders.json).
 */
import { IDLE_RSS_AIM_MIB, overAim, type MemoryPoints } from '../runner/memory';
import { resultHeader, type Machine } from '../runner/results';
import { medianOf, ratio, round } from '../runner/stats';
import type { Checks } from './checks';
import { curvesSummary } from './curves';
import { errorCount, type CurvePoint, type Kind, type Measurement } from './measurement';
import { HOT_CAPACITY, SCENARIOS, SECOND_INSTANCE_POOL_SIZE, SPREAD_CAPACITY, ordersCommand, type OrdersOptions, type Scenario } from './options';

/** One path of one scenario over its rounds; null when it was not measured. */
function summarize(measurements: Measurement[], scenario: Scenario, kind: Kind) {
  const list = measurements.filter((m) => m.scenario === scenario && m.kind === kind);
  if (!list.length) return null;
  return {
    method: list[0]!.method,
    rounds: list.length,
    ordersPerSecond: round(medianOf(list, (m) => m.ordersPerSecond)),
    perRound: list.map((m) => m.ordersPerSecond),
    p50: round(
      medianOf(list, (m) => m.latencyMs.p50),
      2,
    ),
    p99: round(
      medianOf(list, (m) => m.latencyMs.p99),
      2,
    ),
    mean: round(
      medianOf(list, (m) => m.latencyMs.mean),
      2,
    ),
    errors: list.reduce((sum, m) => sum + m.errors.non2xx + m.errors.transport + m.errors.timeouts + m.errors.graphqlErrors, 0),
    userErrors: list.reduce<Record<string, number>>((all, m) => {
      for (const [code, n] of Object.entries(m.errors.userErrors)) all[code] = (all[code] ?? 0) + n;
      return all;
    }, {}),
    commitsPerOrder: list[0]!.postgres.commitsPerOrder,
    statementsPerOrder: list[0]!.postgres.statementsPerOrder,
    // The last round's: the figures of one measurement, not a mix of rounds.
    services: list[list.length - 1]!.services ?? null,
    /** Mean ms of the course row's locking statements (wait + hold), median over rounds; null for paths without them. */
    lockStatementMs: list.every((m) => m.lockStatements?.meanMs != null)
      ? round(
          medianOf(list, (m) => m.lockStatements!.meanMs!),
          3,
        )
      : null,
  };
}

export type PathSummary = NonNullable<ReturnType<typeof summarize>>;

function scenarioSummary(measurements: Measurement[], scenario: Scenario) {
  const stack = summarize(measurements, scenario, 'stack');
  const baseline = summarize(measurements, scenario, 'baseline');
  const reference = summarize(measurements, scenario, 'reference');
  const oneProcess = summarize(measurements, scenario, 'oneProcess');
  return {
    stack,
    baseline,
    reference,
    oneProcess,
    ratio: stack && baseline ? ratio(stack.ordersPerSecond, baseline.ordersPerSecond, 3) : null,
    ratioToReference: stack && reference ? ratio(stack.ordersPerSecond, reference.ordersPerSecond, 3) : null,
    p99ToReference: stack && reference ? ratio(stack.p99, reference.p99, 2) : null,
    ratioToOneProcess: stack && oneProcess ? ratio(stack.ordersPerSecond, oneProcess.ordersPerSecond, 3) : null,
  };
}

export type ScenarioSummary = ReturnType<typeof scenarioSummary>;

/** What makes the run fail: a failure, a failed check, any error in a measurement or curve point. */
function problemsOf({ failure, checks, measurements, curves }: Outcome): string[] {
  const problems: string[] = [];
  if (failure) problems.push(`run failed: ${failure.split('\n')[0]}`);
  for (const [phase, result] of Object.entries(checks)) if (!result.ok) problems.push(`${phase}: checks failed ${JSON.stringify(result)}`);
  for (const m of [...measurements, ...curves]) {
    const errors = errorCount(m.errors);
    const at = 'connections' in m ? `curve at ${m.connections} connections` : 'round';
    if (errors) problems.push(`${m.scenario} ${at} ${m.round} ${m.kind}: ${errors} errors, e.g. ${m.errors.sample}`);
  }
  return problems;
}

export interface Outcome {
  measurements: Measurement[];
  curves: CurvePoint[];
  /** By phase: each scenario, then `curves <scenario>`. */
  checks: Record<string, Checks>;
  failure: string | null;
  memory: MemoryPoints;
}

/** The JSON document of the run. */
export function ordersResults(options: OrdersOptions, startedAt: Date, machine: Machine & { loadAverageAtStart: number[] }, outcome: Outcome) {
  const { measurements, checks } = outcome;
  const summary = Object.fromEntries(SCENARIOS.map((scenario) => [scenario, scenarioSummary(measurements, scenario)])) as Record<
    Scenario,
    ScenarioSummary
  >;
  const problems = problemsOf(outcome);
  return {
    ...resultHeader('orders', startedAt, ordersCommand(options), machine),
    parameters: {
      duration: options.duration,
      connections: options.connections,
      courses: options.courses,
      spreadCapacity: SPREAD_CAPACITY,
      hotCapacity: HOT_CAPACITY,
      rounds: options.rounds,
      curveConnections: options.curveConnections,
      curveDuration: options.curveDuration,
      curveRounds: options.curveRounds,
      courseCreation: 'SQL INSERT into the course database (columns of the CreateCourses migration), status PUBLISHED',
      secondInstances: options.curveConnections.length
        ? `gateway2 -> accounts2, course2, order2 -> course2 on the same databases, DATABASE_POOL_SIZE ${SECOND_INSTANCE_POOL_SIZE} each (the first instances: the default, 20)`
        : null,
    },
    summary,
    curves: curvesSummary(outcome.curves, options.curveConnections),
    memory: { ...outcome.memory, idleRssAimMiB: IDLE_RSS_AIM_MIB, idleRssOverAim: overAim(outcome.memory) },
    checks,
    ok: problems.length === 0,
    problems,
    measurements,
    curvePoints: outcome.curves,
  };
}

export type OrdersResults = ReturnType<typeof ordersResults>;
