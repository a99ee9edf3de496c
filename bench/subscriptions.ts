/**
 * Live seat counts under load: N subscribers of one course's seatsChanged,
 * M orders placed through the gateway at a fixed rate, and how long each
 * change takes from the counter UPDATE in PostgreSQL (the event's changedAt)
 * to each subscriber. Measured through the gateway and, as the baseline,
 * directly on the course subgraph's websocket, alternately, on services of
 * its own: one process per service, as `npm start` runs them (or, with
 * --in-process, the tests' one-thread stack). See bench/README.md.
 *
 *   npm run bench:subscriptions -- --subscribers 1000 --orders 200 --rate 50
 */
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import { IDENTITY_HEADER, type Role, type Viewer } from '@coursegraph/runtime';
import { SEAT_EVENTS_CHANNEL } from '@coursegraph/course';
import { flag, numOption, option } from './runner/options';
import { findPostgres, type BenchPostgres } from './runner/postgres';
import { summarizeProfile, type CpuProfile, type ProfileSummary, type Stage } from './runner/profile';
import { machineInfo } from './runner/results';
import { runBenchmark, type BenchRun } from './runner/run';
import { distribution, median, round, type Distribution } from './runner/stats';
import { startTsWorker, workerRpc } from './runner/workers';
import { sleep, withTimeout } from '@coursegraph/devkit/timing';
import { InProcessStack, ServiceProcesses, type Services } from './runner/services';
import type { Reading } from './runner/meter';
import type { Opened, OrdersReport, ProbeReport, SubscriberReport } from './subscriptions-worker';

// ------------------------------------------------------------------ options

const argv = process.argv.slice(2);
if (flag(argv, 'help')) {
  console.log(`npm run bench:subscriptions -- [options]   (or env BENCH_<NAME>, e.g. BENCH_SUBSCRIBERS=200)
  --subscribers N     subscriptions to one course (default 1000)
  --orders M          orders placed per phase, each by a new student (default 200)
  --rate R            orders started per second (default 50)
  --concurrency C     orders in flight at most (default 16)
  --connections K     websockets per phase; subscriptions are spread over them (default N)
  --rounds X          rounds of (direct, gateway) phases, order alternating (default 2)
  --drain-timeout S   seconds to wait, after the last order, for every event to arrive (default 20)
  --only direct|gateway   run one kind of phase only (no ratios)
  --in-process        run the services in this process, on one thread (the tests' stack), instead of one process per service
  --profile           CPU-profile each service process (or the one server thread) and the client thread during each phase
  --max-seconds S     abort (non-zero exit) if the whole run takes longer (default 300)
  --out DIR           where results go (default bench/results)`);
  process.exit(0);
}

const N = Math.floor(numOption(argv, 'subscribers', 1000, 1, 20_000));
const M = Math.floor(numOption(argv, 'orders', 200, 1, 100_000));
const RATE = numOption(argv, 'rate', 50, 0.1, 10_000);
const CONCURRENCY = Math.floor(numOption(argv, 'concurrency', 16, 1, 1_000));
const CONNECTIONS = Math.floor(numOption(argv, 'connections', N, 1, N));
const ROUNDS = Math.floor(numOption(argv, 'rounds', 2, 1, 50));
const DRAIN_TIMEOUT_MS = numOption(argv, 'drain-timeout', 20, 1, 3_600) * 1000;
const MAX_SECONDS = numOption(argv, 'max-seconds', 300, 10, 86_400);
const ONLY = option(argv, 'only', '');
const PROFILE = flag(argv, 'profile');
const IN_PROCESS = flag(argv, 'in-process');
const OUT_DIR = option(argv, 'out', join(__dirname, 'results'));
if (ONLY && ONLY !== 'direct' && ONLY !== 'gateway') throw new Error('--only must be direct or gateway');
/** The gateway's MAX_SUBSCRIPTIONS_PER_CONNECTION (at most 1000). */
const SUBSCRIPTIONS_PER_CONNECTION = Math.max(20, Math.ceil(N / CONNECTIONS));
if (SUBSCRIPTIONS_PER_CONNECTION > 1_000) throw new Error('--connections must be at least N / 1000 (the gateway allows 1000 subscriptions per connection at most)');

