/**
 * Order throughput: placeOrder through the gateway under closed-loop load
 * (autocannon, C connections), against the same work done as raw SQL on the
 * same PostgreSQL, in two scenarios:
 *
 * - spread: orders spread over 1,000 published courses with ample seats;
 *   baseline: a node `pg` script (C clients) doing the saga's statements.
 * - hot: every order on one course; baseline: pgbench running the locked
 *   reservation transaction on the run's course database.
 *
 * Measurements run ABBA (baseline, stack, stack, baseline) per scenario,
 * medians reported. Afterwards it checks the seat invariant and that the
 * course and order databases agree. See bench/README.md, "orders".
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { signUserToken } from '@coursegraph/runtime';
import { notifySeatEventSql, type SeatMoveReason } from '@coursegraph/course';
import { ServiceProcesses } from './runner/services';
import type { Reading } from './runner/meter';
import { flag, numOption, option } from './runner/options';
import { findPostgres, type BenchPostgres } from './runner/postgres';
import { summarizeProfile } from './runner/profile';
import { machineInfo } from './runner/results';
import { distribution, median, round } from './runner/stats';
import { sleep } from '@coursegraph/devkit/timing';

const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  console.log(`npm run bench:orders -- [options]
  --duration S      seconds of load per measurement (default 20)
  --connections C   concurrent connections / clients (default 20)
  --courses N       courses in the spread scenario (default 1000)
  --rounds X        ABBA rounds: X=2 gives baseline, stack, stack, baseline (default 2)
  --only spread|hot one scenario only
  --profile         CPU-profile each service during the stack measurements (slower; prints time by area)
  --max-seconds S   hard stop (default 600)
  --out DIR         where results go (default bench/results)`);
  process.exit(0);
}
const DURATION = numOption(argv, 'duration', 20, 2, 600);
const CONNECTIONS = numOption(argv, 'connections', 20, 1, 200);
const COURSES = numOption(argv, 'courses', 1000, 1, 100_000);
const ROUNDS = numOption(argv, 'rounds', 2, 1, 10);
const ONLY = option(argv, 'only', '');
const PROFILE = flag(argv, 'profile');
const MAX_SECONDS = numOption(argv, 'max-seconds', 600, 30, 86_400);
const OUT_DIR = option(argv, 'out', join(__dirname, 'results'));
const PGBENCH = process.env.PGBENCH ?? '/usr/bin/pgbench';
const PRICE = { amount: 1_000, currency: 'USD' };
const SPREAD_CAPACITY = 100_000;
const HOT_CAPACITY = 1_000_000;
const PLACE_ORDER = `mutation BenchPlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id status } userErrors { code } }
}`;

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

type Scenario = 'spread' | 'hot';
/** stack: through the gateway; baseline: the same SQL without the services; express: the in-memory reference (spread only). */
type Kind = 'stack' | 'baseline' | 'express';

interface Measurement {
  scenario: Scenario;
  kind: Kind;
  method: string;
  round: number;
  durationS: number;
  ordersPerSecond: number;
  confirmed: number;
  latencyMs: { p50: number; p99: number; mean: number; max: number };
  errors: { non2xx: number; transport: number; timeouts: number; graphqlErrors: number; userErrors: Record<string, number>; sample: string | null };
  services?: Record<string, { elu: number; cpuPct: number; cpuMsPerOrder: number }>;
  postgres: { commitsPerOrder: Record<string, number>; statementsPerOrder: number | null };
}

// ------------------------------------------------------------------ data

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'coursegraph-bench' });
  await client.connect();
  return client;
}

/** Published courses inserted with one SQL statement, columns as in the CreateCourses migration. */
async function insertCourses(courseDb: Client, count: number, capacity: number, title: string): Promise<string[]> {
  const { rows } = await courseDb.query<{ id: string }>(
    `INSERT INTO course (id, title, description, price_amount, price_currency, instructor_id, status, capacity, seats_available, seats_held, seats_sold)
     SELECT gen_random_uuid(), $1 || ' ' || n, 'Made by bench/orders.ts.', $2, $3, $4, 'PUBLISHED', $5, $5, 0, 0
       FROM generate_series(1, $6) AS n
     RETURNING id`,
    [title, PRICE.amount, PRICE.currency, randomUUID(), capacity, count],
  );
  return rows.map((row) => row.id);
}

