/**
 * The order saga's failure paths over real HTTP: a small proxy sits between
 * the order subgraph and the course subgraph and can delay, withhold or
 * refuse each internal call. Whatever fails, no seat stays stuck and no
 * order is lost (the reconciler finishes what the saga could not).
 * Also: enrollmentCount resolved as an entity, batched into one query.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import pg, { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { IDENTITY_HEADER, openDatabase, signIdentity, type RunningServer, type Viewer } from '@coursegraph/runtime';
import { createTestDatabases, type TestDatabases } from '../../../tests/support/databases';
import { expectCourseInvariant } from '../../../tests/support/invariant';
import { startCourseSubgraph } from '../../course/src/server';
import { startOrderSubgraph } from '../src/server';
import { createOrderDataSource } from '../src/data-source';
import { createCourseClient, type CourseClient } from '../src/course-client';
import { reconcileOnce } from '../src/reconciler';
import { SECRETS, testConfig } from '../../../tests/support/stack';

const TIMEOUT_MS = 300;
const DEADLINE_MS = 1_000;
const price = { amount: 1_000, currency: 'USD' };

// ---------------------------------------------------------------------------
// A fault-injecting proxy in front of the course subgraph.

type Operation = 'Reserve' | 'Confirm' | 'Cancel' | 'Find' | 'other';
/**
 * pass: forward and answer; refuse: drop the connection without an answer;
 * unavailable: answer 503 without forwarding; withhold-request: never forward,
 * never answer; withhold-response: forward (the call takes effect upstream),
 * then never answer; stall-body: forward, send the headers and half the body,
 * then nothing more.
 */
type Behaviour = 'pass' | 'refuse' | 'unavailable' | 'withhold-request' | 'withhold-response' | 'stall-body';

interface ProxyEvent {
  operation: Operation;
  behaviour: Behaviour;
  /** What the course subgraph answered, for forwarded calls. */
  upstream?: any;
}

class FaultProxy {
  url = '';
  target = '';
  events: ProxyEvent[] = [];
  /** Decides each call's fate; `n` counts earlier calls of the same operation. */
  rule: (operation: Operation, n: number) => Behaviour = () => 'pass';
  private server = http.createServer((req, res) => void this.handle(req, res));
  private held = new Set<http.ServerResponse>();

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  heal(): void {
    this.rule = () => 'pass';
  }

  count(operation: Operation, behaviour?: Behaviour): number {
    return this.events.filter((e) => e.operation === operation && (!behaviour || e.behaviour === behaviour)).length;
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const name = /^\s*(?:query|mutation)\s+(\w+)/.exec((JSON.parse(body) as { query: string }).query)?.[1];
    const operation: Operation = name === 'Reserve' || name === 'Confirm' || name === 'Cancel' || name === 'Find' ? name : 'other';
    const behaviour = this.rule(operation, this.events.filter((e) => e.operation === operation).length);
    const event: ProxyEvent = { operation, behaviour };
    this.events.push(event);
    if (behaviour === 'refuse') {
      req.socket.destroy();
      return;
    }
    if (behaviour === 'unavailable') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('course subgraph is down');
      return;
    }
    if (behaviour === 'withhold-request') {
      this.hold(res);
      return;
    }
    const upstream = await fetch(this.target, {
      method: 'POST',
      headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-') || k === 'content-type')) as Record<string, string>,
      body,
    });
    const text = await upstream.text();
    event.upstream = JSON.parse(text);
    if (behaviour === 'withhold-response') {
      this.hold(res);
      return;
    }
    if (behaviour === 'stall-body') {
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      this.hold(res);
      return;
    }
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
  }

  private hold(res: http.ServerResponse): void {
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }
}

// ---------------------------------------------------------------------------

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

beforeAll(async () => {
  databases = await createTestDatabases('course', 'order');
  proxy = new FaultProxy();
  await proxy.start();
  course = await startCourseSubgraph(testConfig.course(databases.urls.course!));
  proxy.target = `${course.url}/graphql`;
  order = await startOrderSubgraph(
    testConfig.order(databases.urls.order!, proxy.url, { courseCallTimeoutMs: TIMEOUT_MS, courseCallDeadlineMs: DEADLINE_MS }),
  );
  courseDb = new Client({ connectionString: databases.urls.course });
  orderDb = new Client({ connectionString: databases.urls.order });
  await Promise.all([courseDb.connect(), orderDb.connect()]);
  orderDataSource = await openDatabase(createOrderDataSource(databases.urls.order!, 3), false);
  courseClient = createCourseClient({ url: proxy.url, serviceSecret: SECRETS.serviceSecret, timeoutMs: TIMEOUT_MS, deadlineMs: DEADLINE_MS });
});

