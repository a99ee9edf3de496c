/**
 * The services started the way their containers start them, as local
 * processes (these machines have no Docker engine): `npm run build` output,
 * `node` with the Dockerfile's CMD arguments in each service's workspace
 * folder, no TypeScript tooling, and each service's environment from
 * docker-compose.yml over the values of .env.example (what `cp .env.example
 * .env` gives). Only what cannot be the same on a shared test machine is
 * replaced: compose host names (`course`, `course-db` ...) by 127.0.0.1 and
 * the service's free port or this run's fresh database, `HOST=0.0.0.0` by
 * 127.0.0.1, and the secrets .env.example leaves empty by random ones made for
 * the run. Then a smoke run through the gateway: the catalog, accounts
 * registered through the API, a course created and published by an
 * instructor, an order, and the seat count over a graphql-ws subscription;
 * then SIGTERM to each service, which must exit 0 within compose's
 * stop_grace_period. Also: each subgraph's migrate command alone, and a
 * production start refusing missing secrets.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv, promisify } from 'node:util';
import { parse } from 'yaml';
import { Client as PgClient } from 'pg';
import { CatalogDocument, CreateCourseDocument, PlaceOrderDocument, PublishCourseDocument, SeatsChangedDocument } from '@coursegraph/client';
import { createTestDatabases } from '@coursegraph/devkit/databases';
import { buildWorkspaces, containerNodeArgs, ProcessStack, SERVICES, SUBGRAPHS, workspaceOf, type ServiceName } from '@coursegraph/devkit/processes';
import { bearer, graphql } from '@coursegraph/devkit/stack';
import { collect, connect } from '@coursegraph/devkit/ws';

const root = join(__dirname, '..');
const run = promisify(execFile);
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface ComposeService {
  build?: { args?: Record<string, string> };
  environment?: Record<string, string>;
  stop_grace_period?: string;
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> };

/** .env.example as an operator's .env: every value set there; the empty ones (secrets) are left to the run. */
const envExample = parseEnv(read('.env.example'));
const filledIn = Object.fromEntries(Object.entries(envExample).filter(([, value]) => value !== ''));

/** The port a compose service listens on: its build arg PORT, which must be what its own NAME_PORT says. */
function composePort(name: ServiceName): string {
  const service = compose.services[name]!;
  const port = service.build!.args!.PORT!;
  expect(service.environment![`${name.toUpperCase()}_PORT`]).toBe(port);
  return port;
}

/**
 * Compose's `${NAME}`, `${NAME:?message}` and `${NAME:-default}` filled in from the run's .env (a random password where
 * .env.example leaves it empty; the default where it sets nothing).
 */
const postgresPassword = randomUUID().replaceAll('-', '');
const interpolate = (value: string) =>
  value.replace(/\$\{(\w+)(?::?([?-])([^}]*))?\}/g, (_match, name: string, operator?: string, fallback?: string) =>
    name === 'POSTGRES_PASSWORD' ? postgresPassword : (filledIn[name] ?? (operator === '-' ? fallback! : '')),
  );

/** A service's compose environment, wired to this run's ports and databases instead of compose's host names. */
function localEnv(name: ServiceName, stack: ProcessStack): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, raw] of Object.entries(compose.services[name]!.environment ?? {})) {
    const value = interpolate(raw);
    const service = SERVICES.find((other) => key === `${other.toUpperCase()}_PORT`);
    if (service) env[key] = new URL(stack.urls[service]).port;
    else if (key === 'HOST') env[key] = value === '0.0.0.0' ? '127.0.0.1' : value;
    else if (/^postgres(ql)?:/.test(value)) {
      const database = SUBGRAPHS.find((subgraph) => new URL(value).hostname === `${subgraph}-db`);
      expect([key, database && compose.services[`${database}-db`] ? 'a subgraph database' : value]).toEqual([key, 'a subgraph database']);
      env[key] = stack.databaseUrls[database!];
    } else if (/^https?:/.test(value)) {
      const url = new URL(value);
      const target = SERVICES.find((other) => url.hostname === other);
      expect([key, target && url.port === composePort(target) ? 'a service on its port' : value]).toEqual([key, 'a service on its port']);
      env[key] = `${stack.urls[target!]}${url.pathname}`;
    } else env[key] = value;
  }
  return env;
}