/** Per-database transaction counters and, when pg_stat_statements is loaded, the statement count. */
async function pgCounters(admin: Client, databases: string[]): Promise<{ commits: Record<string, number>; statements: number | null }> {
  const { rows } = await admin.query<{ datname: string; xact_commit: string }>('SELECT datname, xact_commit FROM pg_stat_database WHERE datname = ANY($1)', [databases]);
  let statements: number | null = null;
  try {
    const result = await admin.query<{ calls: string }>(
      `SELECT coalesce(sum(calls), 0) AS calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = ANY($1)`,
      [databases],
    );
    statements = Number(result.rows[0]!.calls);
  } catch {
    // pg_stat_statements not installed
  }
  return { commits: Object.fromEntries(rows.map((row) => [row.datname, Number(row.xact_commit)])), statements };
}

// ------------------------------------------------------------------ stack (autocannon through the gateway)

interface LoadTarget {
  url: string;
  /** A token for a new student. */
  sign: () => string;
  meters: ServiceProcesses['meters'];
}

const stackTarget = (services: ServiceProcesses): LoadTarget => ({
  url: services.gatewayUrl,
  sign: () => services.token({ userId: randomUUID(), roles: ['STUDENT'] }),
  meters: services.meters,
});

/** placeOrder under closed-loop load (autocannon) against the gateway or the Express reference. */
async function runLoad(target: LoadTarget, courses: string[], seconds: number): Promise<Omit<Measurement, 'scenario' | 'kind' | 'round' | 'postgres'>> {
  // Distinct student per request, tokens signed before the load starts (more on demand).
  const pool: string[] = [];
  const { sign, meters } = target;
  for (let index = 0; index < 20_000; index++) pool.push(sign());
  let next = 0;
  let confirmed = 0;
  let graphqlErrors = 0;
  const userErrors: Record<string, number> = {};
  let sample: string | null = null;
  const url = new URL(target.url);
  await Promise.all(meters.map((meter) => meter.start(PROFILE)));
  const started = performance.now();
  const result = await autocannon({
    url: url.origin,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: url.pathname,
        setupRequest: (request) => {
          const index = next++;
          const courseId = courses[index % courses.length]!;
          const token = pool[index] ?? sign();
          return {
            ...request,
            method: 'POST',
            path: url.pathname,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: PLACE_ORDER, variables: { input: { courseId, expectedPrice: PRICE, idempotencyKey: `bench-${randomUUID()}` } } }),
          };
        },
        onResponse: (status, body) => {
          try {
            const parsed = JSON.parse(body) as { errors?: unknown[]; data?: { placeOrder?: { order: { status: string } | null; userErrors: { code: string }[] } } };
            if (parsed.errors?.length) graphqlErrors++;
            const payload = parsed.data?.placeOrder;
            for (const error of payload?.userErrors ?? []) userErrors[error.code] = (userErrors[error.code] ?? 0) + 1;
            if (status === 200 && payload?.order?.status === 'CONFIRMED' && !payload.userErrors.length) confirmed++;
            else sample ??= `${status} ${body.slice(0, 300)}`;
          } catch {
            sample ??= `${status} ${body.slice(0, 300)}`;
          }
        },
      },
    ],
  });
  const wallS = (performance.now() - started) / 1000;
  const measured = await Promise.all(meters.map((meter) => meter.stop()));
  for (const [index, meter] of meters.entries()) {
    const profile = measured[index]!.profile;
    if (!profile) continue;
    const summary = summarizeProfile(profile, 12);
    log(`profile ${meter.name} (${summary.totalMs} ms sampled): ${summary.byArea.map((area) => `${area.area} ${area.pct}%`).join(', ')}`);
    log(`  top functions: ${summary.byFunction.slice(0, 8).map((fn) => `${fn.fn} ${fn.pct}%`).join(', ')}`);
  }
  const load = (reading: Reading) => ({
    elu: round(reading.elu, 2),
    cpuPct: round((100 * reading.cpuMs) / reading.wallMs),
    cpuMsPerOrder: round(reading.cpuMs / Math.max(1, confirmed), 2),
  });
  return {
    method: `autocannon, ${CONNECTIONS} connections, POST ${url.href} placeOrder, distinct student per request`,
    durationS: round(wallS, 2),
    ordersPerSecond: round(confirmed / wallS),
    confirmed,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, mean: round(result.latency.average, 2), max: result.latency.max },
    errors: { non2xx: result.non2xx, transport: result.errors, timeouts: result.timeouts, graphqlErrors, userErrors, sample },
    services: meters.length ? Object.fromEntries(meters.map((meter, index) => [meter.name, load(measured[index]!.reading)])) : undefined,
  };
}