afterAll(async () => {
  courseClient?.close();
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

async function placeOrder(courseId: string, buyer: Viewer, idempotencyKey = `key-${randomUUID()}`): Promise<PlaceOrderResult> {
  const data = await post(
    `${order.url}/graphql`,
    `mutation($input: PlaceOrderInput!) {
       placeOrder(input: $input) { order { id status failureReason } userErrors { code field } }
     }`,
    { input: { courseId, expectedPrice: price, idempotencyKey } },
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

/** The seat invariant in both databases: counters add up, match the reservations, and sold seats match confirmed orders. */
async function expectSeatInvariant(courseId: string) {
  const state = await expectCourseInvariant(courseDb, courseId);
  const orders = await orderDb.query(`SELECT count(*)::int AS n FROM orders WHERE course_id = $1 AND status = 'CONFIRMED'`, [courseId]);
  expect(state.sold).toBe(orders.rows[0].n);
  return state;
}

describe('placeOrder when the course subgraph misbehaves', () => {
  test('confirm applied upstream but its answer never arrives: the order FAILS with UNAVAILABLE and the seat is given back', async () => {
    const courseId = await newCourse(3);
    proxy.rule = (operation) => (operation === 'Confirm' ? 'withhold-response' : 'pass');
    const started = Date.now();
    const result = await placeOrder(courseId, student());
    const took = Date.now() - started;

    expect(result.userErrors).toMatchObject([{ code: 'UNAVAILABLE' }]);
    expect(result.order).toMatchObject({ status: 'FAILED', failureReason: 'UNAVAILABLE' });
    const orderId = result.order!.id;
    expect(await orderRow(orderId)).toEqual({ status: 'FAILED', failure_reason: 'UNAVAILABLE' });
    // The confirm really took effect upstream, was retried, and the saga gave up at its deadline.
    const confirms = proxy.events.filter((e) => e.operation === 'Confirm');
    expect(confirms.length).toBeGreaterThanOrEqual(2);
    expect(confirms[0]!.upstream.data.confirmReservation.reservation.status).toBe('CONFIRMED');
    expect(took).toBeGreaterThanOrEqual(DEADLINE_MS - 100);
    expect(took).toBeLessThan(DEADLINE_MS * 3);
    // Compensation cancelled the (confirmed) reservation: sold went back to available.
    expect(proxy.count('Cancel', 'pass')).toBeGreaterThanOrEqual(1);
    expect(await reservationStatus(orderId)).toBe('CANCELLED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 3, available: 3, held: 0, sold: 0, version: 3 });
  });

  test('confirm never reaches the course subgraph: the order FAILS with UNAVAILABLE and the held seat is given back', async () => {
    const courseId = await newCourse(3);
    proxy.rule = (operation) => (operation === 'Confirm' ? 'withhold-request' : 'pass');
    const result = await placeOrder(courseId, student());
    expect(result.userErrors).toMatchObject([{ code: 'UNAVAILABLE' }]);
    expect(result.order).toMatchObject({ status: 'FAILED' });
    expect(await reservationStatus(result.order!.id)).toBe('CANCELLED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 3, available: 3, held: 0, sold: 0, version: 2 });
  });

  test('one lost confirm answer is retried: the retry finds the reservation confirmed and the order is CONFIRMED', async () => {
    const courseId = await newCourse(3);
    proxy.rule = (operation, n) => (operation === 'Confirm' && n === 0 ? 'withhold-response' : 'pass');
    const result = await placeOrder(courseId, student());
    expect(result.userErrors).toEqual([]);
    expect(result.order).toMatchObject({ status: 'CONFIRMED' });
    expect(proxy.count('Confirm')).toBe(2);
    expect(await reservationStatus(result.order!.id)).toBe('CONFIRMED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 3, available: 2, held: 0, sold: 1, version: 2 });
  });

  test('transient 503s on reserve are retried within the deadline', async () => {
    const courseId = await newCourse(3);
    proxy.rule = (operation, n) => (operation === 'Reserve' && n < 2 ? 'unavailable' : 'pass');
    const result = await placeOrder(courseId, student());
    expect(result.order).toMatchObject({ status: 'CONFIRMED' });
    expect(proxy.count('Reserve')).toBe(3);
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 2, sold: 1, held: 0 });
  });

  test('course subgraph down (every call refused): UNAVAILABLE, no seat taken; the reconciler later fails the order', async () => {
    const courseId = await newCourse(3);
    proxy.rule = () => 'refuse';
    const buyer = student();
    const result = await placeOrder(courseId, buyer);
    expect(result.userErrors).toMatchObject([{ code: 'UNAVAILABLE' }]);
    expect(proxy.count('Reserve', 'refuse')).toBeGreaterThanOrEqual(2);
    expect(proxy.events.every((e) => e.behaviour === 'refuse')).toBe(true);
    const orderId = result.order!.id;
    expect(await reservationStatus(orderId)).toBeNull();
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 3, available: 3, held: 0, sold: 0, version: 0 });
    // Nothing could be compensated, so the order waits for the reconciler rather than being lost.
    expect((await orderRow(orderId)).status).toMatch(/^(PENDING|FAILED)$/);

    proxy.heal();
    await reconcileOnce(orderDataSource, courseClient, 0);
    expect((await orderRow(orderId)).status).toBe('FAILED');
    expect(await reservationStatus(orderId)).toBeNull();
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 3, held: 0, sold: 0 });
    // The student can buy the course once it answers again.
    const again = await placeOrder(courseId, buyer);
    expect(again.order).toMatchObject({ status: 'CONFIRMED' });
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 2, sold: 1 });
  });

  test('reserve succeeds, then every call fails: the order stays PENDING, and the reconciler fails it and releases the seat', async () => {
    const courseId = await newCourse(3);
    proxy.rule = (operation) => (operation === 'Reserve' ? 'pass' : 'refuse');
    const result = await placeOrder(courseId, student());
    expect(result.userErrors).toMatchObject([{ code: 'UNAVAILABLE' }]);
    expect(result.order).toMatchObject({ status: 'PENDING' });
    const orderId = result.order!.id;
    expect(proxy.count('Confirm', 'refuse')).toBeGreaterThanOrEqual(1);
    expect(proxy.count('Cancel', 'refuse')).toBeGreaterThanOrEqual(1);
    expect(await orderRow(orderId)).toEqual({ status: 'PENDING', failure_reason: null });
    expect(await reservationStatus(orderId)).toBe('PENDING');
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 2, held: 1, sold: 0 });

    // While the course subgraph is still down, the reconciler changes nothing.
    await expect(reconcileOnce(orderDataSource, courseClient, 0)).rejects.toThrow();
    expect((await orderRow(orderId)).status).toBe('PENDING');

    proxy.heal();
    expect(await reconcileOnce(orderDataSource, courseClient, 0)).toBeGreaterThanOrEqual(1);
    expect(await orderRow(orderId)).toEqual({ status: 'FAILED', failure_reason: 'ABANDONED' });
    expect(await reservationStatus(orderId)).toBe('CANCELLED');
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 3, available: 3, held: 0, sold: 0, version: 2 });
    // Idempotent: a second pass has nothing left to do for this order.
    await reconcileOnce(orderDataSource, courseClient, 0);
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 3, version: 2 });
  });

  test('confirm applied upstream, its answer and the compensation both lost: the reconciler CONFIRMS the order', async () => {
    const courseId = await newCourse(3);
    proxy.rule = (operation) => (operation === 'Reserve' ? 'pass' : operation === 'Confirm' ? 'withhold-response' : 'refuse');
    const result = await placeOrder(courseId, student());
    expect(result.order).toMatchObject({ status: 'PENDING' });
    const orderId = result.order!.id;
    expect(await reservationStatus(orderId)).toBe('CONFIRMED');

    proxy.heal();
    await reconcileOnce(orderDataSource, courseClient, 0);
    expect(await orderRow(orderId)).toEqual({ status: 'CONFIRMED', failure_reason: null });
    expect(await expectSeatInvariant(courseId)).toEqual({ capacity: 3, available: 2, held: 0, sold: 1, version: 2 });
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

  test('course down: UNAVAILABLE, the order stays CONFIRMED with its seat; healed, the cancel goes through once', async () => {
    const courseId = await newCourse(2);
    const buyer = student();
    const placed = await placeOrder(courseId, buyer);
    expect(placed.order!.status).toBe('CONFIRMED');
    proxy.rule = () => 'refuse';
    const refused = await cancelOrder(placed.order!.id, buyer);
    expect(refused.errors).toBeUndefined();
    expect(refused.data.cancelOrder).toMatchObject({ order: { status: 'CONFIRMED' }, userErrors: [{ code: 'UNAVAILABLE' }] });
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 1, sold: 1 });

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
  const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Course { id enrollmentCount } } }';

  /** Statements sent to the order database by any pg client in this process while `work` runs. */
  async function orderQueriesDuring(work: () => Promise<unknown>): Promise<string[]> {
    const orderDatabase = new URL(databases.urls.order!).pathname.slice(1);
    const seen: string[] = [];
    const original = pg.Client.prototype.query;
    const spy = jest.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
      if (this.database === orderDatabase && text) seen.push(text);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
    try {
      await work();
    } finally {
      spy.mockRestore();
    }
    return seen;
  }

  test('three courses: correct counts, in order, from ONE SQL query', async () => {
    const [a, b, c] = [await newCourse(5), await newCourse(5), await newCourse(5)];
    for (let i = 0; i < 3; i++) expect((await placeOrder(a!, student())).order!.status).toBe('CONFIRMED');
    expect((await placeOrder(b!, student())).order!.status).toBe('CONFIRMED');
    // Neither a failed nor a cancelled order counts.
    const cancelled = await placeOrder(b!, student());
    await orderDb.query(`UPDATE orders SET status = 'CANCELLED' WHERE id = $1`, [cancelled.order!.id]);
    await orderDb.query(
      `INSERT INTO orders (id, course_id, student_id, idempotency_key, status, price_amount, price_currency, failure_reason)
       VALUES ($1, $2, $3, 'failed-order-key', 'FAILED', 1000, 'USD', 'SOLD_OUT')`,
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
      data = await post(order.url + '/graphql', ENTITIES, { r: [randomUUID(), 'not-a-uuid', known].map((id) => ({ __typename: 'Course', id })) }, null);
    });
    expect(data._entities.map((e: { enrollmentCount: number }) => e.enrollmentCount)).toEqual([0, 0, 1]);
    expect(queries).toHaveLength(1);
    await expectSeatInvariant(known);
  });
});
