/**
 * The subscriptions benchmark's figures: over the rounds, per path the
 * median of each phase figure (latencies in ms, rates per second, load), the
 * worst phase's loss, order and duplicates, the gateway / direct ratios of
 * the p50 and p99 latency, and whether the gateway met the aim (p99 under
 * --limit-ms at --rate, issue 15: 50 ms at N = 1,000 and 20 orders/s); the
 * rate sweep (sweep.ts); the problems that fail the run and the notes
 * (saturation, profiling); and the JSON document
 * (bench/results/subscriptions.json).
 */
import { fmt } from '../runner/report';
import { gitRevision, resultHeader, type Machine } from '../runner/results';
import { describeServiceCode } from '../runner/service-code';
import { median, ratio } from '../runner/stats';
import { phaseName, type PhaseResult } from './figures';
import { subscriptionsCommand, type Mode, type SubscriptionsOptions } from './options';
import { sweepSummary } from './sweep';

export interface Summary {
  [key: string]: number;
}

/** The measured services, in start order: accounts, course, order, gateway (or the one in-process thread). */
export const serviceNames = (phases: PhaseResult[]): string[] => Object.keys(phases[0]?.load.services ?? {});

/** For each `name: field` of `fields`, `combine` (the median, or the worst) over the phases of `of(phase)[field]`. */
function over<T>(phases: PhaseResult[], of: (phase: PhaseResult) => T, fields: Record<string, keyof T>, combine = median): Summary {
  return Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, combine(phases.map((phase) => of(phase)[field] as number))]));
}

/** The worst phase's count. */
const worst = (values: number[]) => Math.max(0, ...values);

function summarize(phases: PhaseResult[]): Summary {
  const pick = (get: (phase: PhaseResult) => number) => median(phases.map(get));
  const summary: Summary = {
    ...over(phases, (phase) => phase.latencyMs, { p50: 'p50', p90: 'p90', p99: 'p99', max: 'max', mean: 'mean' }),
    ...over(phases, (phase) => phase.firstDeliveryMs, { firstP50: 'p50' }),
    ...over(phases, (phase) => phase.lastDeliveryMs, { lastP50: 'p50', lastP99: 'p99' }),
    ...over(phases, (phase) => phase.pgNotifyMs, { pgNotifyP50: 'p50', pgNotifyP99: 'p99' }),
    drainMs: pick((phase) => phase.drainMs),
    ...over(phases, (phase) => phase.orders.latencyMs, { orderP50: 'p50', orderP99: 'p99' }),
    achievedRate: pick((phase) => phase.orders.achievedRate),
    topics: pick((phase) => phase.topics ?? NaN),
    ...over(phases, (phase) => phase.load, { busyPer1000: 'busyMsPer1000Deliveries', cpuPer1000: 'cpuMsPer1000Deliveries' }),
    deliveriesPerSecond: pick((phase) => phase.events.received / (phase.orders.seconds + phase.drainMs / 1000)),
    ...over(phases, (phase) => phase.load, { clientElu: 'clientThreadElu', clientLoopDelayP99: 'clientLoopDelayP99Ms' }),
    openMs: pick((phase) => phase.setup.openMs),
    ...over(phases, (phase) => phase.events, { expected: 'expected', received: 'received' }),
    ...over(phases, (phase) => phase.events, { lost: 'lost', outOfOrder: 'outOfOrder', duplicates: 'duplicates' }, worst),
  };
  for (const name of serviceNames(phases)) {
    Object.assign(
      summary,
      over(phases, (phase) => phase.load.services[name]!, { [`elu ${name}`]: 'elu', [`cpu ${name}`]: 'cpuPct' }),
    );
    summary[`delay ${name}`] = pick((phase) => phase.load.services[name]!.loopDelayMs.p99);
  }
  return summary;
}

/** The summary of one path's phases of the rounds; undefined when that path was not run. */
export function pathSummary(phases: PhaseResult[], mode: Mode): Summary | undefined {
  const mine = phases.filter((phase) => phase.part === 'rounds' && phase.mode === mode);
  return mine.length ? summarize(mine) : undefined;
}

/** The service whose event loop was busiest during a phase. */
export function busiest(phase: PhaseResult): string {
  const [name, load] = Object.entries(phase.load.services).sort((a, b) => b[1].elu - a[1].elu)[0]!;
  return `${name} ELU ${fmt(load.elu, 2)}`;
}

/**
 * What fails the run: a failure; in any phase a lost, out-of-order or duplicate event, a subscription error, an
 * undrained phase, a gateway phase whose subscribers did not share one topic; a failed order in the rounds (in the
 * sweep, past saturation, it only marks the rate as missed).
 */
