/**
 * The order saga's failure paths over real HTTP: a small proxy sits between
 * the order subgraph and the course subgraph and can delay, withhold or
 * refuse each internal call. Whatever fails, no seat stays stuck and no
 * order is lost (the reconciler finishes what the saga could not).
 * Also: enrollmentCount resolved as an entity, batched into one query.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import {
  BUDGET_HEADER,
  createLogger,
  IDENTITY_HEADER,
  openDatabase,
  SERVICE_HEADER,
  signIdentity,
  signServiceCredential,
  type RunningServer,
  type Viewer,
} from '@coursegraph/runtime';
import { statementsDuring } from '@coursegraph/devkit/sql';
import { createTestDatabases, type TestDatabases } from '@coursegraph/devkit/databases';
import { expectCourseInvariant } from '@coursegraph/devkit/invariant';
import { startCourseSubgraph } from '@coursegraph/course';
import { startOrderSubgraph } from '../src/server';
import { createOrderDataSource } from '../src/data-source';
import { createCourseClient, type CourseClient } from '../src/course-client';
import { reconcileOnce } from '../src/reconciler';
import * as orders from '../src/orders';
import { cancelOrder as sagaCancelOrder } from '../src/cancel';
import type { SagaDeps } from '../src/saga';
import { SECRETS, testConfig } from '@coursegraph/devkit/stack';
import { FaultProxy } from '@coursegraph/devkit/fault-proxy';

// Per course call, the purchase (all its attempts), and compensation: short enough for quick fault tests, long
// enough that a plain order still completes while the fault suite loads both cores in parallel.
const TIMEOUT_MS = 1_000;
const DEADLINE_MS = 3_000;
const COMPENSATION_MS = 1_500;
/** The order database's lock_timeout (packages/runtime/src/db.ts) plus slack: how long a test holds a row lock. */
const LOCK_HOLD_MS = 6_000;
const price = { amount: 1_000, currency: 'USD' };

let databases: TestDatabases;
let course: RunningServer;
let order: RunningServer;
let proxy: FaultProxy;
/**
 * Plain clients, not pools: Pool.end() resolves before its sockets close, and
 * the DROP DATABASE ... WITH (FORCE) that follows would then kill them and
 * raise an unhandled pool error.
 */
let courseDb: Client;
let orderDb: Client;
/** The test's own handle on the order database, for the reconciler. */
let orderDataSource: DataSource;
let courseClient: CourseClient;
/** Calls the course subgraph directly, past the proxy: what "something else" does to a reservation meanwhile. */
let directCourse: CourseClient;

beforeAll(async () => {
  databases = await createTestDatabases('course', 'order');
  proxy = new FaultProxy();
  await proxy.start();
  course = await startCourseSubgraph(testConfig.course(databases.urls.course!));
  proxy.target = `${course.url}/graphql`;
  order = await startOrderSubgraph(
    testConfig.order(databases.urls.order!, proxy.url, {
      courseCallTimeoutMs: TIMEOUT_MS,
      courseCallDeadlineMs: DEADLINE_MS,
      compensationDeadlineMs: COMPENSATION_MS,
    }),
  );
  courseDb = new Client({ connectionString: databases.urls.course });
  orderDb = new Client({ connectionString: databases.urls.order });
  await Promise.all([courseDb.connect(), orderDb.connect()]);
  orderDataSource = await openDatabase(createOrderDataSource(databases.urls.order!, 3), false);
  courseClient = createCourseClient({ url: proxy.url, serviceSecret: SECRETS.serviceSecret, timeoutMs: TIMEOUT_MS, deadlineMs: DEADLINE_MS });
  directCourse = createCourseClient({
    url: `${course.url}/graphql`,
    serviceSecret: SECRETS.serviceSecret,
    timeoutMs: TIMEOUT_MS,
    deadlineMs: DEADLINE_MS,
  });
});

afterAll(async () => {
  courseClient?.close();
  directCourse?.close();
  await order?.stop();
  await course?.stop();
  await proxy?.stop();
  await orderDataSource?.destroy();
  await courseDb?.end();
  await orderDb?.end();
  await databases?.drop();
});

beforeEach(() => {
  proxy.heal();
  proxy.events = [];
});

const student = (): Viewer => ({ userId: randomUUID(), roles: ['STUDENT'] });
const instructor: Viewer = { userId: randomUUID(), roles: ['INSTRUCTOR'] };

