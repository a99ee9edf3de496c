/**
 * One measurement of the orders benchmark, as the JSON keeps it: a path
 * (kind) of a scenario in one round, its confirmed orders per second of wall
 * time, latency in ms, errors by kind, the services' load (stack only) and
 * PostgreSQL commits per confirmed order.
 */
import type { Scenario } from './options';

/** stack: through the gateway; baseline: the same SQL without the services; express: the in-memory reference (spread only). */
export type Kind = 'stack' | 'baseline' | 'express';

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
  /** Per service process: event loop busy share (0..1), CPU in % of one core, CPU ms per confirmed order. */
  services?: Record<string, { elu: number; cpuPct: number; cpuMsPerOrder: number }>;
  postgres: { commitsPerOrder: Record<string, number>; statementsPerOrder: number | null };
}

/** What a load or baseline run measures; the scenario, kind, round and PostgreSQL counters are added around it. */
export type LoadResult = Omit<Measurement, 'scenario' | 'kind' | 'round' | 'postgres'>;

/** A path's errors of every kind, user errors included. */
export const errorCount = (errors: Measurement['errors']): number =>
  errors.non2xx + errors.transport + errors.timeouts + errors.graphqlErrors + Object.values(errors.userErrors).reduce((a, b) => a + b, 0);
