/**
 * The catalog's two measurements of a target. Throughput: autocannon in the
 * benchmark process (POST, C connections, S seconds): req/s, latency p50/p90/
 * p99/mean/max in ms (autocannon's, whole ms), errors; meanwhile the CPU time
 * of each process in % of one core (the client: this process; the services:
 * their probes, with ELU; Hive: /proc/<pid>/stat) and, with --profile, the
 * gateway's CPU profile. Latency: one client, one request at a time, timed
 * with performance.now() (ms, 3 decimals).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { metered } from '../runner/measure';
import { summarizeProfile, type ProfileSummary, type Stage } from '../runner/profile';
import type { ServiceMeter } from '../runner/services';
import { distribution, round, type Distribution } from '../runner/stats';
import type { Target } from './operations';

export interface Load {
  /** CPU time of each process during the measurement, % of one core (hive: from /proc; client: the benchmark process running autocannon); and each service's event-loop utilization. */
  cpuPct: Record<string, number>;
  elu: Record<string, number>;
  rps: number;
  requests: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  errors: number;
  non2xx: number;
  timeouts: number;
}

/** What is watched during a measurement besides the client; nothing during the warm-up. */
export interface Watched {
  meters: ServiceMeter[];
  hivePid?: number;
  /** CPU-profile the gateway while it is the target. */
  profileGateway: boolean;
}

/** Where the gateway spends its time; a sample counts for a stage when the stage's frame is on its stack. */
const STAGES: Stage[] = [
  { stage: 'gateway executeQueryPlan', fn: /^executeQueryPlan$/, url: /@apollo\/gateway/ },
  { stage: 'query planning', fn: /^(buildQueryPlan|computeQueryPlan)$/ },
  { stage: 'graphql-js validate', fn: /^validate$/, url: /graphql\/validation/ },
  { stage: 'graphql-js parse', fn: /^parse$/, url: /graphql\/language/ },
  { stage: 'graphql-js execute', fn: /^execute$/, url: /graphql\/execution/ },
  { stage: 'Apollo Server request pipeline', fn: /^processGraphQLRequest$/, url: /@apollo\/server/ },
  {
    stage: 'subgraph fetch (RemoteGraphQLDataSource)',
    fn: /^(process|sendRequest|fetcher)$/,
    url: /@apollo\/gateway|node-fetch|make-fetch-happen|undici/,
  },
  { stage: 'express', fn: /./, url: /node_modules\/(express|router|body-parser)\// },
  { stage: 'jsonwebtoken / crypto', fn: /./, url: /node_modules\/jsonwebtoken\/|node:crypto/ },
  { stage: 'garbage collection', fn: /^\(garbage collector\)$/ },
  { stage: 'idle', fn: /^\(idle\)$/ },
];

/** CPU ms (user + system) of a process, from /proc; NaN elsewhere. */
function procCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return NaN;
  }
}

/** autocannon on the target: the same body, or each request the next of `bodies`; headers renewed per request when the target has some. */
function load(target: Target, seconds: number, connections: number) {
  let next = 0;
  const { bodies, headers } = target;
  // Per request: the next body, and the headers as they are now (an assertion is renewed every 30 s).
  const setupRequest = (request: autocannon.Request) => ({
    ...request,
    ...(bodies ? { body: bodies[next++ % bodies.length]! } : {}),
    ...(headers ? { headers: { ...request.headers, ...headers() } } : {}),
  });
  return autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: target.body,
    ...(bodies || headers ? { requests: [{ method: 'POST', setupRequest }] } : {}),
    connections,
    duration: seconds,
  });
}

/** Throughput of `target` for `seconds`, with what `watched` names measured meanwhile; the gateway's profile summary when one was taken. */
export async function cannon(
  target: Target,
  seconds: number,
  connections: number,
  watched?: Watched,
): Promise<{ load: Load; profile: ProfileSummary | null }> {
  const profileGateway = !!watched?.profileGateway && target.name === 'gateway';
  let wallMs = 0;
  let cpuPct: Record<string, number> = {};
  const { result, measured } = await metered(
    watched?.meters ?? [],
    (name) => profileGateway && name === 'gateway',
    async () => {
      const hiveCpu = procCpuMs(watched?.hivePid);
      const clientCpu = process.cpuUsage();
      const wall = performance.now();
      const result = await load(target, seconds, connections);
      wallMs = performance.now() - wall;
      const client = process.cpuUsage(clientCpu);
      cpuPct = { client: round((100 * (client.user + client.system)) / 1000 / wallMs) };
      if (watched?.hivePid) cpuPct.hive = round((100 * (procCpuMs(watched.hivePid) - hiveCpu)) / wallMs);
      return result;
    },
  );
  const elu: Record<string, number> = {};
  let profile: ProfileSummary | null = null;
  for (const [index, meter] of (watched?.meters ?? []).entries()) {
    const { reading, profile: taken } = measured[index]!;
    cpuPct[meter.name] = round((100 * reading.cpuMs) / reading.wallMs);
    elu[meter.name] = round(reading.elu, 2);
    if (taken) profile = summarizeProfile(taken, 25, STAGES);
  }
  const { latency } = result;
  return {
    load: {
      cpuPct,
      elu,
      rps: round(result.requests.average, 1),
      requests: result.requests.total,
      latencyMs: { p50: latency.p50, p90: latency.p90, p99: latency.p99, mean: round(latency.average, 2), max: latency.max },
      errors: result.errors,
      non2xx: result.non2xx,
      timeouts: result.timeouts,
    },
    profile,
  };
}

/** One client, one request at a time (each the next of `bodies` when the target has them): latency without queueing, timed here to the microsecond. */
export async function serial(target: Target, count: number): Promise<Distribution> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...target.headers?.() },
      body: target.bodies ? target.bodies[index % target.bodies.length]! : target.body,
    });
    await response.arrayBuffer();
    times.push(performance.now() - started);
    if (!response.ok) throw new Error(`${target.name} answered ${response.status}`);
  }
  const d = distribution(times);
  return { ...d, p50: round(d.p50, 3), p90: round(d.p90, 3), p99: round(d.p99, 3), max: round(d.max, 3), mean: round(d.mean, 3) };
}