let stack: ProcessStack;
const timings: string[] = [];
async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  timings.push(`${step} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

beforeAll(async () => {
  // Incremental: nearly free when .ci/run (or anyone) has built already.
  await timed('build', () => buildWorkspaces());
  stack = new ProcessStack({
    serverUrl: process.env.TEST_DATABASE_URL!,
    databasePrefix: 'cg_test_prod',
    built: { nodeArgs: containerNodeArgs() },
    env: filledIn,
    serviceEnv: localEnv,
  });
  await timed('start', () => stack.start());
}, 360_000);

afterAll(async () => {
  console.log(`production start: ${timings.join(', ')}`);
  await stack?.stop();
}, 60_000);

test('.env.example leaves empty exactly the secrets an operator must set', () => {
  const empty = Object.keys(envExample).filter((name) => envExample[name] === '');
  expect(empty.sort()).toEqual(['JWT_SECRET', 'METRICS_TOKEN', 'POSTGRES_PASSWORD', 'SERVICE_SECRET', 'SUBGRAPH_SECRET']);
});

test('the built services serve a catalog, an order and live seat counts through the gateway, then stop cleanly on SIGTERM', async () => {
  for (const name of SERVICES) {
    expect((await fetch(`${stack.urls[name]}/health`)).status).toBe(200);
    expect((await fetch(`${stack.urls[name]}/ready`)).status).toBe(200);
  }
  const url = stack.gatewayUrl;

  // docker-compose.yml keeps Apollo Sandbox on, as `npm start` has it, at the same URL.
  const sandbox = await fetch(url, { headers: { accept: 'text/html' } });
  expect(sandbox.headers.get('content-type')).toMatch(/text\/html/);
  expect(await sandbox.text()).toMatch(/embeddable-sandbox|EmbeddedSandbox/);

  const empty = await timed('catalog', () => graphql(url, CatalogDocument, { first: 5 }));
  expect(empty.errors).toBeUndefined();
  expect(empty.data!.courses.edges).toEqual([]);

  const register = (role: 'STUDENT' | 'INSTRUCTOR') =>
    graphql<{ register: { accessToken: string | null; userErrors: unknown[] } }, object>(
      url,
      'mutation Register($input: RegisterInput!) { register(input: $input) { accessToken userErrors { code message } } }',
      { input: { email: `${role.toLowerCase()}-${randomUUID()}@example.com`, password: 'a long enough password', displayName: role, role } },
    );
  const [instructor, student] = await timed('register', () => Promise.all([register('INSTRUCTOR'), register('STUDENT')]));
  expect([instructor.data?.register.userErrors, student.data?.register.userErrors]).toEqual([[], []]);
  const instructorAuth = bearer(instructor.data!.register.accessToken!);
  const studentAuth = bearer(student.data!.register.accessToken!);

  const course = await timed('course', async () => {
    const input = { title: 'Production start', description: 'Built output.', price: { amount: 1_500, currency: 'EUR' }, capacity: 2 };
    const created = await graphql(url, CreateCourseDocument, { input }, instructorAuth);
    const id = created.data!.createCourse.course!.id;
    const published = await graphql(url, PublishCourseDocument, { input: { courseId: id } }, instructorAuth);
    expect(published.data?.publishCourse.course?.status).toBe('PUBLISHED');
    return published.data!.publishCourse.course!;
  });
  const catalog = await graphql(url, CatalogDocument, { first: 5 });
  expect(catalog.data!.courses.edges.map((edge) => edge.node.id)).toEqual([course.id]);

  const client = connect(url);
  const seats = collect(client, SeatsChangedDocument, { courseIds: [course.id] });
  try {
    await timed('subscribe', () => seats.until(1));
    const order = await timed('order', () =>
      graphql(
        url,
        PlaceOrderDocument,
        { input: { courseId: course.id, expectedPrice: course.price, idempotencyKey: `smoke-${randomUUID()}` } },
        studentAuth,
      ),
    );
    expect(order.data?.placeOrder.userErrors).toEqual([]);
    expect(order.data?.placeOrder.order?.status).toBe('CONFIRMED');
    const events = await timed('seat event', () => seats.until(2));
    expect(events.map((event) => event.data?.seatsChanged.seatsAvailable)).toEqual([2, 1]);

    // The operator's audit, from the image as `docker compose run order ...` would start it: orders and seats agree.
    const auditArgs = containerNodeArgs().map((arg) => (arg === 'dist/main.js' ? 'dist/run-audit.js' : arg));
    const audit = await timed('audit', () =>
      run(process.execPath, auditArgs, { cwd: join(root, workspaceOf('order')), env: stack.envOf('order'), timeout: 60_000 }),
    );
    expect(JSON.parse(audit.stdout)).toMatchObject({ problems: 0 });

    // Gateway first, as compose stops it first (it depends on the subgraphs); the subscription is still open.
    for (const name of [...SERVICES].reverse()) {
      const graceMs = Number.parseInt(compose.services[name]!.stop_grace_period!, 10) * 1_000;
      const exit = await timed(`stop ${name}`, () => stack.terminate(name, graceMs));
      expect([name, exit]).toEqual([name, { code: 0, signal: null }]);
    }
    await seats.completed.catch(() => undefined);
  } finally {
    await client.dispose();
  }
}, 120_000);

test("each subgraph's migrate command migrates its database on its own and exits 0", async () => {
  const databases = await createTestDatabases(...SUBGRAPHS);
  try {
    for (const name of SUBGRAPHS) {
      const env = { ...process.env, ...filledIn, NODE_ENV: 'production', [`${name.toUpperCase()}_DATABASE_URL`]: databases.urls[name] };
      const args = containerNodeArgs().map((arg) => (arg === 'dist/main.js' ? 'dist/migrate.js' : arg));
      await run(process.execPath, args, { cwd: join(root, workspaceOf(name)), env, timeout: 60_000 });
      const db = new PgClient({ connectionString: databases.urls[name] });
      await db.connect();
      try {
        expect((await db.query('SELECT count(*)::int AS n FROM migrations')).rows[0].n).toBeGreaterThan(0);
      } finally {
        await db.end();
      }
    }
  } finally {
    await databases.drop();
  }
}, 120_000);

test('a production start without secrets refuses to serve', async () => {
  const env = { PATH: process.env.PATH, ...filledIn, NODE_ENV: 'production', COURSE_PORT: '0', COURSE_DATABASE_URL: 'postgres://127.0.0.1:1/none' };
  const failed = await run(process.execPath, containerNodeArgs(), { cwd: join(root, workspaceOf('course')), env, timeout: 30_000 }).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
  expect(failed?.code).toBe(1);
  expect(failed?.stderr).toContain('SUBGRAPH_SECRET must be set to a random secret of at least 32 characters in production');
});