const SUBSCRIPTION = `subscription BenchSeats($courseIds: [ID!]!) {
  seatsChanged(courseIds: $courseIds) { courseId seatsAvailable version reason changedAt }
}`;
const PLACE_ORDER = `mutation BenchPlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id status } userErrors { code message } }
}`;
const CREATE_COURSE = `mutation BenchCreateCourse($input: CreateCourseInput!) {
  createCourse(input: $input) { course { id } userErrors { code message } }
}`;
const PUBLISH_COURSE = `mutation BenchPublishCourse($input: CourseIdInput!) {
  publishCourse(input: $input) { course { id status } userErrors { code message } }
}`;
const SEATS_VERSION = `query BenchSeatsVersion($id: ID!) { course(id: $id) { seatsVersion } }`;
const PRICE = { amount: 1_000, currency: 'USD' };
const WARMUP = { subscribers: Math.min(N, 50), orders: 10 };

type Mode = 'direct' | 'gateway';

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

// ------------------------------------------------------------------ one phase

interface ServiceLoad {
  /** Event-loop utilization: the share of the phase the service's event loop was busy. */
  elu: number;
  /** CPU time of the process, % of one core (NaN in process: the process also runs the clients). */
  cpuPct: number;
  loopDelayMs: { p50: number; p99: number; max: number };
}

interface PhaseResult {
  mode: Mode;
  round: number;
  subscribers: number;
  connections: number;
  orders: { placed: number; confirmed: number; failed: number; failureSample: string | null; seconds: number; achievedRate: number; latencyMs: Distribution };
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

interface Context {
  services: Services;
  subscribers: ReturnType<typeof workerRpc>;
  driver: ReturnType<typeof workerRpc>;
  profileDir: string | null;
}

const newUser = (role: Role): Viewer => ({ userId: randomUUID(), roles: [role] });

/** POSTs a GraphQL operation to the gateway as `viewer`; throws unless it answers data without errors. */
async function call<T>(services: Services, query: string, variables: object, viewer: Viewer): Promise<T> {
  const response = await fetch(services.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${services.token(viewer)}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: T; errors?: unknown[] };
  if (!response.ok || !body.data || body.errors) throw new Error(`gateway answered ${response.status}: ${text.slice(0, 500)}`);
  return body.data;
}

/** A published course with enough seats, created through the gateway by a new instructor. */
async function createCourse(services: Services, capacity: number): Promise<{ id: string; instructor: Viewer }> {
  const instructor = newUser('INSTRUCTOR');
  const input = { title: 'Benchmark course', description: 'Made by bench/subscriptions.ts.', price: PRICE, capacity };
  type Payload = { course: { id: string } | null; userErrors: unknown[] };
  const { createCourse: created } = await call<{ createCourse: Payload }>(services, CREATE_COURSE, { input }, instructor);
  if (!created.course) throw new Error(`createCourse failed: ${JSON.stringify(created.userErrors)}`);
  const { publishCourse: published } = await call<{ publishCourse: Payload }>(services, PUBLISH_COURSE, { input: { courseId: created.course.id } }, instructor);
  if (!published.course) throw new Error(`publishCourse failed: ${JSON.stringify(published.userErrors)}`);
  return { id: created.course.id, instructor };
}

async function health(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(5_000) });
  return (await response.json()) as Record<string, unknown>;
}

/** Waits until neither the gateway nor the course subgraph holds a connection or subscription of a previous phase. */
async function waitIdle(services: Services): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const gateway = (await health(services.gatewayUrl)).subscriptions as { connections: number; upstream: number };
    const course = (await health(services.courseUrl)).subscriptions as number;
    if (gateway.connections === 0 && gateway.upstream === 0 && course === 0) return;
    if (Date.now() > deadline) throw new Error(`services still busy after a phase: gateway ${JSON.stringify(gateway)}, course subscriptions ${course}`);
    await sleep(100);
  }
}

function serviceLoad({ elu, cpuMs, wallMs, loopDelayMs }: Reading): ServiceLoad {
  return {
    elu: round(elu, 2),
    cpuPct: round((100 * cpuMs) / wallMs),
    loopDelayMs: { p50: round(loopDelayMs.p50), p99: round(loopDelayMs.p99), max: round(loopDelayMs.max) },
  };
}