function problemsOf(phases: PhaseResult[], failure: string | null, { drainTimeoutMs, gateways }: SubscriptionsOptions): string[] {
  const problems: string[] = [];
  if (failure) problems.push(`run failed: ${failure.split('\n')[0]}`);
  for (const phase of phases) {
    const where = phaseName(phase);
    if (phase.events.lost) problems.push(`${where}: ${phase.events.lost} events lost (${phase.events.subscribersWithLoss} subscribers)`);
    if (phase.events.outOfOrder) problems.push(`${where}: ${phase.events.outOfOrder} events out of order`);
    if (phase.events.errors) problems.push(`${where}: ${phase.events.errors} subscription errors, e.g. ${phase.events.errorSample}`);
    if (phase.orders.failed && phase.part !== 'sweep')
      problems.push(`${where}: ${phase.orders.failed} orders failed, e.g. ${phase.orders.failureSample}`);
    if (phase.topics !== null && phase.topics !== gateways)
      problems.push(`${where}: the subscribers made ${phase.topics} gateway topics, not one per gateway (${gateways})`);
    if (phase.events.duplicates) problems.push(`${where}: ${phase.events.duplicates} duplicate events`);
    if (!phase.drained) problems.push(`${where}: not every event arrived within ${drainTimeoutMs / 1000} s of the last order`);
  }
  return problems;
}

function notesOf(phases: PhaseResult[], options: SubscriptionsOptions): string[] {
  const notes: string[] = [];
  const slow = phases.filter((phase) => phase.orders.achievedRate < 0.9 * phase.rate);
  if (slow.length) {
    notes.push(
      `Saturated: ${slow.map((phase) => `${phaseName(phase)} ${phase.orders.achievedRate}/s instead of ${phase.rate}/s (busiest: ${busiest(phase)})`).join(', ')}. ` +
        `With at most ${options.concurrency} orders in flight the offered load fell to what the services could take, so the latencies are at the achieved rate, not at the offered one.`,
    );
  }
  const failed = phases.filter((phase) => phase.part === 'sweep' && phase.orders.failed);
  for (const phase of failed) notes.push(`${phaseName(phase)}: ${phase.orders.failed} orders failed, e.g. ${phase.orders.failureSample}`);
  if (options.profile)
    notes.push(
      'Profiled run: the profilers slow the services and the client thread (client ELU is not meaningful); compare only with other profiled runs.',
    );
  return notes;
}

/** The JSON document of the run. */
export function subscriptionsResults(
  options: SubscriptionsOptions,
  startedAt: Date,
  machine: Machine & { loadAverageAtStart: number[]; postgres: string | null },
  phases: PhaseResult[],
  failure: string | null,
) {
  const direct = pathSummary(phases, 'direct');
  const gateway = pathSummary(phases, 'gateway');
  const problems = problemsOf(phases, failure, options);
  const o = options;
  const gatewayRounds = phases.filter((phase) => phase.part === 'rounds' && phase.mode === 'gateway');
  return {
    ...resultHeader('subscriptions', startedAt, subscriptionsCommand(options), machine, gitRevision(true)),
    services: o.inProcess
      ? "every service in the benchmark process, on one thread (--in-process: the tests' stack, development settings)"
      : `${describeServiceCode()}: ${serviceNames(phases).join(', ') || 'none started'}`,
    parameters: {
      subscribers: o.subscribers,
      orders: o.orders,
      rate: o.rate,
      concurrency: o.concurrency,
      connections: o.connections,
      gateways: o.gateways,
      rounds: o.rounds,
      roundModes: o.roundModes,
      sweep: o.sweep,
      sweepSeconds: o.sweepSeconds,
      limitMs: o.limitMs,
      drainTimeoutMs: o.drainTimeoutMs,
      inProcess: o.inProcess,
      profiled: o.profile,
    },
    medians: {
      direct: direct ?? null,
      gateway: gateway ?? null,
      ratios: direct && gateway ? { p50: ratio(gateway.p50, direct.p50, 2)!, p99: ratio(gateway.p99, direct.p99, 2)! } : null,
    },
    /** The gateway's median p99 over the rounds against the limit; met needs every round clean and at the rate. */
    aim: gateway
      ? {
          p99: gateway.p99,
          met: gateway.p99 < o.limitMs && gatewayRounds.every((phase) => phase.orders.achievedRate >= 0.9 * o.rate) && problems.length === 0,
        }
      : null,
    sweep: sweepSummary(phases, options),
    ok: problems.length === 0,
    problems,
    notes: notesOf(phases, options),
    phases,
  };
}

export type SubscriptionsResults = ReturnType<typeof subscriptionsResults>;
