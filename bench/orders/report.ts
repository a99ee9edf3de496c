/**
 * The orders benchmark's report: the table of median orders/s, latency
 * (ms), errors and PostgreSQL commits per order by scenario and path; the
 * ratios; the services' load and memory; the checks. Printed, and written as
 * bench/results/orders.md.
 */
import { describeMachine } from '../runner/results';
import { memoryMarkdown } from '../runner/memory';
import { fmt, mdList, mdRow } from '../runner/report';
import { SCENARIOS } from './options';
import type { OrdersResults } from './summary';

const PATHS = ['stack', 'baseline', 'express'] as const;

const pathName = (kind: (typeof PATHS)[number], scenario: string): string =>
  kind === 'stack'
    ? 'stack (gateway)'
    : kind === 'express'
      ? 'Express in-memory reference'
      : scenario === 'spread'
        ? 'baseline (node pg)'
        : 'baseline (pgbench)';

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

function ratioLines({ summary }: OrdersResults): string[] {
  return SCENARIOS.filter((scenario) => summary[scenario].ratio !== null).flatMap((scenario) => {
    const { ratio, ratioToExpress, stack, express } = summary[scenario];
    return [
      `- **${scenario}**: stack / baseline = ${fmt(100 * ratio!, 1)}%`,
      ...(ratioToExpress !== null
        ? [
            `- **${scenario}**: stack / Express in-memory reference = ${fmt(ratioToExpress, 2)}× orders/s, p99 ${fmt(stack!.p99, 0)} vs ${fmt(express!.p99, 0)} ms (aim: ≥ 2× with a lower p99)`,
          ]
        : []),
    ];
  });
}

function serviceLines({ summary }: OrdersResults): string[] {
  return SCENARIOS.flatMap((scenario) => {
    const services = summary[scenario].stack?.services;
    return services
      ? [
          `- ${scenario} (last stack round): ${Object.entries(services)
            .map(([name, s]) => `${name} ELU ${s.elu}, CPU ${s.cpuPct}% of a core, ${s.cpuMsPerOrder} CPU ms/order`)
            .join('; ')}`,
        ]
      : [];
  });
}

/** What the run prints at the end. */
export const ordersConsole = (results: OrdersResults): string =>
  ['', ...tableLines(results), '', ...ratioLines(results), ...serviceLines(results), '', ...memoryMarkdown(results.memory), ''].join('\n');

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
    '',
    'Service processes (ELU = event loop busy share; CPU in % of one core):',
    '',
    ...serviceLines(results),
    '',
    ...memoryMarkdown(results.memory),
    '',
    'Checks (after each scenario, once held seats settled):',
    '',
    ...Object.entries(checks).map(
      ([scenario, c]) =>
        `- ${scenario}: ${c.ok ? 'OK' : '**FAILED**'} — ${c.courses} courses, held ${c.heldAfterSettling}, ${c.pendingReservations} PENDING reservations, seats sold ${c.seatsSold} = confirmed reservations ${c.confirmedReservations}; confirmed reservations of orders ${c.confirmedReservationsOfOrders} vs CONFIRMED orders ${c.confirmedOrders}; ${c.coursesDisagreeing} courses disagreeing; ${c.pendingOrders} orders PENDING`,
    ),
    '',
    ...(problems.length ? ['Problems:', '', ...mdList(problems), ''] : []),
  ].join('\n');
}
