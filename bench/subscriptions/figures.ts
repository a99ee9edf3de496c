/**
 * A subscriptions phase's figures (phase.ts runs it): latencies in ms from
 * the counter UPDATE (changedAt) to each subscriber, per event the first and
 * last subscriber, the LISTEN floor, the drain, loss and order, and each
 * service's load during orders + drain (ELU 0..1, CPU % of one core, busy
 * and CPU ms per 1000 deliveries).
 */
import type { Reading } from '../runner/meter';
import type { ProfileSummary } from '../runner/profile';
import { distribution, round, type Distribution } from '../runner/stats';
import type { Mode } from './options';
import type { Opened, OrdersReport, ProbeReport, SubscriberReport } from './worker/messages';

export interface ServiceLoad {
  /** Event-loop utilization: the share of the phase the service's event loop was busy. */
  elu: number;
  /** CPU time of the process, % of one core (NaN in process: the process also runs the clients). */
  cpuPct: number;
  loopDelayMs: { p50: number; p99: number; max: number };
}

/**
 * What a phase runs: its path, its part of the run (`rounds`: the ABBA rounds
 * at --rate; `sweep`: one rate of the sweep; `warm-up`, not recorded), the
 * round (0 outside the rounds), N subscribers on K websockets, M orders at
 * `rate` per second.
 */
export interface PhaseSpec {
  mode: Mode;
  part: 'rounds' | 'sweep' | 'warm-up';
  round: number;
  subscribers: number;
  connections: number;
  orders: number;
  rate: number;
}

/** A phase's figures; its spec's order count is `orders.placed`. */
export interface PhaseResult extends Omit<PhaseSpec, 'orders'> {
  /** Gateway phases: the gateway's upstream subscriptions (topics) once every subscriber was in; null directly. */
  topics: number | null;
  orders: {
    placed: number;
    confirmed: number;
    failed: number;
    failureSample: string | null;
    seconds: number;
    achievedRate: number;
    latencyMs: Distribution;
  };
  events: {
    expected: number;
    received: number;
    lost: number;
    subscribersWithLoss: number;
    outOfOrder: number;
    duplicates: number;
    unexpected: number;
    errors: number;
    errorSample: string | null;
  };
  /** changedAt -> received, every delivered event, ms. */
  latencyMs: Distribution;
  /** Per event, the first subscriber to get it (the pipeline) and the last (pipeline + fan-out). */
  firstDeliveryMs: Distribution;
  lastDeliveryMs: Distribution;
  /** changedAt -> a plain LISTEN connection in another thread got the NOTIFY: the floor. */
  pgNotifyMs: Distribution;
  setup: { openMs: number; firstEventMs: number };
  /** After the last order answered, until every subscriber had every event. */
  drainMs: number;
  drained: boolean;
  /**
   * During orders + drain: each service process (with --in-process, the one thread running them all),
   * the services' busy time and CPU time per 1000 delivered events (order handling included), and the
   * subscribers' thread.
   */
  load: {
    services: Record<string, ServiceLoad>;
    busyMsPer1000Deliveries: number;
    cpuMsPer1000Deliveries: number;
    clientThreadElu: number;
    clientLoopDelayP99Ms: number;
  };
  profile?: { services: Record<string, ProfileSummary>; client: ProfileSummary | null; files: string[] };
}

/** Where a phase ran, for the tables, notes and problems: `round 1 gateway`, `sweep 40/s direct`. */
export const phaseName = (phase: Omit<PhaseSpec, 'orders'>): string =>
  `${phase.part === 'sweep' ? `sweep ${phase.rate}/s` : `round ${phase.round}`} ${phase.mode}`;

function serviceLoad({ elu, cpuMs, wallMs, loopDelayMs }: Reading): ServiceLoad {
  return {
    elu: round(elu, 2),
    cpuPct: round((100 * cpuMs) / wallMs),
    loopDelayMs: { p50: round(loopDelayMs.p50), p99: round(loopDelayMs.p99), max: round(loopDelayMs.max) },
  };
}

/** What the workers and the course reported of a phase. */
export interface PhaseData {
  spec: PhaseSpec;
  topics: number | null;
  opened: Opened;
  placed: OrdersReport;
  expected: number;
  report: SubscriberReport;
  probeReport: ProbeReport;
}

/** The phase's figures from what the workers and the meters (named `meters`, in their order) reported. */
export function phaseResult(meters: readonly string[], data: PhaseData, readings: Reading[]): PhaseResult {
  const { spec, placed, report, opened } = data;
  const { latencies: orderLatencies, type: _type, ...orderCounts } = placed;
  const per1000 = (ms: number) => round(ms / Math.max(1, report.received / 1000), 1);
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return {
    ...spec,
    topics: data.topics,
    orders: {
      ...orderCounts,
      seconds: round(placed.seconds, 2),
      achievedRate: round(placed.placed / placed.seconds),
      latencyMs: distribution(orderLatencies),
    },
    events: {
      expected: spec.subscribers * data.expected,
      received: report.received,
      lost: report.lost,
      subscribersWithLoss: report.subscribersWithLoss,
      outOfOrder: report.outOfOrder,
      duplicates: report.duplicates,
      unexpected: report.unexpected,
      errors: report.errors,
      errorSample: report.errorSample,
    },
    latencyMs: distribution(report.latencies),
    firstDeliveryMs: distribution(report.firstDelivery),
    lastDeliveryMs: distribution(report.lastDelivery),
    pgNotifyMs: distribution(data.probeReport.latencies),
    setup: { openMs: Math.round(opened.openMs), firstEventMs: Math.round(opened.firstEventMs) },
    drainMs: Math.round(report.drainMs),
    drained: report.drained,
    load: {
      services: Object.fromEntries(meters.map((name, index) => [name, serviceLoad(readings[index]!)])),
      busyMsPer1000Deliveries: per1000(sum(readings.map((reading) => reading.elu * reading.wallMs))),
      cpuMsPer1000Deliveries: per1000(sum(readings.map((reading) => reading.cpuMs))),
      clientThreadElu: round(report.load.elu, 2),
      clientLoopDelayP99Ms: round(report.load.loopDelayMs.p99),
    },
  };
}