async function post(url: string, query: string, variables: object, as: Viewer | null) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(as ? { [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, as) } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** A published course, made on the course subgraph directly (not through the proxy). */
async function newCourse(capacity = 3): Promise<string> {
  const created = await post(
    `${course.url}/graphql`,
    'mutation($input: CreateCourseInput!) { createCourse(input: $input) { course { id } userErrors { code } } }',
    { input: { title: 'Saga under test', price, capacity } },
    instructor,
  );
  const id = created.createCourse.course.id as string;
  await post(`${course.url}/graphql`, 'mutation($id: ID!) { publishCourse(input: { courseId: $id }) { course { status } } }', { id }, instructor);
  return id;
}

interface PlaceOrderResult {
  order: { id: string; status: string; failureReason: string | null } | null;
  userErrors: { code: string; field: string | null }[];
}

async function placeOrder(
  courseId: string,
  buyer: Viewer,
  idempotencyKey = `key-${randomUUID()}`,
  expectedPrice: { amount: number; currency: string } = price,
): Promise<PlaceOrderResult> {
  const data = await post(
    `${order.url}/graphql`,
    `mutation($input: PlaceOrderInput!) {
       placeOrder(input: $input) { order { id status failureReason } userErrors { code field } }
     }`,
    { input: { courseId, expectedPrice, idempotencyKey } },
    buyer,
  );
  return data.placeOrder as PlaceOrderResult;
}

async function orderRow(id: string): Promise<{ status: string; failure_reason: string | null }> {
  return (await orderDb.query('SELECT status, failure_reason FROM orders WHERE id = $1', [id])).rows[0];
}

async function reservationStatus(key: string): Promise<string | null> {
  return (await courseDb.query('SELECT status FROM reservation WHERE key = $1', [key])).rows[0]?.status ?? null;
}

/** The seat invariant in both databases: counters match the reservations, and sold seats match confirmed orders. */
function expectSeatInvariant(courseId: string) {
  return expectCourseInvariant(courseDb, courseId, orderDb);
}

describe('placeOrder when the course subgraph misbehaves', () => {
  test('purchase applied upstream but every answer lost: the order FAILS with UNAVAILABLE and the sold seat is given back', async () => {
    const courseId = await newCourse(3);
    proxy.rule = (operation) => (operation === 'Purchase' ? 'withhold-response' : 'pass');
    const started = Date.now();
    const result = await placeOrder(courseId, student());
    const took = Date.now() - started;

    expect(result.userErrors).toMatchObject([{ code: 'UNAVAILABLE' }]);
    expect(result.order).toMatchObject({ status: 'FAILED', failureReason: 'UNAVAILABLE' });
    const orderId = result.order!.id;
    expect(await orderRow(orderId)).toEqual({ status: 'FAILED', failure_reason: 'UNAVAILABLE' });
    // The purchase really took effect upstream, was retried (each retry answered with the same sale),
    // and the saga gave up at its deadline.
    const purchases = proxy.events.filter((e) => e.operation === 'Purchase');
    expect(purchases.length).toBeGreaterThanOrEqual(2);
    for (const purchase of purchases) {
      expect(purchase.upstream.data.purchaseSeat).toEqual({ reservation: { key: orderId, courseId, status: 'CONFIRMED' }, userErrors: [] });
    }
    expect(took).toBeGreaterThanOrEqual(DEADLINE_MS - 100);
    expect(took).toBeLessThan(DEADLINE_MS * 3);
    // Compensation cancelled the (confirmed) reservation: sold went back to available.
    expect(proxy.count('Cancel', 'pass')).toBeGreaterThanOrEqual(1);
    expect(await reservationStatus(orderId)).toBe('CANCELLED');
    // One seat sold (+1), one given back (+1), however many attempts.
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 3, available: 3, held: 0, sold: 0, version: 2 });
  });

  test('purchase applied upstream, then its retries never reach the course subgraph: the order FAILS with UNAVAILABLE and the sold seat is given back', async () => {
    const courseId = await newCourse(3);
    proxy.rule = (operation, n) => (operation === 'Purchase' ? (n === 0 ? 'withhold-response' : 'withhold-request') : 'pass');
    const result = await placeOrder(courseId, student());
    expect(result.userErrors).toMatchObject([{ code: 'UNAVAILABLE' }]);
    expect(result.order).toMatchObject({ status: 'FAILED', failureReason: 'UNAVAILABLE' });
    expect(proxy.count('Purchase', 'withhold-request')).toBeGreaterThanOrEqual(1);
    expect(proxy.events.filter((e) => e.operation === 'Purchase')[0]!.upstream.data.purchaseSeat.reservation.status).toBe('CONFIRMED');
    expect(await reservationStatus(result.order!.id)).toBe('CANCELLED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 3, available: 3, held: 0, sold: 0, version: 2 });
  });

  test('one lost purchase answer is retried: the retry finds the seat sold (the same reservation, one seat) and the order is CONFIRMED', async () => {
    const courseId = await newCourse(3);
    proxy.rule = (operation, n) => (operation === 'Purchase' && n === 0 ? 'withhold-response' : 'pass');
    const result = await placeOrder(courseId, student());
    expect(result.userErrors).toEqual([]);
    expect(result.order).toMatchObject({ status: 'CONFIRMED' });
    const orderId = result.order!.id;
    expect(proxy.events.map((e) => `${e.operation}:${e.behaviour}`)).toEqual(['Purchase:withhold-response', 'Purchase:pass']);
    expect(proxy.events[1]!.upstream.data.purchaseSeat).toEqual({ reservation: { key: orderId, courseId, status: 'CONFIRMED' }, userErrors: [] });
    expect(await reservationStatus(orderId)).toBe('CONFIRMED');
    expect((await courseDb.query('SELECT count(*)::int AS n FROM reservation WHERE course_id = $1', [courseId])).rows[0].n).toBe(1);
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 3, available: 2, held: 0, sold: 1, version: 1 });
  });

  test('transient 503s on the purchase are retried within the deadline', async () => {
    const courseId = await newCourse(3);
    proxy.rule = (operation, n) => (operation === 'Purchase' && n < 2 ? 'unavailable' : 'pass');
    const result = await placeOrder(courseId, student());
    expect(result.order).toMatchObject({ status: 'CONFIRMED' });
    expect(proxy.count('Purchase')).toBe(3);
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 3, available: 2, sold: 1, held: 0, version: 1 });
  });

  test('course subgraph down (every call refused): ORDER_PENDING, no seat taken; the reconciler later fails the order', async () => {
    const courseId = await newCourse(3);
    proxy.rule = () => 'refuse';
    const buyer = student();
    const result = await placeOrder(courseId, buyer);
    // Whether a refused connection carried the purchase out is not known: no outcome is claimed.
    expect(result.userErrors).toMatchObject([{ code: 'ORDER_PENDING' }]);
    expect(result.order).toMatchObject({ status: 'CANCELLING' });
    expect(proxy.count('Purchase', 'refuse')).toBeGreaterThanOrEqual(2);
    expect(proxy.events.every((e) => e.behaviour === 'refuse')).toBe(true);
    const orderId = result.order!.id;
    expect(await reservationStatus(orderId)).toBeNull();
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 3, available: 3, held: 0, sold: 0, version: 0 });
    // Nothing could be compensated, so the order waits for the reconciler rather than being lost.
    expect(await orderRow(orderId)).toEqual({ status: 'CANCELLING', failure_reason: 'UNAVAILABLE' });

    proxy.heal();
    await reconcileOnce(orderDataSource, courseClient, 0);
    expect((await orderRow(orderId)).status).toBe('FAILED');
    // The key was cancelled before it was ever used: a purchase with it still on its way would take no seat.
    expect(await reservationStatus(orderId)).toBe('CANCELLED');
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 3, held: 0, sold: 0 });
    // The student can buy the course once it answers again.
    const again = await placeOrder(courseId, buyer);
    expect(again.order).toMatchObject({ status: 'CONFIRMED' });
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 2, sold: 1 });
  });

  test('purchase applied upstream (its answer lost), then every call fails: ORDER_PENDING with the intent to give the seat back recorded; the reconciler fails it and releases the seat', async () => {
    const courseId = await newCourse(3);
    proxy.rule = (operation, n) => (operation === 'Purchase' && n === 0 ? 'withhold-response' : 'refuse');
    const result = await placeOrder(courseId, student());
    expect(result.userErrors).toMatchObject([{ code: 'ORDER_PENDING' }]);
    expect(result.order).toMatchObject({ status: 'CANCELLING' });
    const orderId = result.order!.id;
    expect(proxy.count('Purchase', 'refuse')).toBeGreaterThanOrEqual(1);
    expect(proxy.count('Cancel', 'refuse')).toBeGreaterThanOrEqual(1);
    expect(await orderRow(orderId)).toEqual({ status: 'CANCELLING', failure_reason: 'UNAVAILABLE' });
    // The seat is sold under an order being given up (the course side only: no CONFIRMED order matches it).
    expect(await reservationStatus(orderId)).toBe('CONFIRMED');
    expect(await expectCourseInvariant(courseDb, courseId)).toEqual({ capacity: 3, available: 2, held: 0, sold: 1, version: 1 });

    // While the course subgraph is still down, the reconciler changes nothing.
    await expect(reconcileOnce(orderDataSource, courseClient, 0)).rejects.toThrow();
    expect((await orderRow(orderId)).status).toBe('CANCELLING');

    proxy.heal();
    expect(await reconcileOnce(orderDataSource, courseClient, 0)).toBeGreaterThanOrEqual(1);
    expect(await orderRow(orderId)).toEqual({ status: 'FAILED', failure_reason: 'UNAVAILABLE' });
    expect(await reservationStatus(orderId)).toBe('CANCELLED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 3, available: 3, held: 0, sold: 0, version: 2 });
    // Idempotent: a second pass has nothing left to do for this order.
    await reconcileOnce(orderDataSource, courseClient, 0);
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 3, version: 2 });
  });

  test('purchase applied upstream, all its answers and the compensation lost: ORDER_PENDING; the recorded intent wins, the reconciler gives the seat back', async () => {
    const courseId = await newCourse(3);
    proxy.rule = (operation) => (operation === 'Purchase' ? 'withhold-response' : 'refuse');
    const result = await placeOrder(courseId, student());
    expect(result.userErrors).toMatchObject([{ code: 'ORDER_PENDING' }]);
    expect(result.order).toMatchObject({ status: 'CANCELLING' });
    const orderId = result.order!.id;
    expect(proxy.count('Purchase', 'withhold-response')).toBeGreaterThanOrEqual(2);
    expect(proxy.count('Cancel', 'refuse')).toBeGreaterThanOrEqual(1);
    expect(await reservationStatus(orderId)).toBe('CONFIRMED');

    proxy.heal();
    await reconcileOnce(orderDataSource, courseClient, 0);
    expect(await orderRow(orderId)).toEqual({ status: 'FAILED', failure_reason: 'UNAVAILABLE' });
    expect(await reservationStatus(orderId)).toBe('CANCELLED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 3, available: 3, held: 0, sold: 0, version: 2 });
  });
});