// ------------------------------------------------------------------ baselines

/**
 * The rest of a statement that moves a course's seats after a reservation
 * change (a CTE `changed` returning course_id) and queues the seat event, as
 * subgraphs/course/src/counters.ts does.
 */
const MOVE_AND_NOTIFY = (set: string, reason: SeatMoveReason) => `updated AS (
    UPDATE course SET ${set}, seats_version = seats_version + 1, updated_at = now()
     WHERE id = (SELECT course_id FROM changed) RETURNING *
  )
  SELECT ${notifySeatEventSql('updated', `'${reason}'`)}
    FROM updated`;

/** The services' statements for one order as raw SQL, C clients per database, closed loop, for `seconds`. */
async function runSqlBaseline(courseUrl: string, orderUrl: string, courses: string[], seconds: number): Promise<Omit<Measurement, 'scenario' | 'kind' | 'round' | 'postgres'>> {
  const clients = await Promise.all(Array.from({ length: CONNECTIONS }, async () => ({ course: await connect(courseUrl), order: await connect(orderUrl) })));
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  let sample: string | null = null;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    clients.map(async ({ course, order }) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const courseId = courses[next++ % courses.length]!;
        const orderId = randomUUID();
        try {
          await order.query(
            `INSERT INTO orders (id, course_id, student_id, idempotency_key, status, price_amount, price_currency) VALUES ($1, $2, $3, $4, 'PENDING', $5, $6)`,
            [orderId, courseId, randomUUID(), `bench-${randomUUID()}`, PRICE.amount, PRICE.currency],
          );
          await course.query('BEGIN');
          await course.query('SELECT status, price_amount, price_currency, seats_available FROM course WHERE id = $1 FOR UPDATE', [courseId]);
          await course.query(
            `WITH changed AS (
               INSERT INTO reservation (id, key, course_id, holder_id, status, price_amount, price_currency, expires_at, created_at, updated_at)
               VALUES ($1, $2, $3, $4, 'PENDING', $5, $6, now() + interval '15 minutes', now(), now()) RETURNING course_id
             ), ${MOVE_AND_NOTIFY('seats_available = seats_available - 1, seats_held = seats_held + 1', 'RESERVED')}`,
            [randomUUID(), orderId, courseId, randomUUID(), PRICE.amount, PRICE.currency],
          );
          await course.query('COMMIT');
          await course.query(
            `WITH changed AS (
               UPDATE reservation SET status = 'CONFIRMED', updated_at = now() WHERE key = $1 AND status = 'PENDING' AND expires_at > now() RETURNING course_id
             ), ${MOVE_AND_NOTIFY('seats_held = seats_held - 1, seats_sold = seats_sold + 1', 'CONFIRMED')}`,
            [orderId],
          );
          await order.query(`UPDATE orders SET status = 'CONFIRMED', updated_at = now() WHERE id = $1`, [orderId]);
          latencies.push(performance.now() - t0);
        } catch (error) {
          failures++;
          sample ??= String(error);
          await course.query('ROLLBACK').catch(() => undefined);
        }
      }
    }),
  );
  const wallS = (performance.now() - started) / 1000;
  await Promise.all(clients.flatMap(({ course, order }) => [course.end(), order.end()]));
  const d = distribution(latencies);
  return {
    method: `node pg, ${CONNECTIONS} clients × (course db + order db), the services' 7 statements per order: 4 in the reserve transaction, 3 autocommit`,
    durationS: round(wallS, 2),
    ordersPerSecond: round(latencies.length / wallS),
    confirmed: latencies.length,
    latencyMs: { p50: round(d.p50, 2), p99: round(d.p99, 2), mean: d.mean, max: round(d.max, 2) },
    errors: { non2xx: 0, transport: failures, timeouts: 0, graphqlErrors: 0, userErrors: {}, sample },
  };
}

