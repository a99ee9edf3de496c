/**
 * The curves' part of the orders report (bench/results/orders.md and the
 * console): per scenario and connection count, the median orders/s and p99
 * (ms) of each path, the stack's ratios to the two-process reference, and
 * what a second instance of every service changes (orders/s, p99, CPU ms
 * per order of all the stack's processes).
 */
import { fmt, mdRow } from '../runner/report';
import type { CurveKind, CurveRow } from './curves';
import type { OrdersResults } from './summary';

/** The curves' table and the second instance's lines; none when the curves did not run. */
export function curvesLines({ curves, parameters: p }: OrdersResults): string[] {
  if (!curves.rows.length) return [];
  const row = (scenario: string, kind: CurveKind, connections: number): CurveRow | undefined =>
    curves.rows.find((r) => r.scenario === scenario && r.kind === kind && r.connections === connections);
  const cells = (r: CurveRow | undefined) => [fmt(r?.ordersPerSecond, 0), fmt(r?.p99, 1)];
  const points = [...new Map(curves.rows.map((r) => [`${r.scenario} ${r.connections}`, r])).values()];
  const table = points.map(({ scenario, connections }) => {
    const toReference = curves.stackToReference.find((x) => x.scenario === scenario && x.connections === connections);
    const instances = curves.twoInstancesToOne.find((x) => x.scenario === scenario && x.connections === connections);
    return mdRow([
      scenario,
      connections,
      ...cells(row(scenario, 'stack', connections)),
      ...cells(row(scenario, 'reference', connections)),
      ...cells(row(scenario, 'oneProcess', connections)),
      `${fmt(toReference?.ordersPerSecond, 2)}× / ${fmt(toReference?.p99, 1)}×`,
      ...cells(row(scenario, 'stackTwoInstances', connections)),
      instances ? `${fmt(instances.ordersPerSecond, 2)}× / ${fmt(instances.p99, 2)}×` : '',
    ]);
  });
  return [
    `Scaling curves (bench/results/orders-curves.svg): ${p.curveDuration} s per point and path, ${p.curveRounds} ABBA round(s) of the paths at each connection count; medians. ` +
      `Second instances: ${p.secondInstances}; the load alternates connections between the two gateways.`,
    '',
    '| scenario | connections | stack orders/s | p99 ms | reference (2 processes) orders/s | p99 ms | reference (1 process) orders/s | p99 ms | stack / 2-process reference: orders/s, p99 | stack, 2 instances: orders/s | p99 ms | 2 / 1 instances: orders/s, p99 |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...table,
    '',
    ...curves.twoInstancesToOne.map(({ scenario, connections, ordersPerSecond }) => {
      const [one, two] = [row(scenario, 'stack', connections)!, row(scenario, 'stackTwoInstances', connections)!];
      return `- ${scenario}, ${connections} connections: a second instance of every service gives ${fmt(ordersPerSecond, 2)}× the orders/s (${fmt(two.ordersPerSecond, 0)} vs ${fmt(one.ordersPerSecond, 0)}), p99 ${fmt(two.p99, 1)} vs ${fmt(one.p99, 1)} ms, ${fmt(two.cpuMsPerOrder, 2)} vs ${fmt(one.cpuMsPerOrder, 2)} CPU ms per order in all the stack's processes`;
    }),
  ];
}
