/**
 * The rate sweep of the subscriptions benchmark: per path, one phase at each
 * rate of --sweep (orders/s offered), ascending, until the path can no longer
 * take the rate (below); the path's figure is the highest rate at which p99
 * stayed under --limit-ms, every lower rate included (issue 15: "the highest
 * order rate at which p99 stays under 50 ms"). At each rate the paths run in
 * alternating order (abbaRounds), so a drift in the machine's load does not
 * favour one. A phase misses the limit when its p99 latency reaches it, when
 * it achieved under 90 % of the offered rate (saturated: with at most
 * --concurrency orders in flight the offered load fell), or when an order
 * failed, an event was lost, out of order, duplicated or an error, or the
 * drain timed out (those last four also fail the run, summary.ts). A path
 * goes on past a p99 over the limit, for the chart, and stops after any
 * other miss: a higher rate would only take longer and say no more.
 */
import { abbaRounds } from '../runner/measure';
import { fmt, mdRow } from '../runner/report';
import type { PhaseResult } from './figures';
import type { Mode, SubscriptionsOptions } from './options';
import { runPhase, type Context } from './phase';

/** One phase of the sweep as the report shows it; latencies in ms, rates in orders/s. */
export interface SweepPoint {
  rate: number;
  achievedRate: number;
  p50: number;
  p99: number;
  /** The commit + NOTIFY floor's p99 in the phase (a bare LISTEN): no subscriber can beat it. */
  floorP99: number;
  /** Why the phase missed the limit; null when it kept under it. */
  missed: string | null;
}

export interface SweepPath {
  points: SweepPoint[];
  /** The highest rate whose p99 stayed under the limit, every lower rate included; null when the lowest missed. */
  highestRate: number | null;
}

export type SweepSummary = Partial<Record<Mode, SweepPath>>;

/** Orders of a sweep phase at `rate`: `seconds` of orders, at least 20. */
export const sweepOrders = (rate: number, seconds: number): number => Math.max(20, Math.round(rate * seconds));

/** Why the path could not take the phase's rate (failures, saturation), or null. */
function overloaded(phase: PhaseResult): string | null {
  const { events: e } = phase;
  if (e.lost || e.outOfOrder || e.duplicates || e.errors || !phase.drained) return 'events lost, out of order, duplicated or errors';
  if (phase.orders.failed) return `${phase.orders.failed} orders failed`;
  if (phase.orders.achievedRate < 0.9 * phase.rate) return `saturated at ${fmt(phase.orders.achievedRate, 1)}/s`;
  return null;
}

/** Why `phase` missed the sweep's limit, or null; see the module's docstring. */
export function missed(phase: PhaseResult, limitMs: number): string | null {
  return overloaded(phase) ?? (phase.latencyMs.p99 < limitMs ? null : `p99 ${fmt(phase.latencyMs.p99)} ms`);
}

/** Runs the sweep over `modes`; each phase is handed to `done` as it ends. */
export async function runSweep(context: Context, modes: Mode[], done: (phase: PhaseResult) => void): Promise<PhaseResult[]> {
  const { options } = context;
  const phases: PhaseResult[] = [];
  const running = new Set(modes);
  for (const { round, order } of abbaRounds(options.sweep.length, modes)) {
    const rate = options.sweep[round - 1]!;
    for (const mode of order.filter((one) => running.has(one))) {
      const orders = sweepOrders(rate, options.sweepSeconds);
      const phase = await runPhase(context, {
        mode,
        part: 'sweep',
        round: 0,
        subscribers: options.subscribers,
        connections: options.connections,
        orders,
        rate,
      });
      phases.push(phase);
      done(phase);
      if (overloaded(phase)) running.delete(mode);
    }
    if (running.size === 0) break;
  }
  return phases;
}

/** Per path, its points and highest rate under the limit. */
export function sweepSummary(phases: PhaseResult[], options: SubscriptionsOptions): SweepSummary {
  const summary: SweepSummary = {};
  for (const mode of ['direct', 'gateway'] as const) {
    const mine = phases.filter((phase) => phase.part === 'sweep' && phase.mode === mode);
    if (mine.length === 0) continue;
    const points = mine.map((phase): SweepPoint => ({
      rate: phase.rate,
      achievedRate: phase.orders.achievedRate,
      p50: phase.latencyMs.p50,
      p99: phase.latencyMs.p99,
      floorP99: phase.pgNotifyMs.p99,
      missed: missed(phase, options.limitMs),
    }));
    const first = points.findIndex((point) => point.missed);
    const kept = first === -1 ? points : points.slice(0, first);
    summary[mode] = { points, highestRate: kept.at(-1)?.rate ?? null };
  }
  return summary;
}

/** The highest rate as text: `40/s`, or `none (5/s missed)` when the lowest rate missed. */
export const highestText = (path: SweepPath | undefined): string =>
  !path ? '–' : path.highestRate === null ? `none (${path.points[0]!.rate}/s missed)` : `${path.highestRate}/s`;

/** The sweep's table: one row per rate, the paths side by side, then each path's highest rate; none without a sweep. */
export function sweepTable(summary: SweepSummary, limitMs: number): string[] {
  const rates = [...new Set(Object.values(summary).flatMap((path) => path.points.map((point) => point.rate)))].sort((a, b) => a - b);
  if (rates.length === 0) return [];
  const cell = (mode: Mode, rate: number) => {
    const point = summary[mode]?.points.find((one) => one.rate === rate);
    if (!point) return '–';
    const missedText = point.missed ? ` (missed: ${point.missed})` : '';
    return `${fmt(point.p50)} / **${fmt(point.p99)}** (floor ${fmt(point.floorP99)}) at ${fmt(point.achievedRate, 1)}/s${missedText}`;
  };
  return [
    '| orders/s offered | direct (course subgraph) | through the gateway |',
    '|---:|---|---|',
    ...rates.map((rate) => mdRow([rate, cell('direct', rate), cell('gateway', rate)])),
    mdRow([`**highest rate with p99 < ${limitMs} ms**`, highestText(summary.direct), highestText(summary.gateway)]),
  ];
}

/** The sweep's Markdown section, with its chart (`chartFile`, beside the Markdown); none without a sweep. */
export function sweepMarkdown(
  summary: SweepSummary,
  options: Pick<SubscriptionsOptions, 'subscribers' | 'sweepSeconds' | 'limitMs'>,
  chartFile: string,
): string[] {
  const table = sweepTable(summary, options.limitMs);
  if (table.length === 0) return [];
  return [
    `## Rate sweep: p99 under ${options.limitMs} ms up to which order rate`,
    '',
    `N = ${options.subscribers} subscribers, ${options.sweepSeconds} s of orders per phase (at least 20 orders), one phase per path and rate, ascending, until the path falls under 90 % of the offered rate or fails. A phase misses the limit when its p99 is ${options.limitMs} ms or more, or it fell short of the rate, or failed. Latency p50 / **p99** in ms, the commit + NOTIFY floor's p99 (a bare \`LISTEN\`) and the orders/s achieved.`,
    '',
    `![p99 latency vs order rate](${chartFile})`,
    '',
    ...table,
    '',
  ];
}
