/**
 * placeOrder under closed-loop load: autocannon in the benchmark process,
 * `connections` connections, POST /graphql with a new student (token) and a
 * new idempotency key per request, on the gateway (the stack), on both
 * gateways of the stack with a second instance of every service (the
 * connections alternate between them: autocannon 8 takes several URLs, see
 * its lib/run.js), or on an Express reference. Orders/s = CONFIRMED answers
 * without userErrors / wall seconds; latency is autocannon's (ms, over all
 * URLs); each process of the target is metered meanwhile (ELU, CPU % of a
 * core, CPU ms per order).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { metered } from '../runner/measure';
import type { Measured, Reading } from '../runner/meter';
import { summarizeProfile } from '../runner/profile';
import type { ServiceMeter, ServiceProcesses } from '../runner/services';
import { round } from '../runner/stats';
import type { LoadResult, Measurement } from './measurement';
import { PRICE } from './options';
import { StudentTokens } from './tokens';

const PLACE_ORDER = `mutation BenchPlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id status } userErrors { code } }
}`;

export interface LoadTarget {
  /** One URL, or several of the same path: the connections alternate between them. */
  urls: string[];
  /** Tokens of new students, each handed out once. */
  tokens: StudentTokens;
  meters: ServiceMeter[];
}

export interface LoadSettings {
  connections: number;
  /** CPU-profile each metered service (its summary goes to the log). */
  profile: boolean;
  log: (line: string) => void;
}

/** The stack through its gateway; with `secondInstances`, through both gateways, every service's two instances metered. Made once per run: its tokens carry over. */
export const stackTarget = (services: ServiceProcesses, secondInstances = false): LoadTarget => ({
  urls: secondInstances ? [services.gatewayUrl, services.secondGatewayUrl] : [services.gatewayUrl],
  tokens: new StudentTokens(() => services.token({ userId: randomUUID(), roles: ['STUDENT'] })),
  meters: secondInstances ? [...services.meters, ...services.secondMeters] : services.meters,
});

/** The autocannon request: each call the next course, a new student and key; each answer counted by outcome. */
function placeOrderRequest(target: LoadTarget, courses: string[], path: string) {
  const counts = { next: 0, confirmed: 0, graphqlErrors: 0, userErrors: {} as Record<string, number>, sample: null as string | null };
  const request: autocannon.Request = {
    method: 'POST',
    path,
    setupRequest: (request) => {
      const index = counts.next++;
      const courseId = courses[index % courses.length]!;
      const token = target.tokens.take();
      return {
        ...request,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: PLACE_ORDER,
          variables: { input: { courseId, expectedPrice: PRICE, idempotencyKey: `bench-${randomUUID()}` } },
        }),
      };
    },
    onResponse: (status, body) => {
      try {
        const parsed = JSON.parse(body) as {
          errors?: unknown[];
          data?: { placeOrder?: { order: { status: string } | null; userErrors: { code: string }[] } };
        };
        if (parsed.errors?.length) counts.graphqlErrors++;
        const payload = parsed.data?.placeOrder;
        for (const error of payload?.userErrors ?? []) counts.userErrors[error.code] = (counts.userErrors[error.code] ?? 0) + 1;
        if (status === 200 && payload?.order?.status === 'CONFIRMED' && !payload.userErrors.length) counts.confirmed++;
        else counts.sample ??= `${status} ${body.slice(0, 300)}`;
      } catch {
        counts.sample ??= `${status} ${body.slice(0, 300)}`;
      }
    },
  };
  return { request, counts };
}

/** placeOrder under closed-loop load (autocannon) against the gateway(s) or an Express reference, for `seconds`. */
export async function runLoad(target: LoadTarget, courses: string[], seconds: number, settings: LoadSettings): Promise<LoadResult> {
  const urls = target.urls.map((url) => new URL(url));
  target.tokens.prepare(seconds);
  const { request, counts } = placeOrderRequest(target, courses, urls[0]!.pathname);
  let wallS = 0;
  const { result, measured } = await metered(
    target.meters,
    () => settings.profile,
    async () => {
      const started = performance.now();
      // @types/autocannon 7 types `url` as one string; autocannon 8 takes an array.
      const url = urls.map((each) => each.origin) as unknown as string;
      const result = await autocannon({ url, connections: settings.connections, duration: seconds, timeout: 30, requests: [request] });
      wallS = (performance.now() - started) / 1000;
      return result;
    },
  );
  target.tokens.observe(counts.confirmed / wallS);
  logProfiles(target.meters, measured, settings.log);
  const load = (reading: Reading) => ({
    elu: round(reading.elu, 2),
    cpuPct: round((100 * reading.cpuMs) / reading.wallMs),
    cpuMsPerOrder: round(reading.cpuMs / Math.max(1, counts.confirmed), 2),
  });
  const services: Measurement['services'] = target.meters.length
    ? Object.fromEntries(target.meters.map((meter, index) => [meter.name, load(measured[index]!.reading)]))
    : undefined;
  return {
    method: `autocannon, ${settings.connections} connections, POST ${urls.map((url) => url.href).join(' and ')} placeOrder, distinct student per request`,
    durationS: round(wallS, 2),
    ordersPerSecond: round(counts.confirmed / wallS),
    confirmed: counts.confirmed,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, mean: round(result.latency.average, 2), max: result.latency.max },
    errors: {
      non2xx: result.non2xx,
      transport: result.errors,
      timeouts: result.timeouts,
      graphqlErrors: counts.graphqlErrors,
      userErrors: counts.userErrors,
      sample: counts.sample,
    },
    services,
  };
}

/** With --profile: each service's time by area and its top functions, in the log. */
function logProfiles(meters: ServiceMeter[], measured: Measured[], log: (line: string) => void): void {
  for (const [index, meter] of meters.entries()) {
    const profile = measured[index]!.profile;
    if (!profile) continue;
    const summary = summarizeProfile(profile, 12);
    log(`profile ${meter.name} (${summary.totalMs} ms sampled): ${summary.byArea.map((area) => `${area.area} ${area.pct}%`).join(', ')}`);
    log(
      `  top functions: ${summary.byFunction
        .slice(0, 8)
        .map((fn) => `${fn.fn} ${fn.pct}%`)
        .join(', ')}`,
    );
  }
}
