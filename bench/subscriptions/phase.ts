/**
 * One phase of the subscriptions benchmark: a fresh course, N subscribers on
 * one path (direct: the course subgraph's websocket; gateway: the
 * gateway's), M orders at the phase's rate, then the drain. Measures each
 * event's latency from the counter UPDATE (changedAt) to each subscriber
 * (ms), the per-event first and last delivery, the LISTEN floor, the drain
 * time, loss and order, and each service's load during orders + drain
 * (figures.ts); through the gateway also how many topics the subscribers
 * made (one: they are all anonymous and ask the same thing).
 */
import { IDENTITY_HEADER } from '@coursegraph/runtime';
import { metered } from '../runner/measure';
import type { Services } from '../runner/services';
import type { WorkerRpc } from '../runner/workers';
import { phaseResult, type PhaseResult, type PhaseSpec } from './figures';
import { PLACE_ORDER, PRICE, SUBSCRIPTION, createCourse, gatewayTopics, newUser, seatsVersion, waitIdle } from './operations';
import type { SubscriptionsOptions } from './options';
import { saveProfiles } from './profiles';
import type { Opened, OrdersReport, ProbeReport, SubscriberReport } from './worker/messages';

export interface Context {
  options: SubscriptionsOptions;
  services: Services;
  subscribers: WorkerRpc;
  driver: WorkerRpc;
  /** Where CPU profiles go; null: no profiling (always during the warm-up). */
  profileDir: string | null;
}

/** The phase's subscribers of its course on its path's websocket; resolves once each has its CURRENT event. */
function openSubscribers(context: Context, spec: PhaseSpec, courseId: string): Promise<Opened> {
  const { services } = context;
  const open = {
    type: 'open',
    urls: spec.mode === 'gateway' ? services.gatewayUrls : [services.courseUrl],
    query: SUBSCRIPTION,
    // Directly, each subscription carries the gateway's anonymous assertion, as the gateway's upstream subscription does.
    extensions: spec.mode === 'direct' ? { [IDENTITY_HEADER]: services.anonymousIdentity() } : undefined,
    courseId,
    subscribers: spec.subscribers,
    connections: spec.connections,
    capacityEvents: 2 * spec.orders,
    openConcurrency: 50,
    timeoutMs: 60_000,
  };
  return context.subscribers.request<Opened>(open, 90_000);
}

/** Runs one phase as `spec` says. */
export async function runPhase(context: Context, spec: PhaseSpec): Promise<PhaseResult> {
  const { services, subscribers, driver, options } = context;
  const { orders: m, rate } = spec;
  const course = await createCourse(services, m + 10);
  await driver.request({ type: 'watch', courseId: course.id });
  const tokens = Array.from({ length: m }, () => services.token(newUser('STUDENT')));
  const opened = await openSubscribers(context, spec, course.id);
  const topics = spec.mode === 'gateway' ? await gatewayTopics(services) : null;

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
          rate,
          concurrency: options.concurrency,
        },
        (m / rate) * 1000 + 120_000,
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
    services.meters.map((meter) => meter.name),
    { spec, topics, opened, ...result, probeReport },
    measured.map(({ reading }) => reading),
  );
  if (context.profileDir) {
    const profiles = services.meters.map((meter, index) => [meter.name, measured[index]!.profile] as const);
    const name = spec.part === 'sweep' ? `${rate}-per-s-${spec.mode}` : `${spec.round}-${spec.mode}`;
    phase.profile = saveProfiles(context.profileDir, name, profiles, result.report.profile);
  }
  return phase;
}