describe('cancelOrder when the course subgraph misbehaves', () => {
  const CANCEL = 'mutation($id: ID!) { cancelOrder(input: { orderId: $id }) { order { id status } userErrors { code } } }';

  async function cancelOrder(orderId: string, buyer: Viewer) {
    const response = await fetch(`${order.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, buyer) },
      body: JSON.stringify({ query: CANCEL, variables: { id: orderId } }),
    });
    return (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
  }

  test('course down: ORDER_PENDING, the cancellation is recorded (CANCELLING) and the seat still sold; healed, cancelling again finishes it once', async () => {
    const courseId = await newCourse(2);
    const buyer = student();
    const placed = await placeOrder(courseId, buyer);
    expect(placed.order!.status).toBe('CONFIRMED');
    proxy.rule = () => 'refuse';
    const refused = await cancelOrder(placed.order!.id, buyer);
    expect(refused.errors).toBeUndefined();
    expect(refused.data.cancelOrder).toMatchObject({ order: { status: 'CANCELLING' }, userErrors: [{ code: 'ORDER_PENDING' }] });
    // The seat stays sold under a CANCELLING order: the course side only.
    expect(await expectCourseInvariant(courseDb, courseId)).toMatchObject({ available: 1, sold: 1 });

    proxy.heal();
    const cancelled = await cancelOrder(placed.order!.id, buyer);
    expect(cancelled.data.cancelOrder).toMatchObject({ order: { status: 'CANCELLED' }, userErrors: [] });
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 2, sold: 0 });
  });

  test('an answer whose body stalls past the timeout is retried like any timeout, and the order is cancelled', async () => {
    const courseId = await newCourse(2);
    const buyer = student();
    const placed = await placeOrder(courseId, buyer);
    expect(placed.order!.status).toBe('CONFIRMED');
    proxy.rule = (operation, n) => (operation === 'Cancel' && n === 0 ? 'stall-body' : 'pass');
    const result = await cancelOrder(placed.order!.id, buyer);
    expect(result.errors).toBeUndefined();
    expect(result.data.cancelOrder).toMatchObject({ order: { status: 'CANCELLED' }, userErrors: [] });
    expect(proxy.count('Cancel')).toBe(2);
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 2, sold: 0 });
  });
});

describe('Course.enrollmentCount as an entity', () => {
  const orderQueriesDuring = async (work: () => Promise<unknown>) => (await statementsDuring({ order: databases.urls.order! }, work)).order;
  const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Course { id enrollmentCount } } }';

  test('three courses: correct counts, in order, from ONE SQL query', async () => {
    const [a, b, c] = [await newCourse(5), await newCourse(5), await newCourse(5)];
    for (let i = 0; i < 3; i++) expect((await placeOrder(a!, student())).order!.status).toBe('CONFIRMED');
    expect((await placeOrder(b!, student())).order!.status).toBe('CONFIRMED');
    // Neither a failed nor a cancelled order counts.
    const cancelled = await placeOrder(b!, student());
    await orderDb.query(`UPDATE orders SET status = 'CANCELLED' WHERE id = $1`, [cancelled.order!.id]);
    await orderDb.query(
      `INSERT INTO orders (id, course_id, student_id, idempotency_key, status, price_amount, price_currency, failure_reason)
       VALUES ($1, $2, $3, 'failed-order-key', 'FAILED', 1000, 'USD', 'UNAVAILABLE')`,
      [randomUUID(), c, randomUUID()],
    );

    let data: any;
    const queries = await orderQueriesDuring(async () => {
      data = await post(order.url + '/graphql', ENTITIES, { r: [c, a, b].map((id) => ({ __typename: 'Course', id })) }, null);
    });
    expect(data._entities).toEqual([
      { id: c, enrollmentCount: 0 },
      { id: a, enrollmentCount: 3 },
      { id: b, enrollmentCount: 1 },
    ]);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/FROM orders/i);

    // The counter sees every query: asked one course per request, the same counts cost three.
    const separate = await orderQueriesDuring(async () => {
      for (const id of [c, a, b]) await post(order.url + '/graphql', ENTITIES, { r: [{ __typename: 'Course', id }] }, null);
    });
    expect(separate).toHaveLength(3);
  });

  test('an unknown or malformed course id counts 0 and the batch is still one query', async () => {
    const known = await newCourse(2);
    expect((await placeOrder(known, student())).order!.status).toBe('CONFIRMED');
    let data: any;
    const queries = await orderQueriesDuring(async () => {
      data = await post(
        order.url + '/graphql',
        ENTITIES,
        { r: [randomUUID(), 'not-a-uuid', known].map((id) => ({ __typename: 'Course', id })) },
        null,
      );
    });
    expect(data._entities.map((e: { enrollmentCount: number }) => e.enrollmentCount)).toEqual([0, 0, 1]);
    expect(queries).toHaveLength(1);
    await expectSeatInvariant(known);
  });
});

// ---------------------------------------------------------------------------
// Issue 9: faults between the steps of a cancellation or a purchase. After each: per course,
// CONFIRMED orders = sold seats = CONFIRMED reservations, nothing left PENDING or CANCELLING once
// the reconciler ran, and no client was told an outcome that did not happen.

const CANCEL_ORDER = 'mutation($id: ID!) { cancelOrder(input: { orderId: $id }) { order { id status } userErrors { code } } }';

/** Posts to the order subgraph as `viewer` and returns the whole GraphQL answer, errors included. */
async function postRaw(query: string, variables: object, viewer: Viewer) {
  const response = await fetch(`${order.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, viewer) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, text: await response.clone().text(), ...((await response.json()) as { data?: any; errors?: any[] }) };
}

/**
 * Holds a row lock (or a table lock) in the order database from a connection of its own for
 * `holdMs` (default LOCK_HOLD_MS, longer than the services' lock_timeout). `released` resolves once it let go.
 */
async function holdOrderLock(sql: string, params: unknown[] = [], holdMs = LOCK_HOLD_MS): Promise<{ released: Promise<void> }> {
  const locker = new Client({ connectionString: databases.urls.order });
  // The databases may be dropped (with FORCE) while a failed test still holds the lock.
  locker.on('error', () => undefined);
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query(sql, params);
  const released = new Promise<void>((resolve) => setTimeout(resolve, holdMs)).then(async () => {
    await locker.query('COMMIT').catch(() => undefined);
    await locker.end();
  });
  return { released };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The end of every fault scenario on a 1-seat course: the reconciler runs, then another student
 * buys the seat. The seat is sold once: one CONFIRMED order, one sold seat, one CONFIRMED
 * reservation, and no order or reservation left unfinished.
 */
async function expectSoldOnceAfterReconciling(courseId: string) {
  proxy.heal();
  await proxy.settle();
  await reconcileOnce(orderDataSource, courseClient, 0);
  const next = await placeOrder(courseId, student());
  expect(next.order?.status).toBe('CONFIRMED');
  await reconcileOnce(orderDataSource, courseClient, 0);
  expect(await expectSeatInvariant(courseId)).toMatchObject({ capacity: 1, available: 0, held: 0, sold: 1 });
  const unfinished = await orderDb.query(`SELECT count(*)::int AS n FROM orders WHERE course_id = $1 AND status IN ('PENDING', 'CANCELLING')`, [
    courseId,
  ]);
  expect(unfinished.rows[0].n).toBe(0);
  expect((await courseDb.query(`SELECT count(*)::int AS n FROM reservation WHERE course_id = $1 AND status = 'PENDING'`, [courseId])).rows[0].n).toBe(
    0,
  );
}

describe('cancelOrder under faults: the intent is recorded before the seat is given back', () => {
  test('(a) the order process dies right after the course subgraph gave the seat back: the order is CANCELLING and the reconciler finishes it', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    const placed = await placeOrder(courseId, buyer);
    const orderId = placed.order!.id;
    // The process "dies" the moment the course has cancelled: the saga never runs another line.
    const dying: CourseClient = {
      ...courseClient,
      cancelReservation: async (key, deadline) => {
        await courseClient.cancelReservation(key, deadline);
        return new Promise<never>(() => undefined);
      },
    };
    const deps: SagaDeps = {
      dataSource: orderDataSource,
      course: dying,
      log: createLogger('test'),
      forwardMs: DEADLINE_MS,
      compensationMs: COMPENSATION_MS,
    };
    void sagaCancelOrder(deps, buyer, orderId);
    await waitFor(async () => (await reservationStatus(orderId)) === 'CANCELLED');
    expect(await orderRow(orderId)).toEqual({ status: 'CANCELLING', failure_reason: null });

    await expectSoldOnceAfterReconciling(courseId);
    expect(await orderRow(orderId)).toEqual({ status: 'CANCELLED', failure_reason: null });
  });

  test('(b) the course subgraph is paused past the deadline and then carries the cancel out: ORDER_PENDING, then CANCELLED', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    const orderId = (await placeOrder(courseId, buyer)).order!.id;
    proxy.lateMs = DEADLINE_MS + COMPENSATION_MS + 1_000;
    proxy.rule = (operation) => (operation === 'Cancel' ? 'late' : 'pass');
    const answered = await postRaw(CANCEL_ORDER, { id: orderId }, buyer);
    // Not "unavailable, still yours" while the paused course may yet give the seat back.
    expect(answered.errors).toBeUndefined();
    expect(answered.data.cancelOrder).toEqual({ order: { id: orderId, status: 'CANCELLING' }, userErrors: [{ code: 'ORDER_PENDING' }] });
    await proxy.settle();
    expect(await reservationStatus(orderId)).toBe('CANCELLED');

    await expectSoldOnceAfterReconciling(courseId);
    expect((await orderRow(orderId)).status).toBe('CANCELLED');
    // Cancelling again reports the final outcome.
    expect((await postRaw(CANCEL_ORDER, { id: orderId }, buyer)).data.cancelOrder).toMatchObject({ order: { status: 'CANCELLED' }, userErrors: [] });
  });

  test('(c) the order update times out on a lock after the seat was given back: ORDER_PENDING, then the reconciler finishes it', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    const orderId = (await placeOrder(courseId, buyer)).order!.id;
    let lock: { released: Promise<void> } | undefined;
    proxy.afterUpstream = async (event) => {
      if (event.operation === 'Cancel' && !lock) lock = await holdOrderLock('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [orderId]);
    };
    const answered = await postRaw(CANCEL_ORDER, { id: orderId }, buyer);
    expect(answered.errors).toBeUndefined();
    expect(answered.data.cancelOrder).toEqual({ order: { id: orderId, status: 'CANCELLING' }, userErrors: [{ code: 'ORDER_PENDING' }] });
    expect(await reservationStatus(orderId)).toBe('CANCELLED');
    await lock!.released;

    await expectSoldOnceAfterReconciling(courseId);
    expect((await orderRow(orderId)).status).toBe('CANCELLED');
  });
});

describe('placeOrder never claims an outcome that is not known', () => {
  test('a purchase still queued on the course lock when the saga gives up takes no seat for the failed order (red team, issue 15)', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    // Something holds the course row longer than the whole saga (forward steps and compensation), within lock_timeout (5 s):
    // every purchase attempt, and then the compensation's cancel, queue behind it.
    const holder = new Client({ connectionString: databases.urls.course });
    holder.on('error', () => undefined);
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM course WHERE id = $1 FOR UPDATE', [courseId]);
    const released = new Promise((resolve) => setTimeout(resolve, DEADLINE_MS + COMPENSATION_MS + 200)).then(async () => {
      await holder.query('COMMIT');
      await holder.end();
    });
    const result = await placeOrder(courseId, buyer);
    await released;
    const orderId = result.order!.id;
    // No outcome is claimed that did not happen: a failure only with the seat back, else ORDER_PENDING.
    const code = result.userErrors.map((e) => e.code).join();
    expect(['UNAVAILABLE', 'ORDER_PENDING']).toContain(code);
    // Once the queued statements ran and the reconciler finished the order, it is FAILED and its key sold nothing.
    await waitFor(
      async () => (await courseDb.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`)).rows[0].n === 0,
    );
    await reconcileOnce(orderDataSource, courseClient, 0);
    expect(await orderRow(orderId)).toEqual({ status: 'FAILED', failure_reason: 'UNAVAILABLE' });
    expect(await reservationStatus(orderId)).toBe('CANCELLED');
    await expectSoldOnceAfterReconciling(courseId);
  });

  test('the seat is sold but the order database cannot record it (lock timeout), nor can the seat be given back: ORDER_PENDING, then CONFIRMED', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    const idempotencyKey = `key-${randomUUID()}`;
    let lock: { released: Promise<void> } | undefined;
    proxy.rule = (operation) => (operation === 'Cancel' ? 'refuse' : 'pass');
    proxy.afterUpstream = async (event) => {
      if (event.operation === 'Purchase' && !lock) {
        const key = event.upstream.data.purchaseSeat.reservation.key as string;
        lock = await holdOrderLock('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [key]);
      }
    };
    const result = await placeOrder(courseId, buyer, idempotencyKey);
    // The seat was sold: "nothing was charged" would be false.
    expect(result.userErrors).toEqual([{ code: 'ORDER_PENDING', field: null }]);
    expect(result.order).toMatchObject({ status: 'PENDING' });
    const orderId = result.order!.id;
    expect(await reservationStatus(orderId)).toBe('CONFIRMED');
    await lock!.released;
    proxy.heal();

    await reconcileOnce(orderDataSource, courseClient, 0);
    expect(await orderRow(orderId)).toEqual({ status: 'CONFIRMED', failure_reason: null });
    // The same key returns the final outcome.
    const again = await placeOrder(courseId, buyer, idempotencyKey);
    expect(again).toEqual({ order: { id: orderId, status: 'CONFIRMED', failureReason: null }, userErrors: [] });
    expect(await expectSeatInvariant(courseId)).toMatchObject({ capacity: 1, available: 0, held: 0, sold: 1 });
  });

  test('the purchase fails after it took effect and the intent to give the seat back cannot be recorded (lock timeout): ORDER_PENDING with the order PENDING, then the reconciler settles it from the sold seat', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    const idempotencyKey = `key-${randomUUID()}`;
    let lock: { released: Promise<void> } | undefined;
    // The first purchase sells the seat and its answer is lost; every retry is refused.
    proxy.rule = (operation, n) => (operation === 'Purchase' ? (n === 0 ? 'withhold-response' : 'refuse') : 'pass');
    proxy.afterUpstream = async (event) => {
      if (event.operation === 'Purchase' && !lock) {
        const key = event.upstream.data.purchaseSeat.reservation.key as string;
        // Past the purchase's deadline and then the services' lock_timeout.
        lock = await holdOrderLock('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [key], DEADLINE_MS + LOCK_HOLD_MS);
      }
    };
    const result = await placeOrder(courseId, buyer, idempotencyKey);
    // Nothing is recorded of the failure and the seat is sold: the outcome is not known yet (never "nothing was charged").
    expect(result.userErrors).toEqual([{ code: 'ORDER_PENDING', field: null }]);
    expect(result.order).toMatchObject({ status: 'PENDING' });
    const orderId = result.order!.id;
    expect(await orderRow(orderId)).toEqual({ status: 'PENDING', failure_reason: null });
    expect(await reservationStatus(orderId)).toBe('CONFIRMED');
    expect(proxy.count('Purchase', 'refuse')).toBeGreaterThanOrEqual(1);
    expect(proxy.count('Cancel')).toBe(0);
    await lock!.released;
    proxy.heal();

    // The reservation is the truth: the seat was sold, so the order is honoured.
    await reconcileOnce(orderDataSource, courseClient, 0);
    expect(await orderRow(orderId)).toEqual({ status: 'CONFIRMED', failure_reason: null });
    expect(await reservationStatus(orderId)).toBe('CONFIRMED');
    expect(await placeOrder(courseId, buyer, idempotencyKey)).toEqual({
      order: { id: orderId, status: 'CONFIRMED', failureReason: null },
      userErrors: [],
    });
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 0, held: 0, sold: 1, version: 1 });
  });

  test('a repeated request waits for the first at most its budget, then answers ORDER_PENDING; once final, the same key returns the outcome', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    const idempotencyKey = `key-${randomUUID()}`;
    proxy.rule = (operation) => (operation === 'Purchase' ? 'withhold-response' : operation === 'Cancel' ? 'withhold-request' : 'pass');
    const first = placeOrder(courseId, buyer, idempotencyKey);
    await waitFor(async () => proxy.count('Purchase') > 0);
    const replayed = await placeOrder(courseId, buyer, idempotencyKey);
    expect(replayed.userErrors).toEqual([{ code: 'ORDER_PENDING', field: null }]);
    // The repeat waited its whole budget, which ends after the first request gave the purchase up
    // (its forward deadline) and recorded the intent to give the seat back: CANCELLING, not PENDING.
    expect(replayed.order!.status).toBe('CANCELLING');
    const original = await first;
    expect(original.userErrors).toEqual([{ code: 'ORDER_PENDING', field: null }]);
    expect(original.order).toMatchObject({ id: replayed.order!.id, status: 'CANCELLING' });
    // The seat is still sold (the compensation never reached the course): only the reconciler can finish it.
    expect(await reservationStatus(replayed.order!.id)).toBe('CONFIRMED');
    expect(await orderRow(replayed.order!.id)).toEqual({ status: 'CANCELLING', failure_reason: 'UNAVAILABLE' });

    proxy.heal();
    await reconcileOnce(orderDataSource, courseClient, 0);
    expect(await reservationStatus(replayed.order!.id)).toBe('CANCELLED');
    const final = await placeOrder(courseId, buyer, idempotencyKey);
    expect(final).toEqual({
      order: { id: replayed.order!.id, status: 'FAILED', failureReason: 'UNAVAILABLE' },
      userErrors: [{ code: 'UNAVAILABLE', field: null }],
    });
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 1, held: 0, sold: 0, version: 2 });
  });
});

describe('dependency outages are SERVICE_UNAVAILABLE, retryable, and change nothing', () => {
  test('the orders table is locked past lock_timeout: placeOrder answers SERVICE_UNAVAILABLE with retryable, no internals, and no order or seat is taken', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    const idempotencyKey = `key-${randomUUID()}`;
    const lock = await holdOrderLock('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
    const answered = await postRaw(
      `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } userErrors { code } } }`,
      { input: { courseId, expectedPrice: price, idempotencyKey } },
      buyer,
    );
    expect(answered.errors).toEqual([
      {
        message: expect.any(String),
        path: ['placeOrder'],
        locations: expect.any(Array),
        extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: expect.any(String) },
      },
    ]);
    expect(answered.text).not.toMatch(/lock|timeout|postgres|QueryFailed|at \w+ \(/i);
    await lock.released;
    expect((await orderDb.query('SELECT count(*)::int AS n FROM orders WHERE course_id = $1', [courseId])).rows[0].n).toBe(0);
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 1, held: 0, sold: 0, version: 0 });
    // Retrying with the same key is safe and now succeeds.
    expect((await placeOrder(courseId, buyer, idempotencyKey)).order?.status).toBe('CONFIRMED');
  });
});

describe('the caller budget bounds the order database too', () => {
  test('recording the order outlasts the caller budget: SERVICE_UNAVAILABLE, the order is taken back, and a same-key retry starts afresh', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    const idempotencyKey = `key-${randomUUID()}`;
    // Shorter than lock_timeout: the insert waits, then lands after the caller's 1 s budget.
    const lock = await holdOrderLock('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE', [], 2_000);
    const response = await fetch(`${order.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, buyer), [BUDGET_HEADER]: '1000' },
      body: JSON.stringify({
        query: `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } userErrors { code } } }`,
        variables: { input: { courseId, expectedPrice: price, idempotencyKey } },
      }),
    });
    const body = (await response.json()) as { errors?: { message: string; extensions?: object }[] };
    expect(body.errors?.map((e) => e.extensions)).toEqual([{ code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: expect.any(String) }]);
    // The client learns that nothing was done and how to retry.
    expect(body.errors?.map((e) => e.message)).toEqual([
      'The order could not be recorded in time; nothing was done. Retry with the same idempotency key.',
    ]);
    await lock.released;
    expect((await orderDb.query('SELECT count(*)::int AS n FROM orders WHERE course_id = $1', [courseId])).rows[0].n).toBe(0);
    expect(proxy.events).toEqual([]);
    expect((await placeOrder(courseId, buyer, idempotencyKey)).order?.status).toBe('CONFIRMED');
    expect(await expectSeatInvariant(courseId)).toMatchObject({ sold: 1, held: 0, available: 0 });
  });
});