async function runPhase(context: Context, mode: Mode, roundNo: number, n: number, m: number, connections: number): Promise<PhaseResult> {
  const { services, subscribers, driver } = context;
  const course = await createCourse(services, m + 10);
  await driver.request({ type: 'watch', courseId: course.id });
  const tokens = Array.from({ length: m }, () => services.token(newUser('STUDENT')));
  const opened = await subscribers.request<Opened>(
    {
      type: 'open',
      url: mode === 'gateway' ? services.gatewayUrl : services.courseUrl,
      query: SUBSCRIPTION,
      // Directly, each subscription carries the gateway's anonymous assertion, as the gateway's upstream subscription does.
      extensions: mode === 'direct' ? { [IDENTITY_HEADER]: services.anonymousIdentity() } : undefined,
      courseId: course.id,
      subscribers: n,
      connections,
      capacityEvents: 2 * m,
      openConcurrency: 50,
      timeoutMs: 60_000,
    },
    90_000,
  );

  const profiling = context.profileDir !== null;
  await subscribers.request({ type: 'measure', profile: profiling });
  await Promise.all(services.meters.map((meter) => meter.start(profiling)));

  const placed = await driver.request<OrdersReport>(
    { type: 'orders', url: services.gatewayUrl, mutation: PLACE_ORDER, courseId: course.id, price: PRICE, tokens, rate: RATE, concurrency: CONCURRENCY },
    (m / RATE) * 1000 + 120_000,
  );
  const { latencies: orderLatencies, type: _type, ...orderCounts } = placed;
  const orders = { ...orderCounts, seconds: round(placed.seconds, 2), achievedRate: round(placed.placed / placed.seconds), latencyMs: distribution(orderLatencies) };
  const { course: final } = await call<{ course: { seatsVersion: number } }>(services, SEATS_VERSION, { id: course.id }, course.instructor);
  const expected = final.seatsVersion - opened.v0;
  const report = await subscribers.request<SubscriberReport>({ type: 'drain', expected, timeoutMs: DRAIN_TIMEOUT_MS }, DRAIN_TIMEOUT_MS + 30_000);
  const measured = await Promise.all(services.meters.map((meter) => meter.stop()));

  const probeReport = await driver.request<ProbeReport>({ type: 'probe-report' });
  await subscribers.request({ type: 'close' }, 30_000);
  await waitIdle(services);

  const per1000 = (ms: number) => round(ms / Math.max(1, report.received / 1000), 1);
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const result: PhaseResult = {
    mode,
    round: roundNo,
    subscribers: n,
    connections,
    orders,
    events: {
      expected: n * expected,
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
    pgNotifyMs: distribution(probeReport.latencies),
    setup: { openMs: Math.round(opened.openMs), firstEventMs: Math.round(opened.firstEventMs) },
    drainMs: Math.round(report.drainMs),
    drained: report.drained,
    load: {
      services: Object.fromEntries(services.meters.map((meter, index) => [meter.name, serviceLoad(measured[index]!.reading)])),
      busyMsPer1000Deliveries: per1000(sum(measured.map(({ reading }) => reading.elu * reading.wallMs))),
      cpuMsPer1000Deliveries: per1000(sum(measured.map(({ reading }) => reading.cpuMs))),
      clientThreadElu: round(report.load.elu, 2),
      clientLoopDelayP99Ms: round(report.load.loopDelayMs.p99),
    },
  };
  if (context.profileDir) {
    const profiles = services.meters.map((meter, index) => [meter.name, measured[index]!.profile] as const);
    result.profile = saveProfiles(context.profileDir, `${roundNo}-${mode}`, profiles, report.profile);
  }
  return result;
}

/** Where the services spend their time; a sample counts for a stage when the stage's frame is on its stack. */
const STAGES: Stage[] = [
  { stage: 'graphql-ws server: per-subscriber loop and what it calls', fn: /./, url: /graphql-ws\/dist\/(server|use\/)/ },
  { stage: 'ws send (framing + socket write)', fn: /^send$/, url: /\/ws\/lib\/websocket\.js/ },
  { stage: 'graphql-ws message JSON.stringify', fn: /^stringifyMessage$/, url: /graphql-ws/ },
  { stage: 'graphql-js execute per subscriber per event (subscribe → mapSourceToResponse)', fn: /^mapSourceToResponse$/, url: /graphql\/execution\/subscribe/ },
  { stage: 'gateway Topic.deliver (plan execution + push)', fn: /^deliver$/, url: /gateway\/src\/subscriptions/ },
  { stage: 'gateway executeQueryPlan (events and HTTP)', fn: /^executeQueryPlan$/, url: /@apollo\/gateway/ },
  { stage: 'course NOTIFY dispatch (seat-listener.ts)', fn: /^dispatch$/, url: /seat-listener/ },
  { stage: 'Apollo Server HTTP pipeline (orders)', fn: /^processGraphQLRequest$/, url: /@apollo\/server/ },
  { stage: 'TypeORM + pg client', fn: /./, url: /node_modules\/(typeorm|pg|pg-protocol|pg-pool)\// },
  { stage: 'jsonwebtoken sign/verify (incl. key parsing)', fn: /./, url: /node_modules\/jsonwebtoken\// },
  { stage: 'socket write syscalls (any socket)', fn: /^(writev|writeBuffer|writeUtf8String|writeLatin1String)$/ },
  { stage: 'garbage collection', fn: /^\(garbage collector\)$/ },
  { stage: 'idle', fn: /^\(idle\)$/ },
];

/** Writes each profile to `dir` and summarizes it. */
function saveProfiles(dir: string, name: string, services: (readonly [string, CpuProfile | null])[], client: CpuProfile | null) {
  const files: string[] = [];
  const save = (who: string, profile: CpuProfile) => {
    const file = join(dir, `${name}-${who.replace(/\W+/g, '-')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    files.push(file);
  };
  const summaries: Record<string, ProfileSummary> = {};
  for (const [service, profile] of services) {
    if (!profile) continue;
    save(service, profile);
    summaries[service] = summarizeProfile(profile, 30, STAGES);
  }
  if (client) save('client', client);
  return { services: summaries, client: client ? summarizeProfile(client, 15) : null, files };
}

// ------------------------------------------------------------------ report

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const ratio = (gateway: number, direct: number) => (Number.isFinite(gateway) && Number.isFinite(direct) && direct > 0 ? `${(gateway / direct).toFixed(2)}×` : '–');

interface Summary {
  [key: string]: number;
}

/** The measured services, in start order: accounts, course, order, gateway (or the one in-process thread). */
const serviceNames = (phases: PhaseResult[]): string[] => Object.keys(phases[0]?.load.services ?? {});

function summarize(phases: PhaseResult[]): Summary {
  const pick = (get: (phase: PhaseResult) => number) => median(phases.map(get));
  const summary: Summary = {
    p50: pick((phase) => phase.latencyMs.p50),
    p90: pick((phase) => phase.latencyMs.p90),
    p99: pick((phase) => phase.latencyMs.p99),
    max: pick((phase) => phase.latencyMs.max),
    mean: pick((phase) => phase.latencyMs.mean),
    firstP50: pick((phase) => phase.firstDeliveryMs.p50),
    lastP50: pick((phase) => phase.lastDeliveryMs.p50),
    lastP99: pick((phase) => phase.lastDeliveryMs.p99),
    pgNotifyP50: pick((phase) => phase.pgNotifyMs.p50),
    pgNotifyP99: pick((phase) => phase.pgNotifyMs.p99),
    drainMs: pick((phase) => phase.drainMs),
    orderP50: pick((phase) => phase.orders.latencyMs.p50),
    orderP99: pick((phase) => phase.orders.latencyMs.p99),
    achievedRate: pick((phase) => phase.orders.achievedRate),
    busyPer1000: pick((phase) => phase.load.busyMsPer1000Deliveries),
    cpuPer1000: pick((phase) => phase.load.cpuMsPer1000Deliveries),
    deliveriesPerSecond: pick((phase) => phase.events.received / (phase.orders.seconds + phase.drainMs / 1000)),
    clientElu: pick((phase) => phase.load.clientThreadElu),
    clientLoopDelayP99: pick((phase) => phase.load.clientLoopDelayP99Ms),
    openMs: pick((phase) => phase.setup.openMs),
    expected: pick((phase) => phase.events.expected),
    received: pick((phase) => phase.events.received),
    lost: Math.max(0, ...phases.map((phase) => phase.events.lost)),
    outOfOrder: Math.max(0, ...phases.map((phase) => phase.events.outOfOrder)),
    duplicates: Math.max(0, ...phases.map((phase) => phase.events.duplicates)),
  };
  for (const name of serviceNames(phases)) {
    summary[`elu ${name}`] = pick((phase) => phase.load.services[name]!.elu);
    summary[`cpu ${name}`] = pick((phase) => phase.load.services[name]!.cpuPct);
    summary[`delay ${name}`] = pick((phase) => phase.load.services[name]!.loopDelayMs.p99);
  }
  return summary;
}

type Row = [label: string, key: string, digits: number, ratio: boolean];

function rows(names: string[]): Row[] {
  return [
    ['latency p50 (ms)', 'p50', 0, true],
    ['latency p90 (ms)', 'p90', 0, true],
    ['latency p99 (ms)', 'p99', 0, true],
    ['latency max (ms)', 'max', 0, true],
    ['first subscriber per event, p50 (ms)', 'firstP50', 0, true],
    ['last subscriber per event, p50 (ms)', 'lastP50', 0, true],
    ['last subscriber per event, p99 (ms)', 'lastP99', 0, true],
    ['commit + NOTIFY floor p50 / p99 (ms)', 'pgNotify', 0, false],
    ['drain after last order (ms)', 'drainMs', 0, true],
    ['order round trip p50 / p99 (ms)', 'order', 0, false],
    ['orders/s achieved', 'achievedRate', 1, false],
    ['deliveries/s (N × events/s)', 'deliveriesPerSecond', 0, true],
    ...names.flatMap((name): Row[] => [
      [`${name}: busy (ELU) / CPU (% of a core)`, `load ${name}`, 0, false],
      [`${name}: event-loop delay p99 (ms)`, `delay ${name}`, 0, true],
    ]),
    ['services busy ms per 1000 deliveries', 'busyPer1000', 1, true],
    ['services CPU ms per 1000 deliveries', 'cpuPer1000', 1, true],
    ['client thread busy (ELU)', 'clientElu', 2, false],
    ['client event-loop delay p99 (ms)', 'clientLoopDelayP99', 0, false],
    ['events expected / received (per phase)', 'events', 0, false],
    ['lost / out of order / duplicates (worst phase)', 'integrity', 0, false],
  ];
}

function cell(summary: Summary | undefined, key: string, digits: number): string {
  if (!summary) return '–';
  if (key === 'pgNotify') return `${fmt(summary.pgNotifyP50!)} / ${fmt(summary.pgNotifyP99!)}`;
  if (key === 'order') return `${fmt(summary.orderP50!)} / ${fmt(summary.orderP99!)}`;
  if (key === 'events') return `${fmt(summary.expected!)} / ${fmt(summary.received!)}`;
  if (key === 'integrity') return `${summary.lost} / ${summary.outOfOrder} / ${summary.duplicates}`;
  if (key.startsWith('load ')) return `${fmt(summary[`elu ${key.slice(5)}`]!, 2)} / ${fmt(summary[`cpu ${key.slice(5)}`]!)}`;
  return fmt(summary[key]!, digits);
}

function table(names: string[], direct: Summary | undefined, gateway: Summary | undefined): string {
  const lines = ['| | direct (course subgraph) | through the gateway | gateway / direct |', '|---|---:|---:|---:|'];
  for (const [label, key, digits, withRatio] of rows(names)) {
    const r = withRatio && direct && gateway ? ratio(gateway[key]!, direct[key]!) : '';
    lines.push(`| ${label} | ${cell(direct, key, digits)} | ${cell(gateway, key, digits)} | ${r} |`);
  }
  return lines.join('\n');
}

function roundsTable(phases: PhaseResult[]): string {
  const names = serviceNames(phases);
  const lines = [
    `| round | path | p50 | p90 | p99 | max | first p50 | last p99 | orders/s | drain ms | lost | out of order | dup | ${names.map((name) => `${name} ELU / CPU %`).join(' | ')} | client ELU |`,
    `|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|${names.map(() => '---:|').join('')}---:|`,
  ];
  for (const phase of phases) {
    const { latencyMs: l } = phase;
    const load = names.map((name) => `${fmt(phase.load.services[name]!.elu, 2)} / ${fmt(phase.load.services[name]!.cpuPct)}`);
    lines.push(
      `| ${phase.round} | ${phase.mode} | ${fmt(l.p50)} | ${fmt(l.p90)} | ${fmt(l.p99)} | ${fmt(l.max)} | ${fmt(phase.firstDeliveryMs.p50)} | ${fmt(phase.lastDeliveryMs.p99)} | ${fmt(phase.orders.achievedRate, 1)} | ${phase.drainMs} | ${phase.events.lost} | ${phase.events.outOfOrder} | ${phase.events.duplicates} | ${load.join(' | ')} | ${fmt(phase.load.clientThreadElu, 2)} |`,
    );
  }
  return lines.join('\n');
}

/** The service whose event loop was busiest during a phase. */
function busiest(phase: PhaseResult): string {
  const [name, load] = Object.entries(phase.load.services).sort((a, b) => b[1].elu - a[1].elu)[0]!;
  return `${name} ELU ${fmt(load.elu, 2)}`;
}

function profileText(phases: PhaseResult[]): string {
  const profiled = phases.filter((phase) => phase.profile);
  if (profiled.length === 0) return '';
  const parts = [
    '## CPU profiles of the services',
    '',
    'Stages are inclusive (the stage\'s function anywhere on the sampled stack; async continuations start a new stack, so stages overlap only where calls are synchronous); stages a service never entered are left out. Functions are self time.',
    '',
  ];
  for (const phase of profiled) {
    const { services, client, files } = phase.profile!;
    for (const [name, summary] of Object.entries(services)) {
      parts.push(`### round ${phase.round}, ${phase.mode}: ${name} (${fmt(summary.totalMs)} ms sampled)`, '');
      parts.push('| stage | ms | % |', '|---|---:|---:|', ...summary.stages.filter((row) => row.ms > 0).map((row) => `| ${row.stage} | ${fmt(row.ms)} | ${fmt(row.pct, 1)} |`), '');
      parts.push('| function (self) | ms | % |', '|---|---:|---:|', ...summary.byFunction.slice(0, 10).map((row) => `| \`${row.fn}\` | ${fmt(row.ms)} | ${fmt(row.pct, 1)} |`), '');
      parts.push(`By package (self): ${summary.byArea.slice(0, 10).map((row) => `${row.area} ${fmt(row.pct, 1)}%`).join(', ')}`, '');
    }
    if (client) parts.push(`Client thread (self): ${client.byArea.slice(0, 6).map((row) => `${row.area} ${fmt(row.pct, 1)}%`).join(', ')}`, '');
    parts.push(`Profiles (open in Chrome DevTools or speedscope): ${files.map((file) => `\`${file}\``).join(', ')}`, '');
  }
  return parts.join('\n');
}

// ------------------------------------------------------------------ main

async function startWorker(role: 'subscribers' | 'driver', extra: object = {}): Promise<{ worker: Worker; rpc: ReturnType<typeof workerRpc> }> {
  const worker = startTsWorker(join(__dirname, 'subscriptions-worker.ts'), { role, ...extra });
  const started = { worker, rpc: workerRpc(worker) };
  workers.push(started); // cleanup() stops it, whatever happens next
  await withTimeout(once(worker, 'message'), 60_000, `${role} worker did not start`);
  return started;
}

function gitRevision(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', '../gateway', '../subgraphs', '../packages'], { cwd: __dirname, encoding: 'utf8' }).trim();
    return dirty ? `${head} (with uncommitted changes to product code)` : head;
  } catch {
    return null;
  }
}

// What a run holds, released by cleanup() at the end, on Ctrl-C and on the watchdog.
let pg: BenchPostgres | null = null;
let services: Services | null = null;
const workers: { worker: Worker; rpc: ReturnType<typeof workerRpc> }[] = [];
let cleaning: Promise<void> | null = null;

/** Stops the client threads (closing their sockets), the services (dropping their databases) and PostgreSQL if we started it; once. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const { worker, rpc } of workers.splice(0)) {
      await rpc.request({ type: 'stop' }, 20_000).catch(() => undefined);
      await withTimeout(once(worker, 'exit'), 5_000, 'worker did not exit').catch(() => worker.terminate());
    }
    await services?.stop().catch((error: unknown) => log(`stopping the services failed: ${String(error)}`));
    await pg?.stop().catch((error: unknown) => log(`stopping PostgreSQL failed: ${String(error)}`));
  })();
  return cleaning;
}

async function main(run: BenchRun): Promise<number> {
  run.hold('the run', cleanup);
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg().map((value) => round(value, 2));
  const started = performance.now();
  const modes: Mode[] = ONLY ? [ONLY as Mode] : ['direct', 'gateway'];
  log(
    `N=${N} subscribers on ${CONNECTIONS} connections, M=${M} orders at ${RATE}/s (≤${CONCURRENCY} in flight), ${ROUNDS} round(s) of ${modes.join(' + ')}, ` +
      `services ${IN_PROCESS ? 'in this process' : 'one process each'}`,
  );

  const phases: PhaseResult[] = [];
  let failure: string | null = null;
  try {
    pg = await findPostgres(log);
    const serviceOptions = { maxSubscriptionsPerConnection: SUBSCRIPTIONS_PER_CONNECTION, log };
    services = IN_PROCESS ? new InProcessStack(pg.url, serviceOptions) : new ServiceProcesses(pg.url, serviceOptions);
    await services.start(); // cleanup() stops what it started, even if it fails half-way
    const subscribers = await startWorker('subscribers');
    const driver = await startWorker('driver', { databaseUrl: services.courseDatabaseUrl, channel: SEAT_EVENTS_CHANNEL });
    let profileDir: string | null = null;
    if (PROFILE) {
      profileDir = join(os.tmpdir(), `coursegraph-bench-profiles-${startedAt.toISOString().replace(/[:.]/g, '-')}`);
      mkdirSync(profileDir, { recursive: true });
    }
    const context: Context = { services, subscribers: subscribers.rpc, driver: driver.rpc, profileDir: null };

    // Warm-up (not recorded): JIT, query plans, connection pools.
    for (const mode of modes) await runPhase(context, mode, 0, WARMUP.subscribers, WARMUP.orders, Math.min(CONNECTIONS, WARMUP.subscribers));
    log('warm-up done');
    context.profileDir = profileDir;

    for (let roundNo = 1; roundNo <= ROUNDS; roundNo++) {
      // ABBA order, so a drift in the machine's load does not favour one path.
      const order = roundNo % 2 === 1 ? modes : [...modes].reverse();
      for (const mode of order) {
        const phase = await runPhase(context, mode, roundNo, N, M, CONNECTIONS);
        phases.push(phase);
        const { latencyMs: l, events: e } = phase;
        log(
          `round ${roundNo} ${mode.padEnd(7)} p50 ${fmt(l.p50)} p90 ${fmt(l.p90)} p99 ${fmt(l.p99)} max ${fmt(l.max)} ms | ` +
            `received ${e.received}/${e.expected} lost ${e.lost} ooo ${e.outOfOrder} dup ${e.duplicates} | ` +
            `orders ${phase.orders.confirmed}/${phase.orders.placed} at ${phase.orders.achievedRate}/s | drain ${phase.drainMs} ms | ` +
            `ELU ${Object.entries(phase.load.services).map(([name, load]) => `${name} ${load.elu}`).join(', ')}, client ${phase.load.clientThreadElu}`,
        );
      }
    }
  } catch (error) {
    failure = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (!run.aborted) log(`FAILED: ${failure}`);
  } finally {
    await cleanup();
  }

  if (run.aborted) return 130; // abort() exits once cleanup() is done; an interrupted run writes no results
  const byMode = (mode: Mode) => phases.filter((phase) => phase.mode === mode);
  const direct = byMode('direct').length ? summarize(byMode('direct')) : undefined;
  const gateway = byMode('gateway').length ? summarize(byMode('gateway')) : undefined;
  const problems: string[] = [];
  if (failure) problems.push(`run failed: ${failure.split('\n')[0]}`);
  for (const phase of phases) {
    const where = `round ${phase.round} ${phase.mode}`;
    if (phase.events.lost) problems.push(`${where}: ${phase.events.lost} events lost (${phase.events.subscribersWithLoss} subscribers)`);
    if (phase.events.outOfOrder) problems.push(`${where}: ${phase.events.outOfOrder} events out of order`);
    if (phase.events.errors) problems.push(`${where}: ${phase.events.errors} subscription errors, e.g. ${phase.events.errorSample}`);
    if (phase.orders.failed) problems.push(`${where}: ${phase.orders.failed} orders failed, e.g. ${phase.orders.failureSample}`);
    if (phase.events.duplicates) problems.push(`${where}: ${phase.events.duplicates} duplicate events`);
    if (!phase.drained) problems.push(`${where}: not every event arrived within ${DRAIN_TIMEOUT_MS / 1000} s of the last order`);
  }
  const notes: string[] = [];
  const slow = phases.filter((phase) => phase.orders.achievedRate < 0.9 * RATE);
  if (slow.length) {
    notes.push(
      `Saturated: ${slow.map((phase) => `round ${phase.round} ${phase.mode} ${phase.orders.achievedRate}/s (busiest: ${busiest(phase)})`).join(', ')} instead of ${RATE}/s. ` +
        `With at most ${CONCURRENCY} orders in flight the offered load fell to what the services could take, so the latencies are at the achieved rate, not at ${RATE}/s.`,
    );
  }
  if (PROFILE) notes.push('Profiled run: the profilers slow the services and the client thread (client ELU is not meaningful); compare only with other profiled runs.');

  const durationS = round((performance.now() - started) / 1000);
  const command = `npm run bench:subscriptions -- --subscribers ${N} --orders ${M} --rate ${RATE} --connections ${CONNECTIONS} --rounds ${ROUNDS}${CONCURRENCY !== 16 ? ` --concurrency ${CONCURRENCY}` : ''}${ONLY ? ` --only ${ONLY}` : ''}${IN_PROCESS ? ' --in-process' : ''}${PROFILE ? ' --profile' : ''}`;
  const machine = machineInfo({ loadAverageAtStart, postgres: pg?.kind ?? null });
  const servicesText = IN_PROCESS
    ? 'every service in the benchmark process, on one thread (--in-process: the tests\' stack, development settings)'
    : `one process per service (${serviceNames(phases).join(', ') || 'none started'}; \`node --import tsx <entry>\`, NODE_ENV=production)`;
  const results = {
    benchmark: 'subscriptions',
    startedAt: startedAt.toISOString(),
    durationSeconds: durationS,
    revision: gitRevision(),
    command,
    machine,
    services: servicesText,
    parameters: { subscribers: N, orders: M, rate: RATE, concurrency: CONCURRENCY, connections: CONNECTIONS, rounds: ROUNDS, drainTimeoutMs: DRAIN_TIMEOUT_MS, inProcess: IN_PROCESS, profiled: PROFILE },
    medians: { direct: direct ?? null, gateway: gateway ?? null, ratios: direct && gateway ? { p50: round(gateway.p50! / direct.p50!, 2), p99: round(gateway.p99! / direct.p99!, 2) } : null },
    ok: problems.length === 0,
    problems,
    notes,
    phases,
  };
  mkdirSync(OUT_DIR, { recursive: true });
  const jsonPath = join(OUT_DIR, 'subscriptions.json');
  writeFileSync(jsonPath, JSON.stringify(results, null, 2) + '\n');

  const summaryTable = table(serviceNames(phases), direct, gateway);
  const markdown = [
    '# Subscriptions benchmark: live seat counts',
    '',
    `${startedAt.toISOString()}, ${durationS} s, revision ${results.revision ?? 'unknown'}${PROFILE ? ' — **profiled run: the profiler slows the services, do not compare these figures with unprofiled runs**' : ''}`,
    '',
    `Services: ${servicesText}. Clients: the subscribers in one worker thread and the orders (plus a plain \`LISTEN\` probe) in another, in the benchmark process.`,
    '',
    `N = ${N} subscribers on ${CONNECTIONS} websockets, M = ${M} orders per phase at ${RATE}/s (≤ ${CONCURRENCY} in flight), ${ROUNDS} round(s) of each path (ABBA order, fresh course per phase); medians over rounds. Latency = subscriber's receive time − \`changedAt\` (PostgreSQL \`clock_timestamp()\` in the counter UPDATE), for each of the 2 × M events (RESERVED, CONFIRMED) every subscriber receives; CURRENT is not timed.`,
    '',
    `Machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, PostgreSQL ${machine.postgres}, load average at start ${machine.loadAverageAtStart.join(' / ')}.`,
    '',
    summaryTable,
    '',
    `Result: ${problems.length === 0 ? '**OK** — no event lost, none out of order, no duplicates.' : `**FAILED**\n\n${problems.map((problem) => `- ${problem}`).join('\n')}`}`,
    '',
    ...(notes.length ? [notes.map((note) => `> ${note}`).join('\n>\n'), ''] : []),
    '## Per round',
    '',
    roundsTable(phases),
    '',
    profileText(phases),
    '## Reproduce',
    '',
    '```sh',
    command,
    '```',
    '',
    `Full figures: \`${relative(join(__dirname, '..'), jsonPath)}\`. How to read them: \`bench/README.md\`.`,
    '',
  ].join('\n');
  writeFileSync(join(OUT_DIR, 'subscriptions.md'), markdown);

  console.log(`\n${summaryTable}\n`);
  if (direct && gateway) console.log(`gateway / direct: p50 ${ratio(gateway.p50!, direct.p50!)}, p99 ${ratio(gateway.p99!, direct.p99!)}`);
  for (const phase of phases.filter((one) => one.profile)) {
    for (const [name, summary] of Object.entries(phase.profile!.services)) {
      console.log(`\nprofile round ${phase.round} ${phase.mode}, ${name}: ${summary.byArea.slice(0, 8).map((row) => `${row.area} ${row.pct}%`).join(', ')}`);
      for (const row of summary.stages.filter((one) => one.ms > 0)) console.log(`  ${String(row.pct).padStart(5)}%  ${row.stage}`);
      console.log('  top functions (self):');
      for (const row of summary.byFunction.slice(0, 10)) console.log(`  ${String(row.pct).padStart(5)}%  ${row.fn}`);
    }
    console.log(`  files: ${phase.profile!.files.join(' ')}`);
  }
  console.log(`\nwrote ${jsonPath} and ${join(OUT_DIR, 'subscriptions.md')} (${durationS} s)`);
  for (const note of notes) console.log(`\nnote: ${note}`);
  if (problems.length) console.log(`\nFAILED:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  return problems.length ? 1 : 0;
}

// Hard stop: a hung run must not hang forever (the finally above closes what it can first).
runBenchmark(main, MAX_SECONDS);