/** pgbench: the locked reservation transaction on the hot course, C clients, 2 threads. */
async function runPgbench(courseUrl: string, courseId: string, seconds: number): Promise<Omit<Measurement, 'scenario' | 'kind' | 'round' | 'postgres'>> {
  const dir = mkdtempSync(join(os.tmpdir(), 'coursegraph-bench-pgbench-'));
  const script = join(dir, 'reserve.sql');
  writeFileSync(
    script,
    [
      'BEGIN;',
      `SELECT status, price_amount, price_currency, seats_available FROM course WHERE id = '${courseId}' FOR UPDATE;`,
      // pgbench reads one line per command: the write statement on one line.
      `WITH changed AS (INSERT INTO reservation (id, key, course_id, holder_id, status, price_amount, price_currency, expires_at, created_at, updated_at) VALUES (gen_random_uuid(), 'pgbench-' || gen_random_uuid(), '${courseId}', gen_random_uuid(), 'CONFIRMED', ${PRICE.amount}, '${PRICE.currency}', now() + interval '15 minutes', now(), now()) RETURNING course_id), ${MOVE_AND_NOTIFY('seats_available = seats_available - 1, seats_sold = seats_sold + 1', 'CONFIRMED').replace(/\s+/g, ' ')};`,
      'COMMIT;',
      '',
    ].join('\n'),
  );
  const url = new URL(courseUrl);
  const args = ['-n', '-c', String(CONNECTIONS), '-j', '2', '-T', String(seconds), '-f', script, '-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), url.pathname.slice(1)];
  const started = performance.now();
  const output = await new Promise<string>((resolve, reject) =>
    execFile(PGBENCH, args, { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } }, (error, stdout, stderr) => (error ? reject(new Error(`pgbench: ${error.message}\n${stderr}`)) : resolve(stdout))),
  );
  const wallS = (performance.now() - started) / 1000;
  rmSync(dir, { recursive: true, force: true });
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1] ?? NaN);
  const processed = Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1] ?? NaN);
  const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
  const average = Number(/latency average = ([\d.]+) ms/.exec(output)?.[1] ?? NaN);
  return {
    method: `pgbench -n -c ${CONNECTIONS} -j 2 -T ${seconds}: BEGIN; SELECT ... FOR UPDATE; INSERT reservation + UPDATE course + NOTIFY in one statement; COMMIT`,
    durationS: round(wallS, 2),
    ordersPerSecond: round(tps),
    confirmed: processed,
    // pgbench reports the mean only (no per-transaction log kept).
    latencyMs: { p50: NaN, p99: NaN, mean: average, max: NaN },
    errors: { non2xx: 0, transport: failed, timeouts: 0, graphqlErrors: 0, userErrors: {}, sample: null },
  };
}

// ------------------------------------------------------------------ checks

interface Checks {
  courses: number;
  pendingReservations: number;
  heldAfterSettling: number;
  settledWithinMs: number;
  seatsSold: number;
  confirmedReservations: number;
  confirmedReservationsOfOrders: number;
  confirmedOrders: number;
  pendingOrders: number;
  coursesDisagreeing: number;
  ok: boolean;
}

async function check(courseDb: Client, orderDb: Client): Promise<Checks> {
  const started = Date.now();
  let held = 0;
  for (;;) {
    held = Number((await courseDb.query<{ held: string }>('SELECT coalesce(sum(seats_held), 0) AS held FROM course')).rows[0]!.held);
    if (held === 0 || Date.now() - started > 30_000) break;
    await sleep(500);
  }
  const settledWithinMs = Date.now() - started;
  // The counters' own sum is a CHECK constraint; what can disagree is a counter and the rows behind it.
  const courses = (await courseDb.query<{ id: string; sold: number }>('SELECT id, seats_sold AS sold FROM course')).rows;
  const pendingReservations = Number(
    (await courseDb.query<{ n: string }>(`SELECT count(*) AS n FROM reservation WHERE status = 'PENDING'`)).rows[0]!.n,
  );
  const reservations = (
    await courseDb.query<{ course_id: string; all: string; of_orders: string }>(
      `SELECT course_id, count(*) AS all, count(*) FILTER (WHERE key NOT LIKE 'pgbench-%') AS of_orders FROM reservation WHERE status = 'CONFIRMED' GROUP BY course_id`,
    )
  ).rows;
  const orders = (await orderDb.query<{ course_id: string; confirmed: string }>(`SELECT course_id, count(*) AS confirmed FROM orders WHERE status = 'CONFIRMED' GROUP BY course_id`)).rows;
  const pendingOrders = Number((await orderDb.query<{ n: string }>(`SELECT count(*) AS n FROM orders WHERE status = 'PENDING'`)).rows[0]!.n);
  const reservedBy = new Map(reservations.map((row) => [row.course_id, { all: Number(row.all), ofOrders: Number(row.of_orders) }]));
  const orderedBy = new Map(orders.map((row) => [row.course_id, Number(row.confirmed)]));
  let disagreeing = 0;
  for (const course of courses) {
    const reserved = reservedBy.get(course.id) ?? { all: 0, ofOrders: 0 };
    if (course.sold !== reserved.all || reserved.ofOrders !== (orderedBy.get(course.id) ?? 0)) disagreeing++;
  }
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const result = {
    courses: courses.length,
    pendingReservations,
    heldAfterSettling: held,
    settledWithinMs,
    seatsSold: sum(courses.map((course) => course.sold)),
    confirmedReservations: sum([...reservedBy.values()].map((value) => value.all)),
    confirmedReservationsOfOrders: sum([...reservedBy.values()].map((value) => value.ofOrders)),
    confirmedOrders: sum([...orderedBy.values()]),
    pendingOrders,
    coursesDisagreeing: disagreeing,
  };
  return { ...result, ok: pendingReservations === 0 && held === 0 && disagreeing === 0 && result.confirmedReservationsOfOrders === result.confirmedOrders };
}

