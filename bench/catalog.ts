/**
 * Catalog reads: the first page of the catalog with each course's enrollment
 * count (course subgraph + order subgraph), through the gateway, against the
 * same reads made directly on the subgraphs (the baseline) and through Hive
 * Gateway (a peer gateway on the same supergraph and subgraphs). Then the SQL
 * statements each subgraph runs for one catalog request at page sizes 10, 50
 * and 100, which must not grow with the page size. See bench/README.md.
 *
 *   npm run bench:catalog -- --duration 15 --connections 20
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { IDENTITY_HEADER } from '@coursegraph/runtime';
import { freePort, sleep, withTimeout } from '@coursegraph/devkit/timing';
import { flag, numOption, option } from './runner/options';
import { findPostgres, type BenchPostgres } from './runner/postgres';
import { summarizeProfile, type ProfileSummary, type Stage } from './runner/profile';
import { machineInfo } from './runner/results';
import { runBenchmark, type BenchRun } from './runner/run';
import { ServiceProcesses, type ServiceMeter } from './runner/services';
import { distribution, median, round, type Distribution } from './runner/stats';

// ------------------------------------------------------------------ options

const argv = process.argv.slice(2);
if (flag(argv, 'help')) {
  console.log(`npm run bench:catalog -- [options]   (or env BENCH_<NAME>)
  --courses N        published courses seeded (default 200)
  --duration S       seconds per throughput measurement (default 15)
  --connections C    autocannon connections (default 20)
  --serial N         requests of the one-client latency measurement per target (default 400)
  --rounds X         rounds over the targets, order reversed every other round (default 2)
  --skip-hive        do not install or measure Hive Gateway
  --profile          CPU-profile the gateway process during its throughput measurements (slower; summary in the results)
  --hive-install-timeout S   give up installing Hive Gateway after S seconds (default 240)
  --max-seconds S    abort (non-zero exit) if the whole run takes longer (default 900)
  --out DIR          where results go (default bench/results)`);
  process.exit(0);
}
const COURSES = Math.floor(numOption(argv, 'courses', 200, 101, 10_000));
const DURATION = numOption(argv, 'duration', 15, 1, 600);
const CONNECTIONS = Math.floor(numOption(argv, 'connections', 20, 1, 1_000));
const SERIAL = Math.floor(numOption(argv, 'serial', 400, 10, 100_000));
const ROUNDS = Math.floor(numOption(argv, 'rounds', 2, 1, 20));
const SKIP_HIVE = flag(argv, 'skip-hive');
const PROFILE = flag(argv, 'profile');
const HIVE_INSTALL_TIMEOUT = numOption(argv, 'hive-install-timeout', 240, 10, 3_600);
const MAX_SECONDS = numOption(argv, 'max-seconds', 900, 30, 86_400);
const OUT_DIR = option(argv, 'out', join(__dirname, 'results'));
const PAGE = 20;
const SQL_PAGE_SIZES = [10, 50, 100];

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

// ------------------------------------------------------------------ operations

const CATALOG = `query Catalog($first: Int!) { courses(first: $first) { edges { node { id title price { amount currency } seatsAvailable seatsSold enrollmentCount } } pageInfo { hasNextPage endCursor } } }`;
/** The same page shape from different starting points: no two requests in flight ask the same thing. */
const CATALOG_AFTER = `query CatalogAfter($first: Int!, $after: String) { courses(first: $first, after: $after) { edges { node { id title price { amount currency } seatsAvailable seatsSold enrollmentCount } } pageInfo { hasNextPage endCursor } } }`;
/** What the gateway asks the course subgraph for the catalog (its query plan's first fetch). */
const COURSE_PART = `query Catalog__course__0($first: Int!) { courses(first: $first) { edges { node { __typename id title price { amount currency } seatsAvailable seatsSold } } pageInfo { hasNextPage endCursor } } }`;
/** What it then asks the order subgraph: the enrollment counts of the page's courses. */
const ORDER_PART = `query Catalog__order__1($representations: [_Any!]!) { _entities(representations: $representations) { ... on Course { enrollmentCount } } }`;

interface Target {
  name: string;
  label: string;
  url: string;
  body: string;
  /** When set, each request takes the next of these bodies (the same operation, different variables). */
  bodies?: string[];
  /** Headers of each request besides content-type (a subgraph's: the gateway's anonymous assertion, which the gateway sends too). */
  headers?: () => Record<string, string>;
}

interface Load {
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

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as { data?: Record<string, unknown>; errors?: unknown[] };
}

