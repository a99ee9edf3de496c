/**
 * The orders benchmark's figures over rounds: per scenario and path the
 * median orders/s, p50/p99/mean (ms), errors, and the ratios stack /
 * baseline and stack / Express reference (ratios of the medians); the
 * services' memory; the problems that make the run fail; and the JSON
 * document (bench/results/orders.json).
 */
import { IDLE_RSS_AIM_MIB, overAim, type MemoryPoints } from '../runner/memory';
import { resultHeader, type Machine } from '../runner/results';
import { medianOf, ratio, round } from '../runner/stats';
import type { Checks } from './checks';
import { errorCount, type Kind, type Measurement } from './measurement';
import { HOT_CAPACITY, SCENARIOS, SPREAD_CAPACITY, ordersCommand, type OrdersOptions, type Scenario } from './options';

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
    services: kind === 'stack' ? (list[list.length - 1]!.services ?? null) : null,
  };
}

export type PathSummary = NonNullable<ReturnType<typeof summarize>>;

function scenarioSummary(measurements: Measurement[], scenario: Scenario) {
  const stack = summarize(measurements, scenario, 'stack');
  const baseline = summarize(measurements, scenario, 'baseline');
  const express = summarize(measurements, scenario, 'express');
  return {
    stack,
    baseline,
    express,
    ratio: stack && baseline ? ratio(stack.ordersPerSecond, baseline.ordersPerSecond, 3) : null,
    ratioToExpress: stack && express ? ratio(stack.ordersPerSecond, express.ordersPerSecond, 3) : null,
  };
}

export type ScenarioSummary = ReturnType<typeof scenarioSummary>;

/** What makes the run fail: a failure, a failed check, any error in a measurement. */
function problemsOf(failure: string | null, checks: Record<string, Checks>, measurements: Measurement[]): string[] {
  const problems: string[] = [];
  if (failure) problems.push(`run failed: ${failure.split('\n')[0]}`);
  for (const [scenario, result] of Object.entries(checks)) if (!result.ok) problems.push(`${scenario}: checks failed ${JSON.stringify(result)}`);
  for (const m of measurements) {
    const errors = errorCount(m.errors);
    if (errors) problems.push(`${m.scenario} round ${m.round} ${m.kind}: ${errors} errors, e.g. ${m.errors.sample}`);
  }
  return problems;
}

export interface Outcome {
  measurements: Measurement[];
  checks: Record<string, Checks>;
  failure: string | null;
  memory: MemoryPoints;
}

/** The JSON document of the run. */
export function ordersResults(options: OrdersOptions, startedAt: Date, machine: Machine & { loadAverageAtStart: number[] }, outcome: Outcome) {
  const { measurements, checks, failure } = outcome;
  const summary = Object.fromEntries(SCENARIOS.map((scenario) => [scenario, scenarioSummary(measurements, scenario)])) as Record<
    Scenario,
    ScenarioSummary
  >;
  const problems = problemsOf(failure, checks, measurements);
  return {
    ...resultHeader('orders', startedAt, ordersCommand(options), machine),
    parameters: {
      duration: options.duration,
      connections: options.connections,
      courses: options.courses,
      spreadCapacity: SPREAD_CAPACITY,
      hotCapacity: HOT_CAPACITY,
      rounds: options.rounds,
      courseCreation: 'SQL INSERT into the course database (columns of the CreateCourses migration), status PUBLISHED',
    },
    summary,
    memory: { ...outcome.memory, idleRssAimMiB: IDLE_RSS_AIM_MIB, idleRssOverAim: overAim(outcome.memory) },
    checks,
    ok: problems.length === 0,
    problems,
    measurements,
  };
}

export type OrdersResults = ReturnType<typeof ordersResults>;