// ------------------------------------------------------------------ report

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function summarize(measurements: Measurement[], scenario: Scenario, kind: Kind) {
  const list = measurements.filter((m) => m.scenario === scenario && m.kind === kind);
  if (!list.length) return null;
  return {
    method: list[0]!.method,
    rounds: list.length,
    ordersPerSecond: round(median(list.map((m) => m.ordersPerSecond))),
    perRound: list.map((m) => m.ordersPerSecond),
    p50: round(median(list.map((m) => m.latencyMs.p50)), 2),
    p99: round(median(list.map((m) => m.latencyMs.p99)), 2),
    mean: round(median(list.map((m) => m.latencyMs.mean)), 2),
    errors: list.reduce((sum, m) => sum + m.errors.non2xx + m.errors.transport + m.errors.timeouts + m.errors.graphqlErrors, 0),
    userErrors: list.reduce<Record<string, number>>((all, m) => {
      for (const [code, n] of Object.entries(m.errors.userErrors)) all[code] = (all[code] ?? 0) + n;
      return all;
    }, {}),
    commitsPerOrder: list[0]!.postgres.commitsPerOrder,
    statementsPerOrder: list[0]!.postgres.statementsPerOrder,
    services: kind === 'stack' ? list[list.length - 1]!.services ?? null : null,
  };
}

function svg(rows: { label: string; stack: number; baseline: number; baselineName: string; express: number | null }[]): string {
  const width = 640;
  const barH = 26;
  const left = 170;
  const max = Math.max(1, ...rows.flatMap((row) => [row.stack, row.baseline, row.express ?? 0]));
  const scale = (width - left - 110) / max;
  const parts: string[] = [];
  let y = 50;
  for (const row of rows) {
    parts.push(`<text x="10" y="${y - 8}" font-weight="bold">${row.label}</text>`);
    const bars: [string, number, string][] = [
      ['stack (gateway)', row.stack, '#3b6fd8'],
      [row.baselineName, row.baseline, '#9aa0a6'],
      ...(row.express === null ? [] : [['Express in memory', row.express, '#d8a03b'] as [string, number, string]]),
    ];
    for (const [name, value, color] of bars) {
      const w = Math.max(1, value * scale);
      parts.push(`<text x="10" y="${y + barH * 0.7}">${name}</text>`);
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH - 4}" fill="${color}"/>`);
      parts.push(`<text x="${(left + w + 6).toFixed(1)}" y="${y + barH * 0.7}">${fmt(value, 0)}/s</text>`);
      y += barH;
    }
    const ratio = row.baseline ? (100 * row.stack) / row.baseline : NaN;
    parts.push(`<text x="${left}" y="${y + 14}" fill="#555">stack = ${fmt(ratio, 0)}% of baseline</text>`);
    y += 50;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif" font-size="13">
<text x="10" y="20" font-size="15" font-weight="bold">placeOrder: orders/s (median), ${CONNECTIONS} connections</text>
${parts.join('\n')}
</svg>
`;
}

function gitRevision(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ the Express reference

interface Reference {
  target: LoadTarget;
  stop(): void;
}

/** Starts bench/express-reference.ts as its own process on the course database's published courses. */
async function startExpressReference(courseUrl: string): Promise<Reference> {
  const secret = randomUUID() + randomUUID();
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'express-reference.ts')], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, NODE_ENV: 'production', COURSE_DATABASE_URL: courseUrl, JWT_SECRET: secret, PORT: '0' },
    // The IPC channel closes when this process ends, however it ends; the reference then exits too.
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the Express reference exited with ${code}`)));
  });
  return {
    target: { url, sign: () => signUserToken(secret, { userId: randomUUID(), roles: ['STUDENT'] }), meters: [] },
    stop: () => child.kill('SIGTERM'),
  };
}