/** Throws unless the target answers the full, correct result (no errors, the page with enrollment counts). */
async function check(target: Target): Promise<void> {
  const result = await post(target.url, target.body, target.headers?.());
  if (result.errors || !result.data) throw new Error(`${target.name}: ${JSON.stringify(result).slice(0, 500)}`);
  if (target.name === 'order subgraph') {
    const entities = result.data._entities as { enrollmentCount: number }[];
    if (entities.length !== PAGE || entities.some((entity) => !(entity.enrollmentCount > 0))) throw new Error(`${target.name}: unexpected ${JSON.stringify(entities).slice(0, 300)}`);
    return;
  }
  const edges = (result.data.courses as { edges: { node: { enrollmentCount?: number } }[] }).edges;
  if (edges.length !== PAGE) throw new Error(`${target.name}: ${edges.length} edges`);
  if (target.name !== 'course subgraph' && edges.some((edge) => !(edge.node.enrollmentCount! > 0))) throw new Error(`${target.name}: an enrollmentCount is 0`);
}

/** CPU seconds (user + system) of a process, from /proc; NaN elsewhere. */
function procCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return NaN;
  }
}

interface Watched {
  meters: ServiceMeter[];
  hivePid?: number;
}

async function cannon(target: Target, seconds: number, connections: number, watched?: Watched): Promise<Load> {
  const profileGateway = PROFILE && target.name === 'gateway';
  await Promise.all((watched?.meters ?? []).map((meter) => meter.start(profileGateway && meter.name === 'gateway')));
  const hiveCpu = procCpuMs(watched?.hivePid);
  const clientCpu = process.cpuUsage();
  const wall = performance.now();
  let next = 0;
  const { bodies, headers } = target;
  // Per request: the next body, and the headers as they are now (an assertion is renewed every 30 s).
  const setupRequest = (request: autocannon.Request) => ({
    ...request,
    ...(bodies ? { body: bodies[next++ % bodies.length]! } : {}),
    ...(headers ? { headers: { ...request.headers, ...headers() } } : {}),
  });
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: target.body,
    ...(bodies || headers ? { requests: [{ method: 'POST', setupRequest }] } : {}),
    connections,
    duration: seconds,
  });
  const wallMs = performance.now() - wall;
  const client = process.cpuUsage(clientCpu);
  const cpuPct: Record<string, number> = { client: round((100 * (client.user + client.system)) / 1000 / wallMs) };
  const elu: Record<string, number> = {};
  if (watched?.hivePid) cpuPct.hive = round((100 * (procCpuMs(watched.hivePid) - hiveCpu)) / wallMs);
  for (const meter of watched?.meters ?? []) {
    const { reading, profile } = await meter.stop();
    cpuPct[meter.name] = round((100 * reading.cpuMs) / reading.wallMs);
    elu[meter.name] = round(reading.elu, 2);
    if (profile) profiles.push(summarizeProfile(profile, 25, STAGES));
  }
  return {
    cpuPct,
    elu,
    rps: round(result.requests.average, 1),
    requests: result.requests.total,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, mean: round(result.latency.average, 2), max: result.latency.max },
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
  };
}

/** One client, one request at a time: latency without queueing, timed here to the microsecond. */
async function serial(target: Target, count: number): Promise<Distribution> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    const response = await fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json', ...target.headers?.() }, body: target.body });
    await response.arrayBuffer();
    times.push(performance.now() - started);
    if (!response.ok) throw new Error(`${target.name} answered ${response.status}`);
  }
  const d = distribution(times);
  return { ...d, p50: round(d.p50, 3), p90: round(d.p90, 3), p99: round(d.p99, 3), max: round(d.max, 3), mean: round(d.mean, 3) };
}

