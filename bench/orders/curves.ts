/**
 * The orders benchmark's scaling curves (issue 15, item 4): orders/s and
 * latency (ms) of the stack, the two-process and the one-process Express
 * references at each of `--curve-connections` (1, 5, 20, 50, 100) autocannon
 * connections, per scenario, `--curve-duration` s per point; and, at
 * INSTANCE_CONNECTIONS (20, 50), the stack with a second instance of every
 * service (the load split evenly over the two gateways). At each connection
 * count the paths run ABBA over `--curve-rounds` rounds, so the machine's
 * drift hits them alike; figures are medians over those rounds. Each
 * point first waits for the sagas the previous one left running (checks.ts).
 */
import { abbaRounds } from '../runner/measure';
import { medianOf, ratio, round } from '../runner/stats';
import { sagasDone } from './checks';
import { cpuMsPerOrder, type CurvePoint, type Kind } from './measurement';
import { INSTANCE_CONNECTIONS, type Scenario } from './options';
import { describe, measurePath, type Bench } from './scenarios';

/** The paths of the curves, in their ABBA order at each point (stackTwoInstances only at INSTANCE_CONNECTIONS). */
export const CURVE_KINDS = ['stack', 'stackTwoInstances', 'reference', 'oneProcess'] as const satisfies readonly Kind[];
export type CurveKind = (typeof CURVE_KINDS)[number];

/** Every curve point of `scenario`, in the order measured. */
export async function runCurves(bench: Bench, scenario: Scenario): Promise<CurvePoint[]> {
  const { curveConnections, curveRounds, curveDuration } = bench.options;
  const points: CurvePoint[] = [];
  for (const connections of curveConnections) {
    const kinds = CURVE_KINDS.filter((kind) => kind !== 'stackTwoInstances' || INSTANCE_CONNECTIONS.includes(connections));
    for (const { round: roundNo, order } of abbaRounds(curveRounds, kinds)) {
      for (const kind of order) {
        await sagasDone(bench.orderDb);
        const load = await measurePath(bench, scenario, kind, curveDuration, connections);
        const point: CurvePoint = { scenario, kind, round: roundNo, connections, ...load };
        points.push(point);
        bench.log(`curve, ${connections} connections: ${describe(point)}`);
      }
    }
  }
  return points;
}

/** One path at one connection count over its rounds: medians of orders/s, p50 and p99 (ms), CPU ms per order of its processes. */
function curveRow(points: CurvePoint[], scenario: Scenario, kind: CurveKind, connections: number) {
  const list = points.filter((p) => p.scenario === scenario && p.kind === kind && p.connections === connections);
  if (!list.length) return null;
  return {
    scenario,
    kind,
    connections,
    ordersPerSecond: round(medianOf(list, (p) => p.ordersPerSecond)),
    perRound: list.map((p) => p.ordersPerSecond),
    p50: round(
      medianOf(list, (p) => p.latencyMs.p50),
      2,
    ),
    p99: round(
      medianOf(list, (p) => p.latencyMs.p99),
      2,
    ),
    cpuMsPerOrder: round(
      medianOf(list, (p) => cpuMsPerOrder(p) ?? NaN),
      2,
    ),
  };
}

export type CurveRow = NonNullable<ReturnType<typeof curveRow>>;

/**
 * The curves' figures: a row per scenario, path and connection count; per
 * point the stack's ratios to the two-process reference (orders/s, p99);
 * and at INSTANCE_CONNECTIONS two instances / one instance of the stack.
 */
export function curvesSummary(points: CurvePoint[], connectionCounts: readonly number[]) {
  const scenarios = [...new Set(points.map((p) => p.scenario))];
  const rows = scenarios.flatMap((scenario) =>
    CURVE_KINDS.flatMap((kind) => connectionCounts.map((c) => curveRow(points, scenario, kind, c)).filter((row) => row !== null)),
  );
  const find = (scenario: Scenario, kind: CurveKind, connections: number) =>
    rows.find((row) => row.scenario === scenario && row.kind === kind && row.connections === connections);
  const pairs = (kind: CurveKind, base: CurveKind) =>
    rows
      .filter((row) => row.kind === kind)
      .flatMap((row) => {
        const other = find(row.scenario, base, row.connections);
        if (!other) return [];
        return [
          {
            scenario: row.scenario,
            connections: row.connections,
            ordersPerSecond: ratio(row.ordersPerSecond, other.ordersPerSecond, 3),
            p99: ratio(row.p99, other.p99, 2),
          },
        ];
      });
  return { rows, stackToReference: pairs('stack', 'reference'), twoInstancesToOne: pairs('stackTwoInstances', 'stack') };
}

export type CurvesSummary = ReturnType<typeof curvesSummary>;
