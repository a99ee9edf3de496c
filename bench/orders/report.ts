/**
 * The orders benchmark's report: the table of median orders/s, latency
 * (ms), errors and PostgreSQL commits per order by scenario and path; the
 * stack's ratios next to the issue's aims; the load of each path's
 * processes; the services' memory; the curves (curves-report.ts); the
 * checks. Printed, and written as bench/results/orders.md.
 */
import { describeMachine } from '../runner/results';
import { memoryMarkdown } from '../runner/memory';
import { fmt, mdList, mdRow } from '../runner/report';
import { medianOf } from '../runner/stats';
import { curvesLines } from './curves-report';
import type { Kind } from './measurement';
import { SCENARIOS } from './options';
import type { OrdersResults } from './summary';

const PATHS = ['stack', 'baseline', 'reference', 'oneProcess'] as const;

/** A path's name in the reports and charts. */
export const pathName = (kind: Kind, scenario: string): string =>
  ({
    stack: 'stack (gateway)',
    stackTwoInstances: 'stack, 2 instances of each service',
    reference: 'Express reference, 2 processes',
    oneProcess: 'Express reference, 1 process (upper bound)',
    baseline: scenario === 'spread' ? 'baseline (node pg)' : 'baseline (pgbench)',
  })[kind];

function tableLines({ summary }: OrdersResults): string[] {
  const rows = SCENARIOS.flatMap((scenario) =>
    PATHS.flatMap((kind) => {
      const x = summary[scenario][kind];
      if (!x) return [];
      const userErrors =
        Object.entries(x.userErrors)
          .map(([code, n]) => `${code} ${n}`)
          .join(', ') || '0';
      const commits = JSON.stringify(x.commitsPerOrder).replace(/"/g, '').replace(/,/g, ', ');
      return [
        mdRow([
          scenario,
          pathName(kind, scenario),
          fmt(x.ordersPerSecond, 1),
          x.perRound.map((v) => fmt(v, 1)).join(' / '),
          fmt(x.p50, 2),
          fmt(x.p99, 2),
          fmt(x.mean, 2),
          x.errors,
          userErrors,
          commits,
        ]),
      ];
    }),
  );
  return [
    '| scenario | path | orders/s (median) | per round | p50 ms | p99 ms | mean ms | errors | userErrors | PostgreSQL commits per order |',
    '|---|---|--:|---|--:|--:|--:|--:|---|---|',
    ...rows,
  ];
}

/** ` (aim ≥ 0.6×: met)`: whether `value` meets the aim, when `applies`; `''` otherwise. */
const aim = (applies: boolean, value: number | null, text: string, met: (value: number) => boolean): string =>
  applies ? ` (aim ${text}: ${value === null ? '–' : met(value) ? 'met' : '**missed**'})` : '';

/** The stack's ratios, each next to the aim where it states one (issue 15: spread vs the references and raw SQL, hot vs pgbench). */
function ratioLines({ summary }: OrdersResults): string[] {
  return SCENARIOS.filter((scenario) => summary[scenario].stack).flatMap((scenario) => {
    const { ratio, ratioToReference, p99ToReference, ratioToOneProcess, stack, reference } = summary[scenario];
    const spread = scenario === 'spread';
    return [
      ...(ratioToReference !== null
        ? [
            `- **${scenario}**: stack / Express reference (2 processes) = ${fmt(ratioToReference, 2)}× orders/s${aim(spread, ratioToReference, '≥ 0.6×', (v) => v >= 0.6)}; ` +
              `p99 ${fmt(stack!.p99, 1)} vs ${fmt(reference!.p99, 1)} ms = ${fmt(p99ToReference, 2)}×${aim(spread, p99ToReference, '≤ 2×', (v) => v <= 2)}`,
          ]
        : []),
      ...(ratio !== null
        ? [
            `- **${scenario}**: stack / ${spread ? 'raw SQL (node pg)' : 'pgbench'} = ${fmt(100 * ratio, 1)}%${aim(true, ratio, spread ? '≥ 70%' : '≥ 50%', (v) => v >= (spread ? 0.7 : 0.5))}`,
          ]
        : []),
      ...(ratioToOneProcess !== null
        ? [`- **${scenario}**: stack / Express reference (1 process, upper bound) = ${fmt(ratioToOneProcess, 3)}×`]
        : []),
    ];
  });
}

/**
 * Issue 15, item 3: the course row lock per sale on the hot course. Its
 * locking statement's mean at the scenario's connections (wait + hold) and
 * at 1 connection in the curves (hold only), and what that hold allows.
 */
function lockLines({ summary, curvePoints, parameters }: OrdersResults): string[] {
  const hot = summary.hot;
  if (!hot.stack) return [];
  const alone = curvePoints.filter((p) => p.scenario === 'hot' && p.kind === 'stack' && p.connections === 1 && p.lockStatements?.meanMs != null);
  const holdMs = alone.length ? medianOf(alone, (p) => p.lockStatements!.meanMs!) : null;
  return [
    `- **hot**: the course row lock per sale, from the course service's \`coursegraph_seat_lock_statement_seconds\`: one statement, its own transaction, so the lock is held for one round trip. ` +
      `Mean ${fmt(hot.stack.lockStatementMs, 3)} ms at ${parameters.connections} connections (the wait for the lock plus its hold)` +
      (holdMs !== null
        ? `; ${fmt(holdMs, 3)} ms at 1 connection (the hold alone: no one to wait for), so one course sells at most ${fmt(1000 / holdMs, 0)} seats/s`
        : '') +
      (hot.baseline ? `; pgbench ceiling of the same statement ${fmt(hot.baseline.ordersPerSecond, 0)}/s` : ''),
  ];
}

/** Per scenario and path, the last round's load of each of its processes and their summed CPU ms per order. */
function processLines({ summary }: OrdersResults): string[] {
  return SCENARIOS.flatMap((scenario) =>
    (['stack', 'reference', 'oneProcess'] as const).flatMap((kind) => {
      const processes = summary[scenario][kind]?.services;
      if (!processes) return [];
      const total = Object.values(processes).reduce((sum, p) => sum + p.cpuMsPerOrder, 0);
      const each = Object.entries(processes).map(([name, p]) => `${name} ELU ${p.elu}, CPU ${p.cpuPct}% of a core, ${p.cpuMsPerOrder} CPU ms/order`);
      return [`- ${scenario}, ${pathName(kind, scenario)}: **${fmt(total, 2)} CPU ms/order** in all; ${each.join('; ')}`];
    }),
  );
}

/** What the run prints at the end. */
export const ordersConsole = (results: OrdersResults): string =>
  [
    '',
    ...tableLines(results),
    '',
    ...ratioLines(results),
    ...lockLines(results),
    ...processLines(results),
    '',
    ...memoryMarkdown(results.memory),
    '',
    ...curvesLines(results),
    '',
  ].join('\n');

export function ordersMarkdown(results: OrdersResults): string {
  const { machine, parameters: p, checks, problems } = results;
  return [
    '# Orders benchmark: placeOrder throughput',
    '',
    `${results.startedAt}, ${results.durationSeconds} s, revision ${results.revision ?? 'unknown'}. Command: \`${results.command}\`.`,
    '',
    `Machine: ${describeMachine(machine)}, load average at start ${machine.loadAverageAtStart.join(' / ')}. ` +
      'Services, PostgreSQL, autocannon and the baselines share these cores.',
    '',
    `Services: ${results.services}.`,
    '',
    `Courses inserted with SQL (${p.courses} spread, capacity ${p.spreadCapacity}; 1 hot, capacity ${p.hotCapacity}). ${p.connections} connections, ${p.duration} s per measurement, ${p.rounds} ABBA round(s); medians.`,
    '',
    ...tableLines(results),
    '',
    ...ratioLines(results),
    ...lockLines(results),
    '',
    'Processes of each path, last round (ELU = event loop busy share; CPU in % of one core):',
    '',
    ...processLines(results),
    '',
    ...memoryMarkdown(results.memory),
    '',
    ...curvesLines(results),
    '',
    'Checks (after each phase, once no seat was held and no order PENDING or CANCELLING, or after 120 s):',
    '',
    ...Object.entries(checks).map(
      ([phase, c]) =>
        `- ${phase}: ${c.ok ? 'OK' : '**FAILED**'} — ${c.courses} courses, held ${c.heldAfterSettling}, ${c.pendingReservations} PENDING reservations, seats sold ${c.seatsSold} = confirmed reservations ${c.confirmedReservations}; confirmed reservations of orders ${c.confirmedReservationsOfOrders} vs CONFIRMED orders ${c.confirmedOrders}; ${c.coursesDisagreeing} courses disagreeing; ${c.unfinishedOrders} orders PENDING or CANCELLING`,
    ),
    '',
    ...(problems.length ? ['Problems:', '', ...mdList(problems), ''] : []),
  ].join('\n');
}