const profiles: ProfileSummary[] = [];
const STAGES: Stage[] = [
  { stage: 'gateway executeQueryPlan', fn: /^executeQueryPlan$/, url: /@apollo\/gateway/ },
  { stage: 'query planning', fn: /^(buildQueryPlan|computeQueryPlan)$/ },
  { stage: 'graphql-js validate', fn: /^validate$/, url: /graphql\/validation/ },
  { stage: 'graphql-js parse', fn: /^parse$/, url: /graphql\/language/ },
  { stage: 'graphql-js execute', fn: /^execute$/, url: /graphql\/execution/ },
  { stage: 'Apollo Server request pipeline', fn: /^processGraphQLRequest$/, url: /@apollo\/server/ },
  { stage: 'subgraph fetch (RemoteGraphQLDataSource)', fn: /^(process|sendRequest|fetcher)$/, url: /@apollo\/gateway|node-fetch|make-fetch-happen|undici/ },
  { stage: 'express', fn: /./, url: /node_modules\/(express|router|body-parser)\// },
  { stage: 'jsonwebtoken / crypto', fn: /./, url: /node_modules\/jsonwebtoken\/|node:crypto/ },
  { stage: 'garbage collection', fn: /^\(garbage collector\)$/ },
  { stage: 'idle', fn: /^\(idle\)$/ },
];

// ------------------------------------------------------------------ seeding

/** COURSES published courses (capacity 100) straight into the course database, and for each 1 to 9 confirmed orders (plus a few failed ones) in the order database. */
async function seed(courseDb: string, orderDb: string): Promise<string[]> {
  const courses: { id: string; sold: number }[] = [];
  const instructor = randomUUID();
  const base = Date.now() - COURSES * 1000;
  const course = new Client({ connectionString: courseDb });
  const order = new Client({ connectionString: orderDb });
  await course.connect();
  await order.connect();
  try {
    for (let index = 0; index < COURSES; index++) courses.push({ id: randomUUID(), sold: 1 + (index % 9) });
    await course.query(
      `INSERT INTO course (id, title, description, price_amount, price_currency, instructor_id, status, capacity, seats_available, seats_held, seats_sold, seats_version, created_at, updated_at)
       SELECT id, 'Benchmark course ' || n, 'Seeded by bench/catalog.ts.', 1000 + n, 'USD', $2, 'PUBLISHED', 100, 100 - sold, 0, sold, sold, to_timestamp(($3::bigint + n * 1000) / 1000.0), now()
       FROM unnest($1::uuid[], $4::int[]) WITH ORDINALITY AS t(id, sold, n)`,
      [courses.map((c) => c.id), instructor, base, courses.map((c) => c.sold)],
    );
    const rows: { course: string; status: string }[] = [];
    for (const c of courses) {
      for (let k = 0; k < c.sold; k++) rows.push({ course: c.id, status: 'CONFIRMED' });
      if (c.sold % 3 === 0) rows.push({ course: c.id, status: 'FAILED' });
    }
    await order.query(
      `INSERT INTO orders (id, course_id, student_id, idempotency_key, status, price_amount, price_currency, failure_reason)
       SELECT gen_random_uuid(), course_id, gen_random_uuid(), 'bench-' || n, status, 1000, 'USD', CASE WHEN status = 'FAILED' THEN 'UNAVAILABLE' END
       FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS t(course_id, status, n)`,
      [rows.map((r) => r.course), rows.map((r) => r.status)],
    );
    await course.query('ANALYZE course');
    await order.query('ANALYZE orders');
    log(`seeded ${COURSES} published courses and ${rows.length} orders (${rows.filter((r) => r.status === 'CONFIRMED').length} confirmed)`);
  } finally {
    await course.end();
    await order.end();
  }
  return courses.map((c) => c.id);
}

// ------------------------------------------------------------------ Hive Gateway

const HIVE_DIR = join(__dirname, 'hive');
const HIVE_BIN = join(HIVE_DIR, 'node_modules', '@graphql-hive', 'gateway', 'package.json');

/** Installs bench/hive on demand (npm ci from its lockfile); returns null when it works, else why not. */
async function installHive(): Promise<string | null> {
  if (existsSync(HIVE_BIN)) return null;
  const lock = existsSync(join(HIVE_DIR, 'package-lock.json'));
  log(`installing Hive Gateway into bench/hive (npm ${lock ? 'ci' : 'install'}; up to ${HIVE_INSTALL_TIMEOUT} s)`);
  const started = performance.now();
  const child = spawn('npm', [lock ? 'ci' : 'install', '--no-audit', '--no-fund', '--prefix', HIVE_DIR], { cwd: HIVE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  try {
    const [code] = await withTimeout(exited, HIVE_INSTALL_TIMEOUT * 1000, 'timeout');
    if (code !== 0) return `npm ${lock ? 'ci' : 'install'} in bench/hive exited with ${code}: ${output.trim().split('\n').slice(-5).join(' | ')}`;
  } catch {
    child.kill('SIGTERM');
    return `npm install of bench/hive took longer than ${HIVE_INSTALL_TIMEOUT} s`;
  }
  log(`Hive Gateway installed in ${round((performance.now() - started) / 1000)} s`);
  return existsSync(HIVE_BIN) ? null : 'npm finished but @graphql-hive/gateway is not in bench/hive/node_modules';
}

/** Hive Gateway on the repository's supergraph with the run's subgraph URLs, one process (no forks), production mode. */
async function startHive(subgraphUrls: Record<string, string>, tempDir: string): Promise<{ url: string; child: ChildProcess; version: string }> {
  let supergraph = readFileSync(join(__dirname, '..', 'schema', 'supergraph.graphql'), 'utf8');
  for (const [name, url] of Object.entries(subgraphUrls)) {
    const pattern = new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`);
    if (!pattern.test(supergraph)) throw new Error(`no join__graph for ${name} in schema/supergraph.graphql`);
    supergraph = supergraph.replace(pattern, `$1${url}$2`);
  }
  const file = join(tempDir, 'supergraph.graphql');
  writeFileSync(file, supergraph);
  const port = await freePort();
  const version = (JSON.parse(readFileSync(HIVE_BIN, 'utf8')) as { version: string }).version;
  const cli = join(HIVE_DIR, 'node_modules', '.bin', 'hive-gateway');
  const child = spawn(cli, ['supergraph', file, '--host', '127.0.0.1', '--port', String(port), '--fork', '0'], {
    cwd: tempDir,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Hive Gateway exited (${child.exitCode}): ${output.slice(-800)}`);
    try {
      const result = await post(url, JSON.stringify({ query: '{ __typename }' }));
      if (result.data) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`Hive Gateway not ready within 60 s: ${output.slice(-800)}`);
    await sleep(300);
  }
  log(`Hive Gateway ${version} up: ${url} (pid ${child.pid})`);
  return { url, child, version };
}

// ------------------------------------------------------------------ SQL per request

interface Statement {
  service: string;
  time: number;
  sql: string;
}

interface SqlCount {
  pageSize: number;
  edges: number;
  statements: Record<string, number>;
  sql: Record<string, string[]>;
}

/** Services with LOG_SQL=true, LOG_LEVEL=info and no background jobs; one catalog request per page size, and the statements logged meanwhile. */
async function sqlPerRequest(pg: BenchPostgres, stopping: { services: ServiceProcesses | null }): Promise<SqlCount[]> {
  const statements: Statement[] = [];
  const services = new ServiceProcesses(pg.url, {
    maxSubscriptionsPerConnection: 20,
    log,
    // The sweeper and the reconciler would run their own SQL now and then: off for this count.
    env: { LOG_SQL: 'true', LOG_LEVEL: 'info', SWEEP_INTERVAL_SECONDS: '0', RECONCILE_INTERVAL_SECONDS: '0' },
    stdout: (service, line) => {
      if (!line.startsWith('{')) return;
      try {
        const entry = JSON.parse(line) as { msg?: string; type?: string; sql?: string; time?: string };
        if (entry.msg === 'database' && entry.type === 'query') statements.push({ service, time: Date.parse(entry.time!), sql: entry.sql! });
      } catch {}
    },
  });
  stopping.services = services;
  try {
    await services.start();
    await seed(services.databaseUrls.course!, services.databaseUrls.order!);
    const body = (first: number) => JSON.stringify({ query: CATALOG, variables: { first } });
    for (let index = 0; index < 5; index++) await post(services.gatewayUrl, body(PAGE)); // warm-up: plans, pools, statements
    await sleep(500);
    const counts: SqlCount[] = [];
    for (const pageSize of SQL_PAGE_SIZES) {
      statements.length = 0;
      await sleep(300);
      const idle = statements.length;
      const result = await post(services.gatewayUrl, body(pageSize));
      if (result.errors || !result.data) throw new Error(`catalog(first: ${pageSize}): ${JSON.stringify(result).slice(0, 500)}`);
      const edges = (result.data.courses as { edges: unknown[] }).edges.length;
      await sleep(500); // the log lines travel through a pipe
      const per: Record<string, number> = {};
      const sql: Record<string, string[]> = {};
      for (const name of ['accounts', 'course', 'order', 'gateway']) {
        per[name] = statements.filter((s) => s.service === name).length;
        sql[name] = statements.filter((s) => s.service === name).map((s) => s.sql.replace(/\s+/g, ' ').trim());
      }
      if (idle) per.idleBefore = idle;
      counts.push({ pageSize, edges, statements: per, sql });
      log(`first: ${pageSize}: ${edges} edges; SQL statements: ${Object.entries(per).map(([name, count]) => `${name} ${count}`).join(', ')}`);
    }
    return counts;
  } finally {
    stopping.services = null;
    await services.stop();
  }
}

// ------------------------------------------------------------------ report

const fmt = (value: number | undefined, digits = 0) => (value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : '–');

function svgChart(bars: { label: string; rps: number; p50: number }[]): string {
  const width = 720;
  const rowHeight = 34;
  const left = 250;
  const top = 40;
  const max = Math.max(...bars.map((bar) => bar.rps), 1);
  const height = top + bars.length * rowHeight + 40;
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rows = bars.map((bar, index) => {
    const y = top + index * rowHeight;
    const w = Math.max(1, ((width - left - 120) * bar.rps) / max);
    return [
      `<text x="${left - 8}" y="${y + 19}" text-anchor="end">${escape(bar.label)}</text>`,
      `<rect x="${left}" y="${y + 4}" width="${w.toFixed(1)}" height="22" fill="${index === 0 ? '#2b6cb0' : '#90a4ae'}"/>`,
      `<text x="${(left + w + 6).toFixed(1)}" y="${y + 19}">${fmt(bar.rps)} req/s, p50 ${fmt(bar.p50)} ms</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">Catalog read: requests/s at ${CONNECTIONS} connections (median of rounds)</text>`,
    ...rows,
    `<text x="10" y="${height - 12}" fill="#555">bench/catalog.ts — courses(first: ${PAGE}) with enrollmentCount; baselines are the subgraph parts alone</text>`,
    `</svg>`,
  ].join('\n');
}

function gitRevision(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: join(__dirname, '..'), encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ main

const stopping: { services: ServiceProcesses | null; hive: ChildProcess | null; pg: BenchPostgres | null } = { services: null, hive: null, pg: null };

async function main(): Promise<number> {
  const startedAt = new Date();
  const started = performance.now();
  const loadAverageAtStart = os.loadavg().map((value) => round(value, 2));
  const problems: string[] = [];
  const notes: string[] = [];
  const tempDir = mkdtempSync(join(os.tmpdir(), 'coursegraph-bench-catalog-'));
  let pg: BenchPostgres | null = null;
  const loads: Record<string, Load[]> = {};
  const serials: Record<string, Distribution[]> = {};
  let hiveVersion: string | null = null;
  let hiveSkipped: string | null = SKIP_HIVE ? 'skipped (--skip-hive)' : null;
  let sql: SqlCount[] = [];
  const targets: Target[] = [];
  try {
    pg = await findPostgres(log);
    stopping.pg = pg;
    // Hive's install runs while the services start (it is IO-bound, and done once).
    const hiveInstall = SKIP_HIVE ? Promise.resolve('skipped (--skip-hive)') : installHive();

    const services = new ServiceProcesses(pg.url, { maxSubscriptionsPerConnection: 20, log });
    stopping.services = services;
    await services.start();
    const ids = await seed(services.databaseUrls.course!, services.databaseUrls.order!);
    const firstPage = ids.slice(0, PAGE);
    // In production a subgraph answers only callers with the gateway's assertion (or a service credential).
    const asGateway = () => ({ [IDENTITY_HEADER]: services.anonymousIdentity() });
    targets.push(
      { name: 'gateway', label: 'coursegraph gateway', url: services.gatewayUrl, body: JSON.stringify({ query: CATALOG, variables: { first: PAGE } }) },
      { name: 'course subgraph', label: '(a1) course subgraph part', url: services.subgraphUrls.course!, body: JSON.stringify({ query: COURSE_PART, variables: { first: PAGE } }), headers: asGateway },
      {
        name: 'order subgraph',
        label: '(a2) order subgraph part',
        url: services.subgraphUrls.order!,
        body: JSON.stringify({ query: ORDER_PART, variables: { representations: firstPage.map((id) => ({ __typename: 'Course', id })) } }),
        headers: asGateway,
      },
    );
    // Cursors of the first COURSES - PAGE courses: pages starting after each of them are full and all differ.
    const cursors: string[] = [];
    for (let after: string | null = null; cursors.length < COURSES - PAGE; ) {
      const page = await post(services.gatewayUrl, JSON.stringify({ query: `query Cursors($after: String) { courses(first: 100, after: $after) { edges { cursor } pageInfo { endCursor } } }`, variables: { after } }));
      const connection = page.data!.courses as { edges: { cursor: string }[]; pageInfo: { endCursor: string } };
      cursors.push(...connection.edges.map((edge) => edge.cursor));
      after = connection.pageInfo.endCursor;
    }
    const distinctBodies = cursors.slice(0, COURSES - PAGE).map((after) => JSON.stringify({ query: CATALOG_AFTER, variables: { first: PAGE, after } }));
    targets.push({ name: 'gateway distinct', label: 'coursegraph gateway, distinct pages', url: services.gatewayUrl, body: distinctBodies[0]!, bodies: distinctBodies });
    const hiveProblem = await hiveInstall;
    if (hiveProblem) {
      hiveSkipped = hiveProblem;
      log(`Hive Gateway not measured: ${hiveProblem}`);
    } else {
      try {
        const hive = await startHive(services.subgraphUrls, tempDir);
        stopping.hive = hive.child;
        hiveVersion = hive.version;
        targets.push({ name: 'hive', label: `Hive Gateway ${hive.version}`, url: hive.url, body: targets[0]!.body });
        targets.push({ name: 'hive distinct', label: `Hive Gateway ${hive.version}, distinct pages`, url: hive.url, body: distinctBodies[0]!, bodies: distinctBodies });
      } catch (error) {
        hiveSkipped = `Hive Gateway did not start: ${String(error).slice(0, 600)}`;
        log(hiveSkipped);
      }
    }
    for (const target of targets) await check(target);
    // Same answer from both gateways.
    const hiveTarget = targets.find((t) => t.name === 'hive');
    if (hiveTarget) {
      const [ours, theirs] = await Promise.all([post(targets[0]!.url, targets[0]!.body), post(hiveTarget.url, hiveTarget.body)]);
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) problems.push('Hive Gateway and the coursegraph gateway answered the catalog differently');
    }

    log(`warm-up: 3 s per target at ${CONNECTIONS} connections`);
    for (const target of targets) await cannon(target, 3, CONNECTIONS);
    for (let roundIndex = 1; roundIndex <= ROUNDS; roundIndex++) {
      const order = roundIndex % 2 ? targets : [...targets].reverse();
      for (const target of order) {
        const load = await cannon(target, DURATION, CONNECTIONS, { meters: services.meters, hivePid: stopping.hive?.pid });
        (loads[target.name] ??= []).push(load);
        log(`round ${roundIndex} ${target.label}: ${fmt(load.rps)} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms; CPU % ${Object.entries(load.cpuPct).map(([n, v]) => `${n} ${v}`).join(', ')}${load.errors + load.non2xx + load.timeouts ? `, errors ${load.errors} non2xx ${load.non2xx} timeouts ${load.timeouts}` : ''}`);
        if (load.errors || load.non2xx || load.timeouts) problems.push(`${target.label}: ${load.errors} errors, ${load.non2xx} non-2xx, ${load.timeouts} timeouts in round ${roundIndex}`);
      }
      for (const target of order.filter((t) => !t.bodies)) {
        const d = await serial(target, SERIAL);
        (serials[target.name] ??= []).push(d);
        log(`round ${roundIndex} ${target.label}, one client: p50 ${d.p50} ms, p99 ${d.p99} ms`);
      }
    }
    if (stopping.hive) {
      stopping.hive.kill('SIGTERM');
      await withTimeout(once(stopping.hive, 'exit'), 10_000, 'hive did not exit').catch(() => stopping.hive?.kill('SIGKILL'));
      stopping.hive = null;
    }
    stopping.services = null;
    await services.stop();

    log('SQL per request: services again with LOG_SQL=true');
    sql = await sqlPerRequest(pg, stopping);
    for (const name of ['course', 'order']) {
      const counts = sql.map((count) => count.statements[name] ?? 0);
      if (counts.some((count) => count > counts[0]!)) problems.push(`${name} subgraph: SQL statements per catalog request grow with the page size: ${sql.map((c) => `first ${c.pageSize}: ${c.statements[name]}`).join(', ')}`);
      if (counts.some((count) => count === 0)) problems.push(`${name} subgraph: no SQL statement logged for a catalog request (logging not captured?)`);
    }
    for (const count of sql) if (count.statements.idleBefore) problems.push(`first ${count.pageSize}: ${count.statements.idleBefore} statements logged before the request (background work), counts unreliable`);
  } finally {
    if (stopping.hive) stopping.hive.kill('SIGTERM');
    await stopping.services?.stop().catch((error: unknown) => log(`stopping services: ${String(error)}`));
    await pg?.stop();
    rmSync(tempDir, { recursive: true, force: true });
  }

  // ---------------------------------------------------------------- figures
  const med = (name: string, get: (load: Load) => number) => median((loads[name] ?? []).map(get));
  const medSerial = (name: string, get: (d: Distribution) => number) => median((serials[name] ?? []).map(get));
  const summary: Record<string, { rps: number; p50: number; p99: number; mean: number; serialP50: number; serialP99: number }> = {};
  for (const target of targets) {
    summary[target.name] = {
      rps: med(target.name, (l) => l.rps),
      p50: med(target.name, (l) => l.latencyMs.p50),
      p99: med(target.name, (l) => l.latencyMs.p99),
      mean: med(target.name, (l) => l.latencyMs.mean),
      serialP50: medSerial(target.name, (d) => d.p50),
      serialP99: medSerial(target.name, (d) => d.p99),
    };
  }
  const g = summary.gateway!;
  const a1 = summary['course subgraph']!;
  const a2 = summary['order subgraph']!;
  const hive = summary.hive;
  const gd = summary['gateway distinct']!;
  const hd = summary['hive distinct'];
  // Under load, against distinct pages: identical pages in flight share subgraph requests, distinct ones do the parts' full work.
  const derived = {
    loadedOverheadP50Ms: round(gd.p50 - (a1.p50 + a2.p50), 2),
    serialOverheadP50Ms: round(g.serialP50 - (a1.serialP50 + a2.serialP50), 3),
    rpsGatewayOverCourse: round(gd.rps / a1.rps, 3),
    rpsGatewayOverOrder: round(gd.rps / a2.rps, 3),
    /** The rps a client doing the two calls one after the other at the same connections would see if each part cost what it costs alone: 1 / (1/a1 + 1/a2). */
    rpsGatewayOverSerialParts: round(gd.rps / (1 / (1 / a1.rps + 1 / a2.rps)), 3),
    rpsGatewayOverHive: hive ? round(g.rps / hive.rps, 3) : null,
    rpsGatewayOverHiveDistinctPages: hd ? round(gd.rps / hd.rps, 3) : null,
    p50GatewayOverHiveDistinctPages: hd ? round(gd.p50 / hd.p50, 3) : null,
    p50GatewayOverHive: hive ? round(g.p50 / hive.p50, 3) : null,
    serialP50GatewayOverHive: hive ? round(g.serialP50 / hive.serialP50, 3) : null,
  };
  if (hd && gd.rps < hd.rps) notes.push(`Aim missed with distinct pages too: the coursegraph gateway serves ${fmt(gd.rps)} req/s, Hive Gateway ${fmt(hd.rps)} (${fmt(derived.rpsGatewayOverHiveDistinctPages!, 2)}×).`);
  if (hive && g.rps < hive.rps) notes.push(`Aim missed: the coursegraph gateway serves ${fmt(g.rps)} req/s, Hive Gateway ${fmt(hive.rps)} (${fmt(derived.rpsGatewayOverHive!, 2)}×).`);
  if (derived.serialOverheadP50Ms > 1) notes.push(`Aim missed: one-client gateway overhead p50 is ${derived.serialOverheadP50Ms} ms (> 1 ms).`);

  // CPU time per request of each process, per target: median over rounds of (CPU % / 100 × 1000 ms) / req/s.
  const processes = ['client', 'course', 'order', 'gateway', 'hive'];
  const cpuPerRequest: Record<string, Record<string, number>> = {};
  for (const target of targets) {
    cpuPerRequest[target.name] = {};
    for (const name of processes) {
      const value = med(target.name, (l) => (l.cpuPct[name] ?? NaN) * 10 / l.rps);
      if (Number.isFinite(value)) cpuPerRequest[target.name]![name] = round(value, 3);
    }
  }
  const eluLines = [
    `| target | ${processes.map((name) => `${name} CPU ms/req`).join(' | ')} | ${['course', 'order', 'gateway'].map((name) => `${name} ELU`).join(' | ')} |`,
    `|---|${processes.map(() => '---:|').join('')}---:|---:|---:|`,
    ...targets.map((t) => `| ${t.label} | ${processes.map((name) => fmt(cpuPerRequest[t.name]![name], 2)).join(' | ')} | ${['course', 'order', 'gateway'].map((name) => fmt(med(t.name, (l) => l.elu[name] ?? NaN), 2)).join(' | ')} |`),
  ];
  const profileLines = profiles.length
    ? [
        '## Gateway CPU profile during its throughput measurement (--profile)',
        '',
        '| stage (inclusive) | % |',
        '|---|---:|',
        ...profiles[0]!.stages.filter((row) => row.ms > 0).map((row) => `| ${row.stage} | ${fmt(row.pct, 1)} |`),
        '',
        `By package (self): ${profiles[0]!.byArea.slice(0, 12).map((row) => `${row.area} ${fmt(row.pct, 1)}%`).join(', ')}`,
        '',
        '| function (self) | % |',
        '|---|---:|',
        ...profiles[0]!.byFunction.slice(0, 15).map((row) => `| \`${row.fn}\` | ${fmt(row.pct, 1)} |`),
        '',
      ]
    : [];

  const durationS = round((performance.now() - started) / 1000);
  const machine = machineInfo({ loadAverageAtStart, loadAverageAtEnd: os.loadavg().map((value) => round(value, 2)), postgres: pg?.kind ?? null });
  const command = `npm run bench:catalog -- --courses ${COURSES} --duration ${DURATION} --connections ${CONNECTIONS} --serial ${SERIAL} --rounds ${ROUNDS}${SKIP_HIVE ? ' --skip-hive' : ''}`;
  const results = {
    benchmark: 'catalog',
    startedAt: startedAt.toISOString(),
    durationSeconds: durationS,
    revision: gitRevision(),
    command,
    machine,
    parameters: { courses: COURSES, pageSize: PAGE, durationSeconds: DURATION, connections: CONNECTIONS, serialRequests: SERIAL, rounds: ROUNDS, sqlPageSizes: SQL_PAGE_SIZES },
    operations: { gateway: CATALOG, gatewayDistinctPages: CATALOG_AFTER, courseSubgraph: COURSE_PART, orderSubgraph: ORDER_PART },
    hive: hiveVersion ? { version: hiveVersion, mode: 'one process (--fork 0), NODE_ENV=production, default settings' } : { skipped: hiveSkipped },
    medians: summary,
    derived,
    cpuMsPerRequest: cpuPerRequest,
    rounds: { load: loads, serial: serials },
    gatewayProfiles: profiles,
    sqlPerRequest: sql,
    ok: problems.length === 0,
    problems,
    notes,
  };
  mkdirSync(OUT_DIR, { recursive: true });
  const jsonPath = join(OUT_DIR, 'catalog.json');
  writeFileSync(jsonPath, JSON.stringify(results, null, 2) + '\n');

  const tableLines = [
    `| target | req/s (${CONNECTIONS} conn.) | p50 ms | p99 ms | mean ms | one client p50 ms | one client p99 ms |`,
    '|---|---:|---:|---:|---:|---:|---:|',
    ...targets.map((t) => {
      const s = summary[t.name]!;
      return `| ${t.label} | ${fmt(s.rps)} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${fmt(s.mean, 2)} | ${fmt(s.serialP50, 2)} | ${fmt(s.serialP99, 2)} |`;
    }),
  ];
  const derivedLines = [
    '| figure | value |',
    '|---|---:|',
    `| gateway overhead, one client: gateway p50 − (a1 p50 + a2 p50) | ${fmt(derived.serialOverheadP50Ms, 2)} ms |`,
    `| gateway overhead under load: gateway (distinct pages) p50 − (a1 p50 + a2 p50) at ${CONNECTIONS} conn. | ${fmt(derived.loadedOverheadP50Ms, 1)} ms |`,
    `| req/s gateway (distinct pages) / a1 course part | ${fmt(derived.rpsGatewayOverCourse, 2)} |`,
    `| req/s gateway (distinct pages) / a2 order part | ${fmt(derived.rpsGatewayOverOrder, 2)} |`,
    `| req/s gateway (distinct pages) / both parts one after the other (1 / (1/a1 + 1/a2)) | ${fmt(derived.rpsGatewayOverSerialParts, 2)} |`,
    `| req/s coursegraph gateway / Hive Gateway | ${derived.rpsGatewayOverHive === null ? `– (${hiveSkipped})` : fmt(derived.rpsGatewayOverHive, 2)} |`,
    `| req/s and p50 coursegraph gateway / Hive Gateway, distinct pages | ${derived.rpsGatewayOverHiveDistinctPages === null ? '–' : `${fmt(derived.rpsGatewayOverHiveDistinctPages, 2)}; ${fmt(derived.p50GatewayOverHiveDistinctPages!, 2)}`} |`,
    `| p50 coursegraph gateway / Hive Gateway (${CONNECTIONS} conn.; one client) | ${derived.p50GatewayOverHive === null ? '–' : `${fmt(derived.p50GatewayOverHive, 2)}; ${fmt(derived.serialP50GatewayOverHive!, 2)}`} |`,
  ];
  const sqlLines = [
    '| page size | edges | course subgraph | order subgraph | accounts | gateway |',
    '|---:|---:|---:|---:|---:|---:|',
    ...sql.map((c) => `| ${c.pageSize} | ${c.edges} | ${c.statements.course} | ${c.statements.order} | ${c.statements.accounts} | ${c.statements.gateway} |`),
  ];
  const statementsText = sql.length ? [...new Set(sql.flatMap((c) => [...c.sql.course!.map((s) => `course: ${s}`), ...c.sql.order!.map((s) => `order: ${s}`)]))].map((s) => `- \`${s.slice(0, 400)}\``) : [];
  const markdown = [
    '# Catalog benchmark: catalog page through the gateway',
    '',
    `${startedAt.toISOString()}, ${durationS} s, revision ${results.revision ?? 'unknown'}. \`${command}\``,
    '',
    `Machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, PostgreSQL ${machine.postgres}, load average at start ${machine.loadAverageAtStart.join(' / ')}, at end ${machine.loadAverageAtEnd.join(' / ')}.`,
    '',
    `${COURSES} published courses, 1–9 confirmed orders each; page of ${PAGE}. Medians of ${ROUNDS} rounds × ${DURATION} s per target (autocannon, ${CONNECTIONS} connections, in the benchmark process); one client = ${SERIAL} requests one at a time, timed with performance.now(). *Distinct pages*: the same page size, each request starting after another of the first ${COURSES - PAGE} courses (round-robin), so concurrent requests are not identical (both gateways let identical queries in flight share one subgraph request; see the README).`,
    '',
    ...tableLines,
    '',
    ...derivedLines,
    '',
    'CPU time per request of each process during the throughput measurements (client: the benchmark process running autocannon; busy = event-loop utilization):',
    '',
    ...eluLines,
    '',
    hiveVersion ? `Hive Gateway ${hiveVersion}: one process (\`--fork 0\`), NODE_ENV=production, defaults, on the same supergraph with the run's subgraph URLs.` : `Hive Gateway: not measured — ${hiveSkipped}.`,
    '',
    '## SQL statements per catalog request',
    '',
    'One request per page size after a warm-up, services started with LOG_SQL=true (sweeper and reconciler off); statements of type `query` logged by each service during the request.',
    '',
    ...sqlLines,
    '',
    ...statementsText,
    '',
    ...profileLines,
    ...(problems.length ? ['## Problems', '', ...problems.map((p) => `- ${p}`), ''] : []),
    ...(notes.length ? ['## Notes', '', ...notes.map((n) => `- ${n}`), ''] : []),
  ].join('\n');
  writeFileSync(join(OUT_DIR, 'catalog.md'), markdown);
  writeFileSync(join(OUT_DIR, 'catalog.svg'), svgChart(targets.map((t) => ({ label: t.label, rps: summary[t.name]!.rps, p50: summary[t.name]!.p50 }))) + '\n');

  console.log('\n' + [...tableLines, '', ...derivedLines, '', ...eluLines, '', ...sqlLines, '', ...profileLines].join('\n'));
  console.log(`\nwrote ${jsonPath}, ${join(OUT_DIR, 'catalog.md')}, ${join(OUT_DIR, 'catalog.svg')} (${durationS} s)`);
  if (hiveSkipped) console.log(`\nHive Gateway not measured: ${hiveSkipped}`);
  for (const note of notes) console.log(`note: ${note}`);
  if (problems.length) console.log(`\nFAILED:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  return problems.length ? 1 : 0;
}

runBenchmark((run: BenchRun) => {
  run.hold('the run', async () => {
    stopping.hive?.kill('SIGTERM');
    await stopping.services?.stop().catch(() => undefined);
    await stopping.pg?.stop().catch(() => undefined);
  });
  return main();
}, MAX_SECONDS);
