/**
 * One phase of the subscriptions benchmark: a fresh course, N subscribers on
 * one path (direct: the course subgraph's websocket; gateway: the
 * gateway's), M orders at the set rate, then the drain. Measures each
 * event's latency from the counter UPDATE (changedAt) to each subscriber
 * (ms), the per-event first and last delivery, the LISTEN floor, the drain
 * time, loss and order, and each service's load during orders + drain.
 */
import { IDENTITY_HEADER } from '@coursegraph/runtime';
import { metered } from '../runner/measure';
import type { Reading } from '../runner/meter';
import type { ProfileSummary } from '../runner/profile';
import type { Services } from '../runner/services';
import { distribution, round, type Distribution } from '../runner/stats';
import type { WorkerRpc } from '../runner/workers';
import { PLACE_ORDER, PRICE, SUBSCRIPTION, createCourse, newUser, seatsVersion, waitIdle } from './operations';
import type { Mode, SubscriptionsOptions } from './options';
import { saveProfiles } from './profiles';
import type { Opened, OrdersReport, ProbeReport, SubscriberReport } from './worker/messages';

export interface ServiceLoad {
  /** Event-loop utilization: the share of the phase the service's event loop was busy. */
  elu: number;
  /** CPU time of the process, % of one core (NaN in process: the process also runs the clients). */
  cpuPct: number;
  loopDelayMs: { p50: number; p99: number; max: number };
}

export interface PhaseResult {
  mode: Mode;
  round: number;
  subscribers: number;
  connections: number;
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

export interface Context {
  options: SubscriptionsOptions;
  services: Services;
  subscribers: WorkerRpc;
  driver: WorkerRpc;
  /** Where CPU profiles go; null: no profiling (always during the warm-up). */
  profileDir: string | null;
}

function serviceLoad({ elu, cpuMs, wallMs, loopDelayMs }: Reading): ServiceLoad {
  return {
    elu: round(elu, 2),
    cpuPct: round((100 * cpuMs) / wallMs),
    loopDelayMs: { p50: round(loopDelayMs.p50), p99: round(loopDelayMs.p99), max: round(loopDelayMs.max) },
  };
}

/** N subscribers of the phase's course on `mode`'s websocket; resolves once each has its CURRENT event. */
function openSubscribers(context: Context, mode: Mode, courseId: string, n: number, m: number, connections: number): Promise<Opened> {
  const { services } = context;
  const open = {
    type: 'open',
    url: mode === 'gateway' ? services.gatewayUrl : services.courseUrl,
    query: SUBSCRIPTION,
    // Directly, each subscription carries the gateway's anonymous assertion, as the gateway's upstream subscription does.
    extensions: mode === 'direct' ? { [IDENTITY_HEADER]: services.anonymousIdentity() } : undefined,
    courseId,
    subscribers: n,
    connections,
    capacityEvents: 2 * m,
    openConcurrency: 50,
    timeoutMs: 60_000,
  };
  return context.subscribers.request<Opened>(open, 90_000);
}

/** Runs one phase: `n` subscribers on `connections` websockets, `m` orders. */
export async function runPhase(context: Context, mode: Mode, roundNo: number, n: number, m: number, connections: number): Promise<PhaseResult> {
  const { services, subscribers, driver, options } = context;
  const course = await createCourse(services, m + 10);
  await driver.request({ type: 'watch', courseId: course.id });
  const tokens = Array.from({ length: m }, () => services.token(newUser('STUDENT')));
  const opened = await openSubscribers(context, mode, course.id, n, m, connections);

  const profiling = context.profileDir !== null;
  await subscribers.request({ type: 'measure', profile: profiling });
  const { result, measured } = await metered(
    services.meters,
    () => profiling,
    async () => {
      const placed = await driver.request<OrdersReport>(
        {
          type: 'orders',
          url: services.gatewayUrl,
          mutation: PLACE_ORDER,
          courseId: course.id,
          price: PRICE,
          tokens,
          rate: options.rate,
          concurrency: options.concurrency,
        },
        (m / options.rate) * 1000 + 120_000,
      );
      const expected = (await seatsVersion(services, course)) - opened.v0;
      const report = await subscribers.request<SubscriberReport>(
        { type: 'drain', expected, timeoutMs: options.drainTimeoutMs },
        options.drainTimeoutMs + 30_000,
      );
      return { placed, expected, report };
    },
  );
  const probeReport = await driver.request<ProbeReport>({ type: 'probe-report' });
  await subscribers.request({ type: 'close' }, 30_000);
  await waitIdle(services);

  const phase = phaseResult(
    context,
    { mode, roundNo, n, connections, opened, ...result, probeReport },
    measured.map(({ reading }) => reading),
  );
  if (context.profileDir) {
    const profiles = services.meters.map((meter, index) => [meter.name, measured[index]!.profile] as const);
    phase.profile = saveProfiles(context.profileDir, `${roundNo}-${mode}`, profiles, result.report.profile);
  }
  return phase;
}

interface PhaseData {
  mode: Mode;
  roundNo: number;
  n: number;
  connections: number;
  opened: Opened;
  placed: OrdersReport;
  expected: number;
  report: SubscriberReport;
  probeReport: ProbeReport;
}

/** The phase's figures from what the workers and the meters reported. */
function phaseResult(context: Context, data: PhaseData, readings: Reading[]): PhaseResult {
  const { placed, report, opened } = data;
  const { latencies: orderLatencies, type: _type, ...orderCounts } = placed;
  const per1000 = (ms: number) => round(ms / Math.max(1, report.received / 1000), 1);
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return {
    mode: data.mode,
    round: data.roundNo,
    subscribers: data.n,
    connections: data.connections,
    orders: {
      ...orderCounts,
      seconds: round(placed.seconds, 2),
      achievedRate: round(placed.placed / placed.seconds),
      latencyMs: distribution(orderLatencies),
    },
    events: {
      expected: data.n * data.expected,
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
      services: Object.fromEntries(context.services.meters.map((meter, index) => [meter.name, serviceLoad(readings[index]!)])),
      busyMsPer1000Deliveries: per1000(sum(readings.map((reading) => reading.elu * reading.wallMs))),
      cpuMsPer1000Deliveries: per1000(sum(readings.map((reading) => reading.cpuMs))),
      clientThreadElu: round(report.load.elu, 2),
      clientLoopDelayP99Ms: round(report.load.loopDelayMs.p99),
    },
  };
}