describe('the time budget travels with every course call', () => {
  test('each call to the course subgraph carries x-coursegraph-budget-ms, never more than one attempt may take', async () => {
    const courseId = await newCourse(1);
    expect((await placeOrder(courseId, student())).order?.status).toBe('CONFIRMED');
    // One call sells the seat.
    expect(proxy.events.map((e) => e.operation)).toEqual(['Purchase']);
    const budgets = proxy.events.map((e) => Number(e.budget));
    expect(budgets).toHaveLength(1);
    for (const budget of budgets) {
      expect(budget).toBeGreaterThan(0);
      expect(budget).toBeLessThanOrEqual(TIMEOUT_MS);
    }
  });

  test('a request that arrives after its caller stopped waiting is not started: SERVICE_UNAVAILABLE (retryable), no seat taken', async () => {
    const courseId = await newCourse(1);
    // The saga's purchaseSeat, and reserveSeat, the course's hold API.
    for (const mutation of ['purchaseSeat', 'reserveSeat']) {
      const response = await fetch(`${course.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SERVICE_HEADER]: signServiceCredential(SECRETS.serviceSecret, 'order'),
          [BUDGET_HEADER]: '0',
        },
        body: JSON.stringify({
          query: `mutation($input: ReserveSeatInput!) { ${mutation}(input: $input) { reservation { status } } }`,
          variables: { input: { courseId, expectedPrice: price, key: randomUUID(), holderId: randomUUID() } },
        }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: { extensions?: object }[] };
      expect(body.errors?.map((e) => e.extensions)).toEqual([{ code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: expect.any(String) }]);
    }
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 1, held: 0, sold: 0, version: 0 });
  });
});

// ---------------------------------------------------------------------------
// Issue 10: outcomes the saga must get right that no test pinned before. Each was checked by
// breaking the code it guards by hand.

/** A cancelOrder through the order subgraph: the whole payload. */
async function cancelOrderAs(
  orderId: string,
  viewer: Viewer,
): Promise<{ order: { id: string; status: string } | null; userErrors: { code: string }[] }> {
  const answered = await postRaw(CANCEL_ORDER, { id: orderId }, viewer);
  expect(answered.errors).toBeUndefined();
  return answered.data.cancelOrder;
}

/** A GraphQL error as the course subgraph would send for a bug: not SERVICE_UNAVAILABLE, so not worth a retry. */
const graphqlError = (data: unknown = null) => ({
  body: { data, errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
});

describe('the course refuses a step (issue 10)', () => {
  test('the sold seat was given back between a lost purchase answer and its retry: the retry answers the CANCELLED reservation and the order FAILS with the public reason UNAVAILABLE, never CONFIRMED; the seat is on sale again', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    const idempotencyKey = `key-${randomUUID()}`;
    // The first purchase sells the seat and its answer is lost; before the retry, something other than this
    // request (an operator, the audit) gives the seat back.
    proxy.rule = (operation, n) => (operation === 'Purchase' && n === 0 ? 'withhold-response' : 'pass');
    proxy.afterUpstream = async (event) => {
      if (event.operation === 'Purchase' && event.behaviour === 'withhold-response')
        await directCourse.cancelReservation({ key: event.variables.input.key });
    };
    const result = await placeOrder(courseId, buyer, idempotencyKey);
    expect(result).toEqual({
      order: { id: expect.any(String), status: 'FAILED', failureReason: 'UNAVAILABLE' },
      userErrors: [{ code: 'UNAVAILABLE', field: null }],
    });
    const orderId = result.order!.id;
    expect(await orderRow(orderId)).toEqual({ status: 'FAILED', failure_reason: 'UNAVAILABLE' });
    // The retry got the reservation as it stands (idempotent on the key: no second sale), not a sold seat;
    // the saga gave it back (already done: a no-op) rather than confirm an order without a seat.
    expect(proxy.events.map((e) => `${e.operation}:${e.behaviour}`)).toEqual(['Purchase:withhold-response', 'Purchase:pass', 'Cancel:pass']);
    expect(proxy.events[1]!.upstream.data.purchaseSeat).toEqual({ reservation: { key: orderId, courseId, status: 'CANCELLED' }, userErrors: [] });
    expect(await reservationStatus(orderId)).toBe('CANCELLED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 1, held: 0, sold: 0, version: 2 });

    // Replaying the FAILED order with the same key: the same order and reason, and no new attempt at the course.
    proxy.heal();
    expect(await placeOrder(courseId, buyer, idempotencyKey)).toEqual(result);
    // A FAILED order cannot be cancelled, and asking changes nothing.
    expect(await cancelOrderAs(orderId, buyer)).toEqual({ order: { id: orderId, status: 'FAILED' }, userErrors: [{ code: 'ILLEGAL_TRANSITION' }] });
    expect(await orderRow(orderId)).toEqual({ status: 'FAILED', failure_reason: 'UNAVAILABLE' });
    expect(proxy.events).toHaveLength(3);
    // The database holds failure_reason to placeOrder's own reasons.
    await expect(orderDb.query(`UPDATE orders SET failure_reason = 'ILLEGAL_TRANSITION' WHERE id = $1`, [orderId])).rejects.toThrow(
      /order_failure_reason_known/,
    );
    // A FAILED order does not block the student: a new key buys the seat that went back on sale.
    expect((await placeOrder(courseId, buyer)).order?.status).toBe('CONFIRMED');
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 0, held: 0, sold: 1 });
  });

  test('a retried purchase whose lost first attempt sold the last seat gets that reservation back: CONFIRMED, not SOLD_OUT, one seat sold', async () => {
    const courseId = await newCourse(1);
    // The first attempt is carried out (the last seat is sold for this order), its answer is lost.
    proxy.rule = (operation, n) => (operation === 'Purchase' && n === 0 ? 'withhold-response' : 'pass');
    const result = await placeOrder(courseId, student());
    expect(result.userErrors).toEqual([]);
    expect(result.order).toMatchObject({ status: 'CONFIRMED' });
    const orderId = result.order!.id;
    // The retry met a sold-out course and was answered with the first attempt's reservation, not SOLD_OUT.
    const purchases = proxy.events.filter((e) => e.operation === 'Purchase');
    expect(purchases.map((e) => e.behaviour)).toEqual(['withhold-response', 'pass']);
    for (const purchase of purchases) {
      expect(purchase.upstream.data.purchaseSeat).toEqual({ reservation: { key: orderId, courseId, status: 'CONFIRMED' }, userErrors: [] });
    }
    expect(await reservationStatus(orderId)).toBe('CONFIRMED');
    expect((await courseDb.query('SELECT count(*)::int AS n FROM reservation WHERE course_id = $1', [courseId])).rows[0].n).toBe(1);
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 0, held: 0, sold: 1, version: 1 });
  });
});

describe('what the answers tell the buyer', () => {
  const PLACE_ORDER = `mutation($input: PlaceOrderInput!) {
    placeOrder(input: $input) { order { status } userErrors { code message } }
  }`;
  const placeAs = async (courseId: string, viewer: Viewer) =>
    postRaw(PLACE_ORDER, { input: { courseId, expectedPrice: price, idempotencyKey: `key-${randomUUID()}` } }, viewer);
  const place = async (courseId: string) => (await placeAs(courseId, student())).data.placeOrder;

  test('UNAVAILABLE promises that nothing was charged; ORDER_PENDING says how to learn the outcome', async () => {
    const courseId = await newCourse(2);
    proxy.rule = (operation) => (operation === 'Purchase' ? 'fake' : 'pass');
    proxy.fake = () => graphqlError();
    expect(await place(courseId)).toEqual({
      order: { status: 'FAILED' },
      userErrors: [{ code: 'UNAVAILABLE', message: 'The seat service could not complete the order. Nothing was charged; please try again.' }],
    });

    proxy.rule = () => 'refuse';
    expect(await place(courseId)).toEqual({
      order: { status: 'CANCELLING' },
      userErrors: [
        {
          code: 'ORDER_PENDING',
          message: 'The outcome is not known yet. Retry with the same idempotency key (or cancel again) to get the final outcome.',
        },
      ],
    });
  });

  test('RESERVATION_EXPIRED says the hold ran out; ALREADY_ENROLLED and IDEMPOTENCY_KEY_REUSED say what was reused; a non-student is told who may buy', async () => {
    const courseId = await newCourse(1);
    // placeOrder no longer holds a seat (it buys at once), so none of its orders fails with RESERVATION_EXPIRED now;
    // an order that did before (a hold that ran out) still answers with it, here on a replay of its key.
    const expired = { buyer: student(), idempotencyKey: `key-${randomUUID()}` };
    await orderDb.query(
      `INSERT INTO orders (id, course_id, student_id, idempotency_key, status, price_amount, price_currency, failure_reason)
       VALUES ($1, $2, $3, $4, 'FAILED', $5, $6, 'RESERVATION_EXPIRED')`,
      [randomUUID(), courseId, expired.buyer.userId, expired.idempotencyKey, price.amount, price.currency],
    );
    const replayed = await postRaw(PLACE_ORDER, { input: { courseId, expectedPrice: price, idempotencyKey: expired.idempotencyKey } }, expired.buyer);
    expect(replayed.data.placeOrder).toEqual({
      order: { status: 'FAILED' },
      userErrors: [{ code: 'RESERVATION_EXPIRED', message: 'The seat hold expired before the order was confirmed.' }],
    });
    expect(proxy.events).toEqual([]);
    // A student who has the seat asks again, and another request reuses that key for another price.
    const buyer = student();
    const idempotencyKey = `key-${randomUUID()}`;
    const other = await newCourse(1);
    const input = { courseId: other, expectedPrice: price, idempotencyKey };
    expect((await postRaw(PLACE_ORDER, { input }, buyer)).data.placeOrder.order.status).toBe('CONFIRMED');
    expect((await postRaw(PLACE_ORDER, { input: { ...input, idempotencyKey: `key-${randomUUID()}` } }, buyer)).data.placeOrder.userErrors).toEqual([
      { code: 'ALREADY_ENROLLED', message: 'You already have an order for this course.' },
    ]);
    expect((await postRaw(PLACE_ORDER, { input: { ...input, expectedPrice: { ...price, amount: 1 } } }, buyer)).data.placeOrder.userErrors).toEqual([
      { code: 'IDEMPOTENCY_KEY_REUSED', message: 'This idempotency key was already used for a different order.' },
    ]);
    const refused = await placeAs(courseId, { userId: randomUUID(), roles: ['INSTRUCTOR'] });
    expect(refused.errors).toEqual([
      {
        message: 'Only students can place orders.',
        locations: expect.any(Array),
        path: ['placeOrder'],
        extensions: { code: 'FORBIDDEN', requestId: expect.any(String) },
      },
    ]);
  });
});

describe('what cancelOrder tells the caller', () => {
  const CANCEL_WITH_MESSAGES = 'mutation($id: ID!) { cancelOrder(input: { orderId: $id }) { order { status } userErrors { code field message } } }';
  test("a failed order cannot be cancelled, and someone else's order is not theirs to cancel: each says so", async () => {
    const courseId = await newCourse(2);
    const buyer = student();
    proxy.rule = (operation) => (operation === 'Purchase' ? 'fake' : 'pass');
    proxy.fake = () => graphqlError();
    const failed = await placeOrder(courseId, buyer);
    expect(failed.order?.status).toBe('FAILED');
    expect((await postRaw(CANCEL_WITH_MESSAGES, { id: failed.order!.id }, buyer)).data.cancelOrder).toEqual({
      order: { status: 'FAILED' },
      userErrors: [{ code: 'ILLEGAL_TRANSITION', field: 'input.orderId', message: 'A failed order cannot be cancelled.' }],
    });
    const stranger = await postRaw(CANCEL_WITH_MESSAGES, { id: failed.order!.id }, student());
    expect(stranger.errors?.map((e: { message: string; extensions: { code: string } }) => [e.extensions.code, e.message])).toEqual([
      ['FORBIDDEN', 'Only the student who placed an order, or an admin, can cancel it.'],
    ]);
  });
});

describe('the insert retry is bounded', () => {
  test('an enrolled student asking again costs one insert; an insert that keeps meeting an active order the re-check cannot see gives up after three tries', async () => {
    const courseId = await newCourse(3);
    const buyer = student();
    expect((await placeOrder(courseId, buyer)).order?.status).toBe('CONFIRMED');
    const inserts = jest.spyOn(orders, 'insertPendingOrder');
    try {
      expect((await placeOrder(courseId, buyer)).userErrors).toEqual([{ code: 'ALREADY_ENROLLED', field: 'input.courseId' }]);
      expect(inserts).toHaveBeenCalledTimes(1);
      // The re-check never sees the order that blocks the insert: the request tries three times, then answers.
      inserts.mockClear();
      const hidden = jest.spyOn(orders, 'findActive').mockResolvedValue(null);
      try {
        expect((await placeOrder(courseId, buyer)).userErrors).toEqual([{ code: 'ALREADY_ENROLLED', field: 'input.courseId' }]);
        expect(inserts).toHaveBeenCalledTimes(3);
      } finally {
        hidden.mockRestore();
      }
    } finally {
      inserts.mockRestore();
    }
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 2, held: 0, sold: 1 });
  });
});

describe('non-retryable answers from the course subgraph (issue 10)', () => {
  test('a GraphQL error from the purchase is not retried: the order FAILS with UNAVAILABLE at once and no seat is taken', async () => {
    const courseId = await newCourse(1);
    proxy.rule = (operation) => (operation === 'Purchase' ? 'fake' : 'pass');
    // Partial data beside the error: still a refusal, never a result.
    proxy.fake = () => graphqlError({ purchaseSeat: null });
    const result = await placeOrder(courseId, student());
    expect(result.order).toMatchObject({ status: 'FAILED', failureReason: 'UNAVAILABLE' });
    expect(result.userErrors.map((e) => e.code)).toEqual(['UNAVAILABLE']);
    // One purchase, then compensation, which finds no reservation and cancels the key before it is used.
    expect(proxy.events.map((e) => `${e.operation}:${e.behaviour}`)).toEqual(['Purchase:fake', 'Cancel:pass']);
    expect(proxy.events[1]!.upstream.data.cancelReservation).toMatchObject({ reservation: { status: 'CANCELLED' }, userErrors: [] });
    expect(await reservationStatus(result.order!.id)).toBe('CANCELLED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 1, held: 0, sold: 0, version: 0 });
  });

  test('a GraphQL error from a purchase retry after the first attempt took effect is not retried: the sold seat is given back and the order FAILS with UNAVAILABLE', async () => {
    const courseId = await newCourse(1);
    // The first attempt sells the seat, its answer lost; the retry is answered with a GraphQL error.
    proxy.rule = (operation, n) => (operation === 'Purchase' ? (n === 0 ? 'withhold-response' : 'fake') : 'pass');
    proxy.fake = () => graphqlError();
    const result = await placeOrder(courseId, student());
    expect(result.order).toMatchObject({ status: 'FAILED', failureReason: 'UNAVAILABLE' });
    expect(result.userErrors.map((e) => e.code)).toEqual(['UNAVAILABLE']);
    expect(proxy.events.map((e) => `${e.operation}:${e.behaviour}`)).toEqual(['Purchase:withhold-response', 'Purchase:fake', 'Cancel:pass']);
    expect(await reservationStatus(result.order!.id)).toBe('CANCELLED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 1, held: 0, sold: 0, version: 2 });
  });

  test('an answer that is not a GraphQL response (a 404 error page) is not retried: the order FAILS with UNAVAILABLE at once and no seat is taken', async () => {
    const courseId = await newCourse(1);
    proxy.rule = (operation) => (operation === 'Purchase' ? 'fake' : 'pass');
    proxy.fake = () => ({ status: 404, body: '<html><body>Not Found</body></html>' });
    const result = await placeOrder(courseId, student());
    expect(result).toEqual({
      order: { id: expect.any(String), status: 'FAILED', failureReason: 'UNAVAILABLE' },
      userErrors: [{ code: 'UNAVAILABLE', field: null }],
    });
    expect(proxy.events.map((e) => `${e.operation}:${e.behaviour}`)).toEqual(['Purchase:fake', 'Cancel:pass']);
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 1, held: 0, sold: 0, version: 0 });
  });

  test('a refusal of the purchase is the answer as it is; a refusal code the order schema does not list is UNAVAILABLE, and no order is left (issue 11)', async () => {
    const courseId = await newCourse(1);
    const refused = (code: string) => ({
      body: {
        data: { purchaseSeat: { reservation: null, userErrors: [{ code, field: 'input.courseId', message: 'Refused.', currentPrice: null }] } },
      },
    });
    proxy.rule = (operation) => (operation === 'Purchase' ? 'fake' : 'pass');
    const buyer = student();
    proxy.fake = () => refused('SOLD_OUT');
    expect(await placeOrder(courseId, buyer)).toEqual({ order: null, userErrors: [{ code: 'SOLD_OUT', field: 'input.courseId' }] });
    // A refusal about the internal call, not the buyer's input (the reservation API's own codes among them), or a
    // code placeOrder does not have: nothing was taken.
    for (const code of ['VALIDATION', 'IDEMPOTENCY_KEY_REUSED', 'ILLEGAL_TRANSITION', 'RESERVATION_EXPIRED', 'RATE_LIMITED']) {
      proxy.fake = () => refused(code);
      expect(await placeOrder(courseId, buyer)).toEqual({ order: null, userErrors: [{ code: 'UNAVAILABLE', field: null }] });
    }
    expect((await orderDb.query('SELECT count(*)::int AS n FROM orders WHERE student_id = $1', [buyer.userId])).rows[0].n).toBe(0);
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 1, held: 0, sold: 0, version: 0 });
  });

  test('SERVICE_UNAVAILABLE as a GraphQL error and an HTTP 429 are retried like any outage: the order is CONFIRMED', async () => {
    const courseId = await newCourse(1);
    proxy.rule = (operation, n) => (operation === 'Purchase' && n < 2 ? 'fake' : 'pass');
    let fakes = 0;
    proxy.fake = () =>
      fakes++ === 0
        ? { body: { data: null, errors: [{ message: 'The service is busy.', extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } }] } }
        : { status: 429, body: { message: 'slow down' } };
    const result = await placeOrder(courseId, student());
    expect(result).toMatchObject({ order: { status: 'CONFIRMED' }, userErrors: [] });
    expect(proxy.events.map((e) => `${e.operation}:${e.behaviour}`)).toEqual(['Purchase:fake', 'Purchase:fake', 'Purchase:pass']);
    expect(fakes).toBe(2);
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 0, held: 0, sold: 1, version: 1 });
  });

  test('a cancel the course does not answer with CANCELLED leaves the order CANCELLING (ORDER_PENDING) and the seat sold, until a real cancel', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    const orderId = (await placeOrder(courseId, buyer)).order!.id;
    proxy.rule = (operation) => (operation === 'Cancel' ? 'fake' : 'pass');
    // First an answer that the reservation is still CONFIRMED, then a refusal other than NOT_FOUND without a reservation.
    proxy.fake = (_operation, variables) => ({
      body: { data: { cancelReservation: { reservation: { key: variables.input.key, courseId, status: 'CONFIRMED' }, userErrors: [] } } },
    });
    expect(await cancelOrderAs(orderId, buyer)).toEqual({ order: { id: orderId, status: 'CANCELLING' }, userErrors: [{ code: 'ORDER_PENDING' }] });
    proxy.fake = () => ({
      body: { data: { cancelReservation: { reservation: null, userErrors: [{ code: 'ILLEGAL_TRANSITION', field: 'input.key', message: 'No.' }] } } },
    });
    expect(await cancelOrderAs(orderId, buyer)).toEqual({ order: { id: orderId, status: 'CANCELLING' }, userErrors: [{ code: 'ORDER_PENDING' }] });
    expect(proxy.count('Cancel', 'fake')).toBe(2);
    expect(await orderRow(orderId)).toEqual({ status: 'CANCELLING', failure_reason: null });
    expect(await reservationStatus(orderId)).toBe('CONFIRMED');
    expect(await expectCourseInvariant(courseDb, courseId)).toMatchObject({ available: 0, sold: 1 });

    proxy.heal();
    expect(await cancelOrderAs(orderId, buyer)).toEqual({ order: { id: orderId, status: 'CANCELLED' }, userErrors: [] });
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 1, held: 0, sold: 0 });
  });
});

describe('cancelOrder of an order that is not a confirmed purchase (issue 10)', () => {
  test('a PENDING order (its saga still at work) cannot be cancelled: ILLEGAL_TRANSITION, nothing asked of the course, and the saga completes', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    // The first purchase never reaches the course: the saga waits one attempt's timeout, then retries.
    proxy.rule = (operation, n) => (operation === 'Purchase' && n === 0 ? 'withhold-request' : 'pass');
    const placing = placeOrder(courseId, buyer);
    await waitFor(async () => proxy.count('Purchase') > 0);
    const { rows } = await orderDb.query('SELECT id, status FROM orders WHERE student_id = $1', [buyer.userId]);
    expect(rows).toEqual([{ id: expect.any(String), status: 'PENDING' }]);
    const orderId = rows[0].id as string;
    expect(await cancelOrderAs(orderId, buyer)).toEqual({ order: { id: orderId, status: 'PENDING' }, userErrors: [{ code: 'ILLEGAL_TRANSITION' }] });
    expect(proxy.count('Cancel')).toBe(0);
    expect(await placing).toMatchObject({ order: { id: orderId, status: 'CONFIRMED' }, userErrors: [] });
    expect(proxy.count('Cancel')).toBe(0);
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 0, held: 0, sold: 1, version: 1 });
  });

  test('a purchase being given up (CANCELLING with a failure reason) cannot be cancelled by the student: ILLEGAL_TRANSITION; it ends FAILED, not CANCELLED', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    // The purchase sells the seat, its answer lost; then every call is refused, so the seat cannot be given back yet.
    proxy.rule = (operation, n) => (operation === 'Purchase' && n === 0 ? 'withhold-response' : 'refuse');
    const placed = await placeOrder(courseId, buyer);
    expect(placed.order).toMatchObject({ status: 'CANCELLING', failureReason: 'UNAVAILABLE' });
    const orderId = placed.order!.id;
    proxy.heal();
    proxy.events = [];
    expect(await cancelOrderAs(orderId, buyer)).toEqual({
      order: { id: orderId, status: 'CANCELLING' },
      userErrors: [{ code: 'ILLEGAL_TRANSITION' }],
    });
    expect(proxy.events).toEqual([]);
    expect(await orderRow(orderId)).toEqual({ status: 'CANCELLING', failure_reason: 'UNAVAILABLE' });
    await reconcileOnce(orderDataSource, courseClient, 0);
    expect(await orderRow(orderId)).toEqual({ status: 'FAILED', failure_reason: 'UNAVAILABLE' });
    expect(await reservationStatus(orderId)).toBe('CANCELLED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 1, held: 0, sold: 0, version: 2 });
  });
});

describe('placeOrder next to other requests and the reconciler (issue 10)', () => {
  test('the active order that blocked the insert vanished before the re-check: the request tries again and buys the seat', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    // The student's other request for this course is still at work (PENDING), so this request's insert is blocked ...
    const blocking = await orders.insertPendingOrder(orderDataSource, {
      courseId,
      studentId: buyer.userId,
      idempotencyKey: `key-${randomUUID()}`,
      priceAmount: price.amount,
      priceCurrency: price.currency,
    });
    // Active orders the re-check must not mistake for the blocker: another student's for this course, and this
    // student's for another course (a test run alone would otherwise have no other order in the table).
    for (const other of [
      { courseId, studentId: randomUUID() },
      { courseId: await newCourse(1), studentId: buyer.userId },
    ]) {
      await orders.insertPendingOrder(orderDataSource, {
        ...other,
        idempotencyKey: `key-${randomUUID()}`,
        priceAmount: price.amount,
        priceCurrency: price.currency,
      });
    }
    // ... and that order is refused and removed between the conflict and the re-check.
    const findByKey = orders.findByKey;
    const spy = jest.spyOn(orders, 'findByKey').mockImplementationOnce(async (...args) => {
      await orders.removePendingOrder(orderDataSource, blocking!);
      return findByKey(...args);
    });
    try {
      const result = await placeOrder(courseId, buyer);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(result).toMatchObject({ order: { status: 'CONFIRMED' }, userErrors: [] });
      const { rows } = await orderDb.query('SELECT id, status FROM orders WHERE student_id = $1 AND course_id = $2', [buyer.userId, courseId]);
      expect(rows).toEqual([{ id: result.order!.id, status: 'CONFIRMED' }]);
    } finally {
      spy.mockRestore();
    }
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 0, held: 0, sold: 1 });
  });

  test('the reconciler gave the order up while its saga was still at work: the seat the saga then sold is given back', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    // The first purchase never reaches the course; while the saga waits for it, the reconciler finds no reservation.
    proxy.rule = (operation, n) => (operation === 'Purchase' && n === 0 ? 'withhold-request' : 'pass');
    const placing = placeOrder(courseId, buyer);
    await waitFor(async () => proxy.count('Purchase') > 0);
    const { rows } = await orderDb.query('SELECT id FROM orders WHERE student_id = $1', [buyer.userId]);
    const orderId = rows[0].id as string;
    await reconcileOnce(orderDataSource, courseClient, 0);
    // The reconciler was first: the retried purchase had not been sent yet.
    expect(await orderRow(orderId)).toEqual({ status: 'FAILED', failure_reason: 'ABANDONED' });
    expect(proxy.count('Purchase')).toBe(1);

    // The retry sells the seat; the order cannot be CONFIRMED any more, so the seat goes back.
    const result = await placing;
    expect(result).toEqual({
      order: { id: orderId, status: 'FAILED', failureReason: 'ABANDONED' },
      userErrors: [{ code: 'UNAVAILABLE', field: null }],
    });
    expect(proxy.events.filter((e) => e.operation !== 'Find').map((e) => `${e.operation}:${e.behaviour}`)).toEqual([
      'Purchase:withhold-request',
      'Purchase:pass',
      'Cancel:pass',
    ]);
    expect(proxy.events.filter((e) => e.operation === 'Purchase')[1]!.upstream.data.purchaseSeat.reservation.status).toBe('CONFIRMED');
    expect(await reservationStatus(orderId)).toBe('CANCELLED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 1, held: 0, sold: 0, version: 2 });
  });
});

describe('races the suite did not pin: hand mutations that survived, and a defect (issue 10)', () => {
  test('the reconciler gave the order up before its purchase was sent, then the purchase sold the seat: the seat goes back and the answer is the documented UNAVAILABLE, as a repeat gets', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    const idempotencyKey = `key-${randomUUID()}`;
    // The saga pauses right after recording the order (PENDING); meanwhile the reconciler finds no reservation.
    const insertPendingOrder = orders.insertPendingOrder;
    const spy = jest.spyOn(orders, 'insertPendingOrder').mockImplementationOnce(async (...args) => {
      const recorded = await insertPendingOrder(...args);
      await reconcileOnce(orderDataSource, courseClient, 0);
      expect(await orderRow(recorded!.id)).toEqual({ status: 'FAILED', failure_reason: 'ABANDONED' });
      expect(await reservationStatus(recorded!.id)).toBeNull();
      return recorded;
    });
    let result: PlaceOrderResult;
    try {
      result = await placeOrder(courseId, buyer, idempotencyKey);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    const orderId = result.order!.id;
    // The purchase sold the seat and was answered in time; the order can no longer be CONFIRMED, so the seat goes back.
    const mine = proxy.events.filter((e) => (e.variables.key ?? e.variables.input?.key) === orderId);
    expect(mine.map((e) => `${e.operation}:${e.behaviour}`)).toEqual(['Find:pass', 'Purchase:pass', 'Cancel:pass']);
    expect(mine[1]!.upstream.data.purchaseSeat.reservation.status).toBe('CONFIRMED');
    // Nothing was bought; placeOrder's contract says so with UNAVAILABLE, and the same key gives the same answer.
    expect(result).toEqual({
      order: { id: orderId, status: 'FAILED', failureReason: 'ABANDONED' },
      userErrors: [{ code: 'UNAVAILABLE', field: null }],
    });
    expect(await reservationStatus(orderId)).toBe('CANCELLED');
    const calls = proxy.events.length;
    expect(await placeOrder(courseId, buyer, idempotencyKey)).toEqual(result);
    expect(proxy.events).toHaveLength(calls);
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 1, held: 0, sold: 0, version: 2 });
  });

  test('the reconciler gave the order up, then the saga sold the seat with every answer lost: its compensation still gives the sold seat back (red team, issue 10)', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    const idempotencyKey = `key-${randomUUID()}`;
    // The first purchase never arrives (a pause); every later one is carried out upstream, its answer lost.
    proxy.rule = (operation, n) => (operation === 'Purchase' ? (n === 0 ? 'withhold-request' : 'withhold-response') : 'pass');
    const placing = placeOrder(courseId, buyer, idempotencyKey);
    await waitFor(async () => proxy.count('Purchase') > 0);
    const orderId = (await orderDb.query('SELECT id FROM orders WHERE student_id = $1', [buyer.userId])).rows[0].id as string;
    // No reservation yet: the reconciler fails the order.
    await reconcileOnce(orderDataSource, courseClient, 0);
    expect(await orderRow(orderId)).toEqual({ status: 'FAILED', failure_reason: 'ABANDONED' });

    // A retried purchase sells the seat; the saga's compensation finds the order FAILED and must still give
    // the seat back, or UNAVAILABLE ("nothing kept") would come with a sold seat.
    const result = await placing;
    await proxy.settle();
    expect(result).toEqual({
      order: { id: orderId, status: 'FAILED', failureReason: 'ABANDONED' },
      userErrors: [{ code: 'UNAVAILABLE', field: null }],
    });
    expect(proxy.count('Purchase', 'withhold-response')).toBeGreaterThanOrEqual(1);
    expect(proxy.count('Cancel', 'pass')).toBe(1);
    expect(await reservationStatus(orderId)).toBe('CANCELLED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 1, held: 0, sold: 0, version: 2 });
    expect(await placeOrder(courseId, buyer, idempotencyKey)).toEqual(result);
  });

  test('a purchase answer that does not sell (a PENDING reservation, or neither a reservation nor a refusal) gives the seat back: FAILED UNAVAILABLE (red team, issue 10)', async () => {
    const courseId = await newCourse(1);
    // The first attempt of each order really sells the seat (its answer lost); the retry gets the odd answer.
    proxy.rule = (operation, n) => (operation === 'Purchase' ? (n % 2 === 0 ? 'withhold-response' : 'fake') : 'pass');
    // A hold, which purchaseSeat never answers, and an answer with neither a reservation nor a refusal.
    for (const answer of [
      (key: string) => ({ reservation: { key, courseId, status: 'PENDING' }, userErrors: [] }),
      () => ({ reservation: null, userErrors: [] }),
    ]) {
      proxy.fake = (_operation, variables) => ({ body: { data: { purchaseSeat: answer(variables.input.key) } } });
      const odd = await placeOrder(courseId, student());
      expect(odd).toEqual({
        order: { id: expect.any(String), status: 'FAILED', failureReason: 'UNAVAILABLE' },
        userErrors: [{ code: 'UNAVAILABLE', field: null }],
      });
      expect(await orderRow(odd.order!.id)).toEqual({ status: 'FAILED', failure_reason: 'UNAVAILABLE' });
      expect(await reservationStatus(odd.order!.id)).toBe('CANCELLED');
      expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 1, held: 0, sold: 0 });
    }
    expect(proxy.events.map((e) => `${e.operation}:${e.behaviour}`)).toEqual([
      'Purchase:withhold-response',
      'Purchase:fake',
      'Cancel:pass',
      'Purchase:withhold-response',
      'Purchase:fake',
      'Cancel:pass',
    ]);
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 1, held: 0, sold: 0, version: 4 });
  });

  test('a purchase answer with a reservation and a userError beside it: a CONFIRMED one is a sale, a PENDING one gives the seat back; never an order removed with its seat sold (red team, issue 10)', async () => {
    const courseId = await newCourse(2);
    // The first attempt of each order really sells the seat (its answer lost); the retry gets the odd answer.
    proxy.rule = (operation, n) => (operation === 'Purchase' ? (n % 2 === 0 ? 'withhold-response' : 'fake') : 'pass');
    // The seat is sold, and the answer carries a refusal beside the CONFIRMED reservation.
    proxy.fake = (_operation, variables) => ({
      body: {
        data: {
          purchaseSeat: {
            reservation: { key: variables.input.key, courseId, status: 'CONFIRMED' },
            userErrors: [{ code: 'VALIDATION', field: 'input.key', message: 'Odd.', currentPrice: null }],
          },
        },
      },
    });
    const sold = await placeOrder(courseId, student());
    expect(sold).toEqual({ order: { id: expect.any(String), status: 'CONFIRMED', failureReason: null }, userErrors: [] });
    expect(await reservationStatus(sold.order!.id)).toBe('CONFIRMED');
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 1, held: 0, sold: 1 });

    // A refusal beside a reservation that is not sold: the seat the first attempt sold goes back.
    proxy.fake = (_operation, variables) => ({
      body: {
        data: {
          purchaseSeat: {
            reservation: { key: variables.input.key, courseId, status: 'PENDING' },
            userErrors: [{ code: 'RESERVATION_EXPIRED', field: 'input.key', message: 'Odd.', currentPrice: null }],
          },
        },
      },
    });
    const refused = await placeOrder(courseId, student());
    expect(refused).toEqual({
      order: { id: expect.any(String), status: 'FAILED', failureReason: 'UNAVAILABLE' },
      userErrors: [{ code: 'UNAVAILABLE', field: null }],
    });
    expect(await reservationStatus(refused.order!.id)).toBe('CANCELLED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 2, available: 1, held: 0, sold: 1, version: 3 });
  });

  test('the reconciler confirmed the order while every purchase answer was lost: the saga gives up but must not give the sold seat back', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    // Every purchase is carried out by the course, its answer lost.
    proxy.rule = (operation) => (operation === 'Purchase' ? 'withhold-response' : 'pass');
    const placing = placeOrder(courseId, buyer);
    await waitFor(async () => proxy.count('Purchase') > 0);
    await proxy.settle();
    const orderId = (await orderDb.query('SELECT id FROM orders WHERE student_id = $1', [buyer.userId])).rows[0].id as string;
    // The reconciler finds the seat sold and records the order CONFIRMED while the saga still waits for an answer.
    await reconcileOnce(orderDataSource, courseClient, 0);
    expect(await orderRow(orderId)).toEqual({ status: 'CONFIRMED', failure_reason: null });

    // The saga's forward time runs out; its compensation finds the order no longer PENDING and leaves the seat alone.
    const result = await placing;
    expect(result).toEqual({ order: { id: orderId, status: 'CONFIRMED', failureReason: null }, userErrors: [] });
    expect(proxy.count('Purchase', 'withhold-response')).toBeGreaterThanOrEqual(2);
    expect(proxy.count('Cancel')).toBe(0);
    expect(await reservationStatus(orderId)).toBe('CONFIRMED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 0, held: 0, sold: 1, version: 1 });
  });

  test('a repeat whose first request is refused and removed while it waits tries on its own: both are told SOLD_OUT and no order is left', async () => {
    const courseId = await newCourse(1);
    expect((await placeOrder(courseId, student())).order?.status).toBe('CONFIRMED');
    const buyer = student();
    const idempotencyKey = `key-${randomUUID()}`;
    // The first request's purchase is slow (answered within its attempt), so the repeat finds its order PENDING.
    proxy.lateMs = 300;
    proxy.rule = (operation, n) => (operation === 'Purchase' && n === 1 ? 'late' : 'pass');
    const first = placeOrder(courseId, buyer, idempotencyKey);
    await waitFor(async () => proxy.count('Purchase', 'late') > 0);
    const repeat = await placeOrder(courseId, buyer, idempotencyKey);
    expect(await first).toEqual({ order: null, userErrors: [{ code: 'SOLD_OUT', field: 'input.courseId' }] });
    expect(repeat).toEqual({ order: null, userErrors: [{ code: 'SOLD_OUT', field: 'input.courseId' }] });
    // The repeat's own attempt: a second order row inserted and refused in its turn.
    expect(proxy.count('Purchase')).toBe(3);
    expect((await orderDb.query('SELECT count(*)::int AS n FROM orders WHERE student_id = $1', [buyer.userId])).rows[0].n).toBe(0);
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 0, held: 0, sold: 1 });
  });

  test('the reconciler read no reservation (the purchase held back), then the live saga sold the seat and recorded the order: the reconciler leaves the sold seat and the order alone', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    // The first purchase never reaches the course; the saga retries it after one attempt's timeout.
    proxy.rule = (operation, n) => (operation === 'Purchase' && n === 0 ? 'withhold-request' : 'pass');
    const placing = placeOrder(courseId, buyer);
    await waitFor(async () => proxy.count('Purchase') > 0);
    const orderId = (await orderDb.query('SELECT id FROM orders WHERE student_id = $1', [buyer.userId])).rows[0].id as string;
    // The reconciler's read finds no reservation; its answer arrives only once the saga has recorded the sale
    // (so the reconciler's client waits longer than the saga's retry takes).
    proxy.afterUpstream = async (event) => {
      if (event.operation !== 'Find' || event.variables.key !== orderId) return;
      expect(event.upstream.data.reservation).toBeNull();
      await waitFor(async () => (await orderRow(orderId)).status === 'CONFIRMED');
    };
    const patient = createCourseClient({ url: proxy.url, serviceSecret: SECRETS.serviceSecret, timeoutMs: 10_000, deadlineMs: 10_000 });
    try {
      await reconcileOnce(orderDataSource, patient, 0);
    } finally {
      patient.close();
    }
    expect(await placing).toEqual({ order: { id: orderId, status: 'CONFIRMED', failureReason: null }, userErrors: [] });
    // Its PENDING -> FAILED found the order CONFIRMED: nothing changed, nothing given back.
    const mine = proxy.events.filter((e) => (e.variables.key ?? e.variables.input?.key) === orderId).map((e) => e.operation);
    expect(mine).toEqual(['Purchase', 'Find', 'Purchase']);
    expect(await orderRow(orderId)).toEqual({ status: 'CONFIRMED', failure_reason: null });
    expect(await reservationStatus(orderId)).toBe('CONFIRMED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 0, held: 0, sold: 1, version: 1 });
  });

  test('two cancels of one order: the one that finds it already cancelled asks nothing more of the course and answers CANCELLED', async () => {
    const courseId = await newCourse(1);
    const buyer = student();
    const orderId = (await placeOrder(courseId, buyer)).order!.id;
    proxy.events = [];
    // The first cancel reads the order CONFIRMED; before it records CANCELLING, a second cancel carries it all out.
    const findOrder = orders.findOrder;
    const spy = jest.spyOn(orders, 'findOrder').mockImplementationOnce(async (...args) => {
      const stale = await findOrder(...args);
      expect(await cancelOrderAs(orderId, buyer)).toEqual({ order: { id: orderId, status: 'CANCELLED' }, userErrors: [] });
      return stale;
    });
    try {
      expect(await cancelOrderAs(orderId, buyer)).toEqual({ order: { id: orderId, status: 'CANCELLED' }, userErrors: [] });
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
    expect(proxy.count('Cancel')).toBe(1);
    expect(await orderRow(orderId)).toEqual({ status: 'CANCELLED', failure_reason: null });
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 1, available: 1, held: 0, sold: 0, version: 2 });
  });
});
