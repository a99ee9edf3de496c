/**
 * GET /metrics on every service of a real stack: after known operations
 * through the gateway, each counter moved by exactly what they did, the
 * histograms counted them, the pool and websocket gauges follow what is
 * open, and every answer is valid Prometheus text that names no user or id.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import type { QueryRunner } from 'typeorm';
import { createDataSource, ServiceMetrics } from '@coursegraph/runtime';
import { createTestDatabases } from '@coursegraph/devkit/databases';
import { CancelOrderDocument, CatalogDocument, PlaceOrderDocument, SeatsChangedDocument } from '@coursegraph/client';
import { createCourse, expectSeatInvariant, newUser } from '@coursegraph/devkit/fixtures';
import { metricValue, scrapeMetrics, type Scrape } from '@coursegraph/devkit/metrics';
import { graphql, startStack, type Stack } from '@coursegraph/devkit/stack';
import { collect, connect } from '@coursegraph/devkit/ws';
import { sleep } from '@coursegraph/devkit/timing';

let stack: Stack;
const clients: Client[] = [];
beforeAll(async () => {
  // The sweeper and the reconciler run every second, so the test can watch them count.
  stack = await startStack({ course: { sweepIntervalSeconds: 1 }, order: { reconcileIntervalSeconds: 1 } });
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await stack?.stop();
});

const SERVICES = ['gateway', 'accounts', 'course', 'order'] as const;
type Service = (typeof SERVICES)[number];
const urlOf = (service: Service) =>
  ({ gateway: stack.gatewayUrl, accounts: stack.accountsUrl, course: stack.courseUrl, order: stack.orderUrl })[service];

async function scrapeAll(): Promise<Record<Service, { text: string; metrics: Scrape }>> {
  const scrapes = await Promise.all(SERVICES.map((service) => scrapeMetrics(urlOf(service))));
  return Object.fromEntries(SERVICES.map((service, index) => [service, scrapes[index]!])) as Record<Service, { text: string; metrics: Scrape }>;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}

const gauge = async (service: Service, name: string, labels: Record<string, string> = {}) =>
  metricValue((await scrapeMetrics(urlOf(service))).metrics, name, labels);

const price = { amount: 1_000, currency: 'USD' };

describe('GET /metrics', () => {
  test('counters move by exactly what the operations did, on every service', async () => {
    const course = await createCourse(stack, { capacity: 1 });
    const [first, second] = [newUser('STUDENT'), newUser('STUDENT')];
    const before = await scrapeAll();

    const catalog = await stack.call(CatalogDocument, { first: 5 });
    expect(catalog.errors).toBeUndefined();
    const bought = await stack.call(
      PlaceOrderDocument,
      { input: { courseId: course.id, expectedPrice: price, idempotencyKey: `key-${randomUUID()}` } },
      first,
    );
    const order = bought.data!.placeOrder.order!;
    expect(order.status).toBe('CONFIRMED');
    const soldOut = await stack.call(
      PlaceOrderDocument,
      { input: { courseId: course.id, expectedPrice: price, idempotencyKey: `key-${randomUUID()}` } },
      second,
    );
    expect(soldOut.data!.placeOrder.userErrors.map((error) => error.code)).toEqual(['SOLD_OUT']);
    const cancelled = await stack.call(CancelOrderDocument, { input: { orderId: order.id } }, first);
    expect(cancelled.data!.cancelOrder.order!.status).toBe('CANCELLED');
    const bad = await graphql(stack.gatewayUrl, '{ catalog { noSuchField } }');
    expect(bad.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    await expectSeatInvariant(stack, course.id);

    const after = await scrapeAll();
    const delta = (service: Service, name: string, labels: Record<string, string> = {}) =>
      metricValue(after[service].metrics, name, labels) - metricValue(before[service].metrics, name, labels);

    // Gateway: one operation of each kind, errors by code, HTTP by route and status, histograms alike.
    expect(delta('gateway', 'graphql_operations_total', { operation_name: 'Catalog', operation_type: 'query' })).toBe(1);
    expect(delta('gateway', 'graphql_operations_total', { operation_name: 'PlaceOrder', operation_type: 'mutation' })).toBe(2);
    expect(delta('gateway', 'graphql_operations_total', { operation_name: 'CancelOrder', operation_type: 'mutation' })).toBe(1);
    expect(delta('gateway', 'graphql_operations_total', { operation_name: 'anonymous', operation_type: 'unknown' })).toBe(1);
    expect(delta('gateway', 'graphql_operations_total')).toBe(5);
    expect(delta('gateway', 'graphql_errors_total', { operation_name: 'anonymous', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(delta('gateway', 'graphql_errors_total')).toBe(1);
    expect(delta('gateway', 'graphql_operation_duration_seconds_count', { operation_name: 'PlaceOrder', operation_type: 'mutation' })).toBe(2);
    expect(delta('gateway', 'graphql_operation_duration_seconds_sum', { operation_name: 'PlaceOrder' })).toBeGreaterThan(0);
    expect(delta('gateway', 'http_requests_total', { method: 'POST', route: '/graphql', status_code: '200' })).toBe(4);
    expect(delta('gateway', 'http_requests_total', { method: 'POST', route: '/graphql', status_code: '400' })).toBe(1);
    // The first scrape is counted once it has been answered.
    expect(delta('gateway', 'http_requests_total', { method: 'GET', route: '/metrics', status_code: '200' })).toBe(1);
    expect(delta('gateway', 'http_requests_total')).toBe(6);
    expect(delta('gateway', 'http_request_duration_seconds_count', { route: '/graphql' })).toBe(5);

    // Order: both orders recorded; one confirmed, then cancelled; one refused as sold out.
    expect(delta('order', 'coursegraph_orders_placed_total')).toBe(2);
    expect(delta('order', 'coursegraph_orders_confirmed_total')).toBe(1);
    expect(delta('order', 'coursegraph_orders_cancelled_total')).toBe(1);
    expect(delta('order', 'coursegraph_orders_failed_total', { reason: 'SOLD_OUT' })).toBe(1);
    expect(delta('order', 'coursegraph_orders_failed_total')).toBe(1);
    expect(delta('order', 'coursegraph_orders_reconciled_total')).toBe(0);
    expect(delta('order', 'graphql_operations_total', { operation_type: 'mutation' })).toBe(3);
    expect(delta('order', 'graphql_errors_total')).toBe(0);

    // Course: one seat sold at once and given back; the refused order moved nothing. The order
    // subgraph's internal calls are counted by their operation names.
    expect(delta('course', 'coursegraph_seats_purchased_total')).toBe(1);
    expect(delta('course', 'coursegraph_seats_reserved_total')).toBe(0);
    expect(delta('course', 'coursegraph_seats_confirmed_total')).toBe(0);
    expect(delta('course', 'coursegraph_seats_released_total')).toBe(1);
    expect(delta('course', 'coursegraph_seats_expired_total')).toBe(0);
    // Both purchases, the sale and the refusal, ran one statement holding the course row lock.
    expect(delta('course', 'coursegraph_seat_lock_statement_seconds_count')).toBe(2);
    expect(delta('course', 'graphql_operations_total', { operation_name: 'Purchase', operation_type: 'mutation' })).toBe(2);
    expect(delta('course', 'graphql_operations_total', { operation_name: 'Cancel', operation_type: 'mutation' })).toBe(1);

    for (const service of SERVICES) {
      const { metrics, text } = after[service];
      // Every series names its service; none names a user, a course or an order.
      for (const family of metrics.values()) for (const sample of family.samples) expect(sample.labels.service).toBe(service);
      for (const id of [first.userId, second.userId, course.id, course.instructor.userId, order.id]) expect(text).not.toContain(id);
      // prom-client's default process metrics.
      for (const name of [
        'process_cpu_user_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_heap_size_used_bytes',
        'nodejs_eventloop_lag_seconds',
      ]) {
        expect(metrics.get(name)).toBeDefined();
      }
      expect(metrics.get('nodejs_gc_duration_seconds')?.type).toBe('histogram');
    }
    for (const service of ['accounts', 'course', 'order'] as const) {
      const { metrics } = after[service];
      expect(
        metrics
          .get('db_pool_connections')!
          .samples.map((sample) => sample.labels.state)
          .sort(),
      ).toEqual(['idle', 'in_use']);
      // What is open depends on the pool's idle timeout and background jobs; the exact figures are tested on a pool of our own below.
      const open = metricValue(metrics, 'db_pool_connections');
      expect(open).toBeGreaterThanOrEqual(0);
      expect(open).toBeLessThanOrEqual(20);
      expect(metricValue(metrics, 'db_pool_waiting_requests')).toBe(0);
      expect(metricValue(metrics, 'db_pool_max_connections')).toBe(20);
    }
    expect(after.gateway.metrics.get('db_pool_connections')).toBeUndefined();
  });

  test('the sweeper counts expired seats, the reconciler the orders it finishes', async () => {
    const course = await createCourse(stack, { capacity: 3 });
    const before = await scrapeAll();
    const key = randomUUID();
    const reserved = await stack.callCourseAsService<{ reserveSeat: { userErrors: unknown[] } }>(
      `mutation ($input: ReserveSeatInput!) { reserveSeat(input: $input) { userErrors { code } } }`,
      { input: { courseId: course.id, expectedPrice: price, key, holderId: randomUUID() } },
    );
    expect(reserved.data!.reserveSeat.userErrors).toEqual([]);
    await stack.courseDb.query(`UPDATE reservation SET expires_at = now() - interval '1 minute' WHERE key = $1`, [key]);
    // An order whose saga died before reserving: the reconciler finds no reservation and fails it.
    const stale = randomUUID();
    await stack.orderDb.query(
      `INSERT INTO orders (id, course_id, student_id, idempotency_key, status, price_amount, price_currency, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'PENDING', 1000, 'USD', now() - interval '1 hour', now() - interval '1 hour')`,
      [stale, course.id, randomUUID(), `key-${stale}`],
    );
    await eventually(
      async () => (await gauge('course', 'coursegraph_seats_expired_total')) > metricValue(before.course.metrics, 'coursegraph_seats_expired_total'),
    );
    await eventually(
      async () =>
        (await gauge('order', 'coursegraph_orders_reconciled_total')) > metricValue(before.order.metrics, 'coursegraph_orders_reconciled_total'),
    );
    const after = await scrapeAll();
    const delta = (service: Service, name: string, labels: Record<string, string> = {}) =>
      metricValue(after[service].metrics, name, labels) - metricValue(before[service].metrics, name, labels);
    expect(delta('course', 'coursegraph_seats_reserved_total')).toBe(1);
    expect(delta('course', 'coursegraph_seats_expired_total')).toBe(1);
    expect(delta('order', 'coursegraph_orders_reconciled_total', { from: 'PENDING', to: 'FAILED' })).toBe(1);
    expect(delta('order', 'coursegraph_orders_reconciled_total')).toBe(1);
    expect(delta('order', 'coursegraph_orders_failed_total', { reason: 'ABANDONED' })).toBe(1);
    expect(delta('order', 'coursegraph_orders_placed_total')).toBe(0);
    expect(await expectSeatInvariant(stack, course.id)).toMatchObject({ available: 3, held: 0 });
  });

  test('the websocket and subscription gauges go up and down with a graphql-ws client', async () => {
    const course = await createCourse(stack);
    for (const service of ['gateway', 'course'] as const) {
      expect(await gauge(service, 'websocket_connections')).toBe(0);
      expect(await gauge(service, 'graphql_active_subscriptions')).toBe(0);
    }
    const client = connect(stack.gatewayUrl);
    clients.push(client);
    const seats = collect(client, SeatsChangedDocument, { courseIds: [course.id] });
    await seats.until(1);
    const open = async (service: 'gateway' | 'course', connections: number, subscriptions: number) =>
      (await gauge(service, 'websocket_connections')) === connections && (await gauge(service, 'graphql_active_subscriptions')) === subscriptions;
    // The gateway holds the client's socket and subscription; the course subgraph the gateway's upstream ones.
    await eventually(() => open('gateway', 1, 1));
    await eventually(() => open('course', 1, 1));
    expect(await gauge('gateway', 'graphql_operations_total', { operation_name: 'SeatsChanged' })).toBe(0);
    seats.unsubscribe();
    await eventually(() => open('gateway', 1, 0));
    await eventually(() => open('course', 1, 0));
    await client.dispose();
    await eventually(() => open('gateway', 0, 0));
    await eventually(() => open('course', 0, 0));
  });
});

test('the pool gauges read the pg Pool of the data source at each scrape', async () => {
  const databases = await createTestDatabases('metrics');
  const dataSource = createDataSource({ url: databases.urls.metrics!, entities: [], migrations: [], poolSize: 2 });
  const runners: QueryRunner[] = [];
  try {
    await dataSource.initialize();
    const metrics = new ServiceMetrics('unit', { enabled: true, token: null });
    metrics.observePool(dataSource);
    const values = async (name: string) =>
      (await metrics.registry.getSingleMetric(name)!.get()).values.map(({ labels, value }) => ({ ...labels, value }));
    const pool = async () =>
      Object.fromEntries(
        await Promise.all(
          ['db_pool_connections', 'db_pool_waiting_requests', 'db_pool_max_connections'].map(async (name) => [name, await values(name)]),
        ),
      );
    // Both connections held by open transactions, and a third query queued behind them.
    for (let i = 0; i < 2; i++) {
      const runner = dataSource.createQueryRunner();
      runners.push(runner);
      await runner.startTransaction();
    }
    const queued = dataSource.query('SELECT 1');
    expect(await pool()).toEqual({
      db_pool_connections: [
        { state: 'idle', value: 0 },
        { state: 'in_use', value: 2 },
      ],
      db_pool_waiting_requests: [{ value: 1 }],
      db_pool_max_connections: [{ value: 2 }],
    });
    for (const runner of runners.splice(0)) {
      await runner.commitTransaction();
      await runner.release();
    }
    await queued;
    expect((await pool()).db_pool_connections).toEqual([
      { state: 'idle', value: 2 },
      { state: 'in_use', value: 0 },
    ]);
    expect((await pool()).db_pool_waiting_requests).toEqual([{ value: 0 }]);
  } finally {
    for (const runner of runners) await runner.release();
    if (dataSource.isInitialized) await dataSource.destroy();
    await databases.drop();
  }
});