// ------------------------------------------------------------------ main

let services: ServiceProcesses | null = null;
let pg: BenchPostgres | null = null;
let reference: Reference | null = null;
const openClients: Client[] = [];

async function cleanup(): Promise<void> {
  await Promise.all(openClients.splice(0).map((client) => client.end().catch(() => undefined)));
  reference?.stop();
  reference = null;
  await services?.stop().catch((error: unknown) => log(`stopping services: ${String(error)}`));
  services = null;
  await pg?.stop().catch(() => undefined);
  pg = null;
}

let aborting = false;
function abort(reason: string, code: number): void {
  if (aborting) return;
  aborting = true;
  log(`${reason}: stopping`);
  void cleanup().finally(() => process.exit(code));
}
process.on('SIGINT', () => abort('interrupted', 130));
process.on('SIGTERM', () => abort('terminated', 143));
setTimeout(() => abort(`--max-seconds ${MAX_SECONDS} exceeded`, 2), MAX_SECONDS * 1000).unref();

async function main(): Promise<number> {
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg().map((value) => round(value, 2));
  const scenarios: Scenario[] = ONLY ? [ONLY as Scenario] : ['spread', 'hot'];
  const measurements: Measurement[] = [];
  const checks: Record<string, Checks> = {};
  let failure: string | null = null;
  let postgresKind: string | null = null;
  try {
    pg = await findPostgres(log);
    postgresKind = pg.kind;
    services = new ServiceProcesses(pg.url, { maxSubscriptionsPerConnection: 20, log });
    await services.start();
    const courseDb = await connect(services.courseDatabaseUrl);
    const orderDb = await connect(services.orderDatabaseUrl);
    const admin = await connect(pg.url);
    openClients.push(courseDb, orderDb, admin);
    const databases = [new URL(services.courseDatabaseUrl).pathname.slice(1), new URL(services.orderDatabaseUrl).pathname.slice(1)];

    let t0 = performance.now();
    const spreadCourses = await insertCourses(courseDb, COURSES, SPREAD_CAPACITY, 'Spread course');
    const [hotCourse] = await insertCourses(courseDb, 1, HOT_CAPACITY, 'Hot course');
    await courseDb.query('ANALYZE course');
    log(`${COURSES} spread courses (capacity ${SPREAD_CAPACITY}) + 1 hot course (capacity ${HOT_CAPACITY}) inserted with SQL in ${round(performance.now() - t0)} ms`);

    reference = await startExpressReference(services.courseDatabaseUrl);

    // Warm-up, not recorded: JIT, plans, pools.
    t0 = performance.now();
    await runLoad(stackTarget(services), spreadCourses, 3);
    await runLoad(reference.target, spreadCourses, 2);
    await runSqlBaseline(services.courseDatabaseUrl, services.orderDatabaseUrl, spreadCourses, 2);
    log(`warm-up done in ${round((performance.now() - t0) / 1000)} s`);

    for (const scenario of scenarios) {
      const courses = scenario === 'spread' ? spreadCourses : [hotCourse!];
      for (let roundNo = 1; roundNo <= ROUNDS; roundNo++) {
        const kinds: Kind[] = scenario === 'spread' ? ['baseline', 'express', 'stack'] : ['baseline', 'stack'];
        const order = roundNo % 2 === 1 ? kinds : [...kinds].reverse();
        for (const kind of order) {
          const before = await pgCounters(admin, databases);
          const measured =
            kind === 'stack'
              ? await runLoad(stackTarget(services), courses, DURATION)
              : kind === 'express'
                ? await runLoad(reference.target, courses, DURATION)
                : scenario === 'spread'
                ? await runSqlBaseline(services.courseDatabaseUrl, services.orderDatabaseUrl, courses, DURATION)
                : await runPgbench(services.courseDatabaseUrl, hotCourse!, DURATION);
          await sleep(600); // pg_stat_database is updated by backends at most every 500 ms
          const after = await pgCounters(admin, databases);
          const perOrder = (a: number, b: number) => round((a - b) / Math.max(1, measured.confirmed), 2);
          const postgres = {
            commitsPerOrder: Object.fromEntries(databases.map((name) => [name.replace(/^cg_bench_[0-9a-f]+_/, ''), perOrder(after.commits[name] ?? 0, before.commits[name] ?? 0)])),
            statementsPerOrder: after.statements !== null && before.statements !== null ? perOrder(after.statements, before.statements) : null,
          };
          const m: Measurement = { scenario, kind, round: roundNo, ...measured, postgres };
          measurements.push(m);
          const userErrors = Object.entries(m.errors.userErrors).map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
          log(
            `${scenario} round ${roundNo} ${kind.padEnd(8)} ${fmt(m.ordersPerSecond)} orders/s (${m.confirmed} in ${m.durationS} s), p50 ${fmt(m.latencyMs.p50, 2)} p99 ${fmt(m.latencyMs.p99, 2)} mean ${fmt(m.latencyMs.mean, 2)} ms, ` +
              `errors non2xx ${m.errors.non2xx} transport ${m.errors.transport} timeouts ${m.errors.timeouts} graphql ${m.errors.graphqlErrors}, userErrors ${userErrors}, ` +
              `commits/order ${JSON.stringify(postgres.commitsPerOrder)}` +
              (m.services ? `, services ${Object.entries(m.services).map(([name, s]) => `${name} ELU ${s.elu} CPU ${s.cpuPct}% ${s.cpuMsPerOrder} ms/order`).join('; ')}` : '') +
              (m.errors.sample ? `\n  sample: ${m.errors.sample}` : ''),
          );
        }
      }
      checks[scenario] = await check(courseDb, orderDb);
      log(`checks after ${scenario}: ${JSON.stringify(checks[scenario])}`);
    }
  } catch (error) {
    failure = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`FAILED: ${failure}`);
  } finally {
    await cleanup();
  }
  if (aborting) return 130;

  const summary = Object.fromEntries(
    (['spread', 'hot'] as const).map((scenario) => {
      const stack = summarize(measurements, scenario, 'stack');
      const baseline = summarize(measurements, scenario, 'baseline');
      const express = summarize(measurements, scenario, 'express');
      return [
        scenario,
        {
          stack,
          baseline,
          express,
          ratio: stack && baseline ? round(stack.ordersPerSecond / baseline.ordersPerSecond, 3) : null,
          ratioToExpress: stack && express ? round(stack.ordersPerSecond / express.ordersPerSecond, 3) : null,
        },
      ];
    }),
  );
  const problems: string[] = [];
  if (failure) problems.push(`run failed: ${failure.split('\n')[0]}`);
  for (const [scenario, result] of Object.entries(checks)) if (!result.ok) problems.push(`${scenario}: checks failed ${JSON.stringify(result)}`);
  for (const m of measurements) {
    const errors = m.errors.non2xx + m.errors.transport + m.errors.timeouts + m.errors.graphqlErrors + Object.values(m.errors.userErrors).reduce((a, b) => a + b, 0);
    if (errors) problems.push(`${m.scenario} round ${m.round} ${m.kind}: ${errors} errors, e.g. ${m.errors.sample}`);
  }
  const machine = machineInfo({ loadAverageAtStart, postgres: postgresKind });
  const results = {
    benchmark: 'orders',
    startedAt: startedAt.toISOString(),
    durationSeconds: round((Date.now() - startedAt.getTime()) / 1000),
    revision: gitRevision(),
    command: `npm run bench:orders -- --duration ${DURATION} --connections ${CONNECTIONS} --courses ${COURSES} --rounds ${ROUNDS}${ONLY ? ` --only ${ONLY}` : ''}`,
    machine,
    parameters: { duration: DURATION, connections: CONNECTIONS, courses: COURSES, spreadCapacity: SPREAD_CAPACITY, hotCapacity: HOT_CAPACITY, rounds: ROUNDS, courseCreation: 'SQL INSERT into the course database (columns of the CreateCourses migration), status PUBLISHED' },
    summary,
    checks,
    ok: problems.length === 0,
    problems,
    measurements,
  };
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, 'orders.json'), JSON.stringify(results, null, 2) + '\n');

  const rows = (['spread', 'hot'] as const).flatMap((scenario) => {
    const s = summary[scenario]!;
    return (['stack', 'baseline', 'express'] as const).flatMap((kind) => {
      const x = s[kind];
      if (!x) return [];
      const userErrors = Object.entries(x.userErrors).map(([code, n]) => `${code} ${n}`).join(', ') || '0';
      const path = kind === 'stack' ? 'stack (gateway)' : kind === 'express' ? 'Express in-memory reference' : scenario === 'spread' ? 'baseline (node pg)' : 'baseline (pgbench)';
      return [`| ${scenario} | ${path} | ${fmt(x.ordersPerSecond)} | ${x.perRound.map((v) => fmt(v)).join(' / ')} | ${fmt(x.p50, 2)} | ${fmt(x.p99, 2)} | ${fmt(x.mean, 2)} | ${x.errors} | ${userErrors} | ${JSON.stringify(x.commitsPerOrder).replace(/"/g, '').replace(/,/g, ', ')} |`];
    });
  });
  const tableLines = [
    '| scenario | path | orders/s (median) | per round | p50 ms | p99 ms | mean ms | errors | userErrors | PostgreSQL commits per order |',
    '|---|---|--:|---|--:|--:|--:|--:|---|---|',
    ...rows,
  ];
  const ratioLines = (['spread', 'hot'] as const)
    .filter((scenario) => summary[scenario]!.ratio !== null)
    .flatMap((scenario) => {
      const { ratio, ratioToExpress, stack, express } = summary[scenario]!;
      return [
        `- **${scenario}**: stack / baseline = ${fmt(100 * ratio!, 1)}%`,
        ...(ratioToExpress !== null
          ? [`- **${scenario}**: stack / Express in-memory reference = ${fmt(ratioToExpress, 2)}× orders/s, p99 ${fmt(stack!.p99, 0)} vs ${fmt(express!.p99, 0)} ms (aim: ≥ 2× with a lower p99)`]
          : []),
      ];
    });
  const serviceLines = (['spread', 'hot'] as const).flatMap((scenario) => {
    const services = summary[scenario]!.stack?.services;
    return services ? [`- ${scenario} (last stack round): ${Object.entries(services).map(([name, s]) => `${name} ELU ${s.elu}, CPU ${s.cpuPct}% of a core, ${s.cpuMsPerOrder} CPU ms/order`).join('; ')}`] : [];
  });
  console.log(['', ...tableLines, '', ...ratioLines, ...serviceLines, ''].join('\n'));
  const markdown = [
    '# Orders benchmark: placeOrder throughput',
    '',
    `${results.startedAt}, ${results.durationSeconds} s, revision ${results.revision ?? 'unknown'}. Command: \`${results.command}\`.`,
    '',
    `Machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, load average at start ${machine.loadAverageAtStart.join(' / ')}. ` +
      'Services, PostgreSQL, autocannon and the baselines share these cores.',
    '',
    `Courses inserted with SQL (${COURSES} spread, capacity ${SPREAD_CAPACITY}; 1 hot, capacity ${HOT_CAPACITY}). ${CONNECTIONS} connections, ${DURATION} s per measurement, ${ROUNDS} ABBA round(s); medians.`,
    '',
    ...tableLines,
    '',
    ...ratioLines,
    '',
    'Service processes (ELU = event loop busy share; CPU in % of one core):',
    '',
    ...serviceLines,
    '',
    'Checks (after each scenario, once held seats settled):',
    '',
    ...Object.entries(checks).map(([scenario, c]) => `- ${scenario}: ${c.ok ? 'OK' : '**FAILED**'} — ${c.courses} courses, held ${c.heldAfterSettling}, ${c.pendingReservations} PENDING reservations, seats sold ${c.seatsSold} = confirmed reservations ${c.confirmedReservations}; confirmed reservations of orders ${c.confirmedReservationsOfOrders} vs CONFIRMED orders ${c.confirmedOrders}; ${c.coursesDisagreeing} courses disagreeing; ${c.pendingOrders} orders PENDING`),
    '',
    ...(problems.length ? ['Problems:', '', ...problems.map((p) => `- ${p}`), ''] : []),
  ].join('\n');
  writeFileSync(join(OUT_DIR, 'orders.md'), markdown);
  const bars = (['spread', 'hot'] as const)
    .filter((scenario) => summary[scenario]!.stack && summary[scenario]!.baseline)
    .map((scenario) => ({
      label: scenario === 'spread' ? `spread: ${COURSES} courses` : 'hot: one course',
      stack: summary[scenario]!.stack!.ordersPerSecond,
      baseline: summary[scenario]!.baseline!.ordersPerSecond,
      baselineName: scenario === 'spread' ? 'raw SQL (node pg)' : 'pgbench',
      express: summary[scenario]!.express?.ordersPerSecond ?? null,
    }));
  writeFileSync(join(OUT_DIR, 'orders.svg'), svg(bars));
  log(`results in ${join(OUT_DIR, 'orders.json')}, orders.md, orders.svg`);
  if (problems.length) log(`problems:\n  ${problems.join('\n  ')}`);
  return problems.length ? 1 : 0;
}

void main().then((code) => process.exit(code));
