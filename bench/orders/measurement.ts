/**
 * One measurement of the orders benchmark, as the JSON keeps it: a path
 * (kind) of a scenario in one round, its confirmed orders per second of wall
 * time, latency in ms, errors by kind, the load of the path's processes
 * (the services, a reference's processes) and PostgreSQL commits per
 * confirmed order; and one point of the scaling curves.
 */
import type { LockStatements } from './lock-time';
import type { Scenario } from './options';

/**
 * stack: through the gateway; stackTwoInstances: through two gateways, with a second instance of every service (curves
 * only); baseline: the same SQL without the services (node pg or pgbench); reference: the two-process Express
 * reference; oneProcess: the one-process Express reference (the upper bound).
 */
export type Kind = 'stack' | 'stackTwoInstances' | 'baseline' | 'reference' | 'oneProcess';

export interface Measurement {
  scenario: Scenario;
  kind: Kind;
  method: string;
  round: number;
  durationS: number;
  ordersPerSecond: number;
  confirmed: number;
  latencyMs: { p50: number; p99: number; mean: number; max: number };
  errors: { non2xx: number; transport: number; timeouts: number; graphqlErrors: number; userErrors: Record<string, number>; sample: string | null };
  /** Per process of the path (each service, each reference process): event loop busy share (0..1), CPU in % of one core, CPU ms per confirmed order. */
  services?: Record<string, { elu: number; cpuPct: number; cpuMsPerOrder: number }>;
  postgres: { commitsPerOrder: Record<string, number>; statementsPerOrder: number | null };
  /** The stack only: the course row's locking statements during the measurement (lock-time.ts). */
  lockStatements?: LockStatements;
}

/** What a load or baseline run measures; the scenario, kind, round and PostgreSQL counters are added around it. */
export type LoadResult = Omit<Measurement, 'scenario' | 'kind' | 'round' | 'postgres'>;

/** One point of the scaling curves (curves.ts): a path at `connections` connections in one round; no PostgreSQL counters. */
export type CurvePoint = Omit<Measurement, 'postgres'> & { connections: number };

/** The summed CPU ms per confirmed order of a path's processes; null when they were not metered. */
export const cpuMsPerOrder = (m: Pick<Measurement, 'services'>): number | null =>
  m.services ? Object.values(m.services).reduce((sum, process) => sum + process.cpuMsPerOrder, 0) : null;

/** A path's errors of every kind, user errors included. */
export const errorCount = (errors: Measurement['errors']): number =>
  errors.non2xx + errors.transport + errors.timeouts + errors.graphqlErrors + Object.values(errors.userErrors).reduce((a, b) => a + b, 0);
