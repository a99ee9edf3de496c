/**
 * The reconciler next to live sagas and to other reconcilers (issue 10):
 * it leaves orders younger than its threshold alone, two instances never
 * both process one order (the claim's FOR UPDATE SKIP LOCKED, then its
 * lease), every order change is guarded by the expected previous status,
 * one order that cannot be finished does not hold the others back, and the
 * periodic reconciler a server starts finishes stuck orders by itself.
 * The course subgraph sits behind the fault proxy, so the reconciler's
 * calls are counted per order.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import {
  IDENTITY_HEADER,
  openDatabase,
  SERVICE_HEADER,
  serviceCredentialSource,
  signIdentity,
  type Logger,
  type RunningServer,
  type Viewer,
} from '@coursegraph/runtime';
import { createTestDatabases, type TestDatabases } from '@coursegraph/devkit/databases';
import { expectCourseInvariant } from '@coursegraph/devkit/invariant';
import { SECRETS, testConfig } from '@coursegraph/devkit/stack';
import { startCourseSubgraph } from '@coursegraph/course';
import { startOrderSubgraph } from '../src/server';
import { createOrderDataSource } from '../src/data-source';
import { createCourseClient, type CourseClient } from '../src/course-client';
import { reconcileOnce } from '../src/reconciler';
import { claimUnfinished, insertPendingOrder, removePendingOrder, transition } from '../src/orders';
import { Order, type FailureReason, type OrderStatus } from '../src/entities/order';
import { FaultProxy } from '@coursegraph/devkit/fault-proxy';

const TIMEOUT_MS = 1_000;
const DEADLINE_MS = 3_000;
const COMPENSATION_MS = 1_500;
/** The threshold the reconciler is run with here: far longer than any saga in this file takes. */
const THRESHOLD_SECONDS = 30;
const price = { amount: 1_000, currency: 'USD' };

let databases: TestDatabases;
let course: RunningServer;
let order: RunningServer;
let proxy: FaultProxy;
let courseDb: Client;
let orderDb: Client;
let orderDataSource: DataSource;
/** The reconciler's view of the course subgraph: through the proxy, so its calls are seen. */
let courseClient: CourseClient;
/** The test's own, direct line to the course subgraph, for setting up reservations unseen by the proxy. */
let direct: CourseClient;

beforeAll(async () => {
  databases = await createTestDatabases('course', 'order');
  proxy = new FaultProxy();
  await proxy.start();
  // The sweeper runs, so a hold past its expiry really ends EXPIRED.
  course = await startCourseSubgraph(testConfig.course(databases.urls.course!, { sweepIntervalSeconds: 1 }));
  proxy.target = `${course.url}/graphql`;
  // Its sagas wait 3 s for a lost answer: a wide window for the reconciler to run beside one still at work.
  order = await startOrderSubgraph(
    testConfig.order(databases.urls.order!, proxy.url, {
      courseCallTimeoutMs: 3 * TIMEOUT_MS,
      courseCallDeadlineMs: 2 * DEADLINE_MS,
      compensationDeadlineMs: COMPENSATION_MS,
    }),
  );
  courseDb = new Client({ connectionString: databases.urls.course });
  orderDb = new Client({ connectionString: databases.urls.order });
  await Promise.all([courseDb.connect(), orderDb.connect()]);
  orderDataSource = await openDatabase(createOrderDataSource(databases.urls.order!, 4), false);
  courseClient = createCourseClient({ url: proxy.url, serviceSecret: SECRETS.serviceSecret, timeoutMs: TIMEOUT_MS, deadlineMs: DEADLINE_MS });
  direct = createCourseClient({ url: `${course.url}/graphql`, serviceSecret: SECRETS.serviceSecret, timeoutMs: TIMEOUT_MS, deadlineMs: DEADLINE_MS });
});

afterAll(async () => {
  courseClient?.close();
  direct?.close();
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

async function post(url: string, query: string, variables: object, as: Viewer) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, as) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

async function newCourse(capacity = 3): Promise<string> {
  const created = await post(
    `${course.url}/graphql`,
    'mutation($input: CreateCourseInput!) { createCourse(input: $input) { course { id } } }',
    { input: { title: 'Reconciler under test', price, capacity } },
    instructor,
  );
  const id = created.createCourse.course.id as string;
  await post(`${course.url}/graphql`, 'mutation($id: ID!) { publishCourse(input: { courseId: $id }) { course { status } } }', { id }, instructor);
  return id;
}

async function placeOrder(courseId: string, buyer: Viewer) {
  const data = await post(
    `${order.url}/graphql`,
    'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status failureReason } userErrors { code } } }',
    { input: { courseId, expectedPrice: price, idempotencyKey: `key-${randomUUID()}` } },
    buyer,
  );
  return data.placeOrder as { order: { id: string; status: string; failureReason: string | null } | null; userErrors: { code: string }[] };
}

type Seat = 'none' | 'held' | 'sold' | 'expired';

/**
 * Holds a seat with the course subgraph's reserveSeat (its hold API, which the
 * saga does not use: it buys at once), as the order subgraph would call it;
 * returns the reservation's status.
 */
async function holdSeat(input: { courseId: string; expectedPrice: typeof price; key: string; holderId: string }): Promise<string | undefined> {
  const response = await fetch(`${course.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SERVICE_HEADER]: serviceCredentialSource(SECRETS.serviceSecret, 'order')() },
    body: JSON.stringify({
      query: 'mutation ($input: ReserveSeatInput!) { reserveSeat(input: $input) { reservation { status } } }',
      variables: { input },
    }),
  });
  const body = (await response.json()) as { data?: { reserveSeat: { reservation: { status: string } | null } } };
  return body.data?.reserveSeat.reservation?.status;
}

/**
 * An order as a saga that died left it, `ageSeconds` untouched: PENDING (the
 * purchase never finished) or CANCELLING (`failureReason` null: a student's
 * cancellation; set: a purchase being given up), with its reservation in the
 * course subgraph as `seat` says. Made without the proxy seeing it.
 */
async function stuckOrder(
  courseId: string,
  status: 'PENDING' | 'CANCELLING',
  seat: Seat,
  failureReason: FailureReason | null,
  ageSeconds: number,
): Promise<Order> {
  let row = (await insertPendingOrder(orderDataSource, {
    courseId,
    studentId: randomUUID(),
    idempotencyKey: `key-${randomUUID()}`,
    priceAmount: price.amount,
    priceCurrency: price.currency,
  }))!;
  const request = { courseId, expectedPrice: price, key: row.id, holderId: row.studentId };
  if (seat === 'sold') expect((await direct.purchaseSeat(request)).reservation?.status).toBe('CONFIRMED');
  if (seat === 'held' || seat === 'expired') expect(await holdSeat(request)).toBe('PENDING');
  if (seat === 'expired') {
    await courseDb.query(`UPDATE reservation SET expires_at = now() - interval '1 second' WHERE key = $1`, [row.id]);
    await waitFor(async () => (await reservationStatus(row.id)) === 'EXPIRED');
  }
  if (status === 'CANCELLING') {
    if (failureReason === null) row = await transition(orderDataSource.manager, row, 'PENDING', 'CONFIRMED');
    row = await transition(orderDataSource.manager, row, row.status, 'CANCELLING', failureReason);
    expect(row.status).toBe('CANCELLING');
  }
  await orderDb.query(`UPDATE orders SET updated_at = now() - make_interval(secs => $2) WHERE id = $1`, [row.id, ageSeconds]);
  return row;
}

async function orderRow(id: string): Promise<{ status: OrderStatus; failure_reason: string | null; updated_at: Date } | undefined> {
  return (await orderDb.query('SELECT status, failure_reason, updated_at FROM orders WHERE id = $1', [id])).rows[0];
}

async function reservationStatus(key: string): Promise<string | null> {
  return (await courseDb.query('SELECT status FROM reservation WHERE key = $1', [key])).rows[0]?.status ?? null;
}

/** The reconciler's (or saga's) calls to the course subgraph about one order, by operation. */
const callsFor = (key: string) => proxy.events.filter((e) => e.variables?.key === key || e.variables?.input?.key === key).map((e) => e.operation);

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Counters add up and match the reservations, and sold seats match CONFIRMED orders. */
async function expectSeatInvariant(courseId: string) {
  const state = await expectCourseInvariant(courseDb, courseId);
  const confirmed = await orderDb.query(`SELECT count(*)::int AS n FROM orders WHERE course_id = $1 AND status = 'CONFIRMED'`, [courseId]);
  expect(state.sold).toBe(confirmed.rows[0].n);
  return state;
}

describe('the reconciler next to live sagas', () => {
  test('it leaves an order younger than its threshold alone (its saga is still at work) and finishes the older one', async () => {
    const courseId = await newCourse(2);
    // An order stuck for two minutes: its saga died with the seat held.
    const stale = await stuckOrder(courseId, 'PENDING', 'held', null, 120);
    // A live saga: its first purchase never reaches the course, so it is PENDING for one attempt's timeout (3 s).
    proxy.rule = (operation, n) => (operation === 'Purchase' && n === 0 ? 'withhold-request' : 'pass');
    const buyer = student();
    const placing = placeOrder(courseId, buyer);
    await waitFor(async () => proxy.count('Purchase') > 0);
    const live = (await orderDb.query('SELECT id FROM orders WHERE student_id = $1', [buyer.userId])).rows[0].id as string;
    const before = await orderRow(live);
    expect(before?.status).toBe('PENDING');

    // Operators follow each finished order in the log: which order, from which status to which.
    const logged: { msg: string; fields?: Record<string, unknown> }[] = [];
    const log: Logger = { debug: () => {}, info: (msg, fields) => logged.push({ msg, fields }), warn: () => {}, error: () => {} };
    expect(await reconcileOnce(orderDataSource, courseClient, THRESHOLD_SECONDS, undefined, log)).toBe(1);
    expect(logged).toEqual([{ msg: 'order reconciled', fields: { orderId: stale.id, from: 'PENDING', to: 'FAILED' } }]);
    expect(await orderRow(stale.id)).toMatchObject({ status: 'FAILED', failure_reason: 'ABANDONED' });
    expect(callsFor(stale.id)).toEqual(['Find', 'Cancel']);
    // The live order was not even looked at, nor leased.
    expect(callsFor(live)).toEqual(['Purchase']);
    expect(await orderRow(live)).toEqual(before);

    expect(await placing).toMatchObject({ order: { id: live, status: 'CONFIRMED' }, userErrors: [] });
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 1, held: 0, sold: 1 });
  });
});

/**
 * A DataSource whose `query` (the reconciler's claim) runs in a transaction
 * that stays open until `commit()`: a reconciler caught between claiming its
 * orders and committing the claim. `claimed` resolves once the claim ran.
 */
function claimHeldOpen(dataSource: DataSource) {
  let commit!: () => void;
  const gate = new Promise<void>((resolve) => (commit = resolve));
  let signal!: () => void;
  const claimed = new Promise<void>((resolve) => (signal = resolve));
  const held = new Proxy(dataSource, {
    get(target, property) {
      if (property === 'query') {
        return async (sql: string, parameters: unknown[]) => {
          const runner = target.createQueryRunner();
          await runner.connect();
          await runner.startTransaction();
          try {
            const result: unknown = await runner.query(sql, parameters);
            signal();
            await gate;
            await runner.commitTransaction();
            return result;
          } finally {
            await runner.release();
          }
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { dataSource: held, claimed, commit };
}

/** Resolves once some statement on the order database waits for a lock (a reconciler's claim queued behind another's); `stop()` ends the watch. */
function watchForLockWait() {
  let stopped = false;
  const seen = (async () => {
    while (!stopped) {
      const { rows } = await orderDb.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (rows[0].n > 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  })();
  return { seen, stop: () => void (stopped = true) };
}

describe('two reconcilers at once', () => {
  test('a second reconciler skips the orders another one has claimed (without waiting) and each order is processed once', async () => {
    const courseId = await newCourse(3);
    const stuck = [
      await stuckOrder(courseId, 'PENDING', 'held', null, 120),
      await stuckOrder(courseId, 'PENDING', 'sold', null, 120),
      await stuckOrder(courseId, 'CANCELLING', 'sold', null, 120),
    ];
    const first = claimHeldOpen(orderDataSource);
    const running = reconcileOnce(first.dataSource, courseClient, THRESHOLD_SECONDS);
    await first.claimed;

    // The second runs while the first's claim is still open: it must pass the locked rows by, not queue on them.
    const watch = watchForLockWait();
    const second = reconcileOnce(orderDataSource, courseClient, THRESHOLD_SECONDS);
    const outcome = await Promise.race([second.then((claimed) => ({ claimed })), watch.seen.then((blocked) => ({ blocked }))]);
    watch.stop();
    await watch.seen;
    first.commit();
    expect(outcome).toEqual({ claimed: 0 });
    expect(await running).toBe(3);
    await second;

    // One Find per order, and one Cancel for each that had a seat to give back: nobody processed an order twice.
    expect(stuck.map((o) => callsFor(o.id))).toEqual([['Find', 'Cancel'], ['Find'], ['Cancel']]);
    const statuses = [];
    for (const o of stuck) statuses.push((await orderRow(o.id))?.status);
    expect(statuses).toEqual(['FAILED', 'CONFIRMED', 'CANCELLED']);
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 2, held: 0, sold: 1 });
  });

  test('a claim is a lease, oldest first: while the first reconciler works on an order, another leaves it alone until the threshold passed again', async () => {
    const courseId = await newCourse(2);
    const older = await stuckOrder(courseId, 'PENDING', 'held', null, 300);
    const newer = await stuckOrder(courseId, 'PENDING', 'held', null, 120);
    // One at a time, the longest stuck first.
    expect((await claimUnfinished(orderDataSource, THRESHOLD_SECONDS, 1)).map((o) => o.id)).toEqual([older.id]);
    expect((await claimUnfinished(orderDataSource, THRESHOLD_SECONDS, 1)).map((o) => o.id)).toEqual([newer.id]);
    // Not finished yet (their reconcilers are still asking the course), but leased.
    expect((await orderRow(older.id))?.status).toBe('PENDING');
    expect(await claimUnfinished(orderDataSource, THRESHOLD_SECONDS, 50)).toEqual([]);
    expect(await reconcileOnce(orderDataSource, courseClient, THRESHOLD_SECONDS)).toBe(0);
    expect(proxy.events).toEqual([]);
    // Once the lease ran out (here: a threshold of 0), the orders are taken again and finished.
    expect(await reconcileOnce(orderDataSource, courseClient, 0)).toBe(2);
    for (const stuck of [older, newer]) expect(await orderRow(stuck.id)).toMatchObject({ status: 'FAILED', failure_reason: 'ABANDONED' });
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 2, held: 0, sold: 0 });
  });
});

describe('every order change is guarded by the status it expects', () => {
  test('a transition from a status the order is no longer in changes nothing and returns the order as it is', async () => {
    const courseId = await newCourse(1);
    const placed = await placeOrder(courseId, student());
    expect(placed.order?.status).toBe('CONFIRMED');
    const id = placed.order!.id;
    const before = await orderRow(id);
    // What a reconciler or a saga still holding the PENDING order it started with would try.
    const stale = await orderDataSource.getRepository(Order).findOneByOrFail({ id });
    const asPending = { ...stale, status: 'PENDING' } as Order;
    for (const [from, to, reason] of [
      ['PENDING', 'FAILED', 'ABANDONED'],
      ['PENDING', 'CANCELLING', 'UNAVAILABLE'],
      ['CANCELLING', 'CANCELLED', null],
    ] as [OrderStatus, OrderStatus, FailureReason | null][]) {
      const now = await transition(orderDataSource.manager, asPending, from, to, reason);
      expect(now).toMatchObject({ id, status: 'CONFIRMED', failureReason: null });
    }
    // Nor may the removal of a refused order remove anything but a PENDING one.
    await removePendingOrder(orderDataSource, asPending);
    expect(await orderRow(id)).toEqual(before);
  });
});

describe('one order that cannot be finished does not hold back the others', () => {
  test('its course call fails: the others in the pass are finished, the pass reports the failure, and a later pass finishes it', async () => {
    const courseId = await newCourse(2);
    const blocked = await stuckOrder(courseId, 'PENDING', 'held', null, 120);
    const other = await stuckOrder(courseId, 'PENDING', 'held', null, 120);
    proxy.rule = (_operation, _n, variables) => (variables?.key === blocked.id ? 'refuse' : 'pass');
    await expect(reconcileOnce(orderDataSource, courseClient, THRESHOLD_SECONDS)).rejects.toThrow('1 of 2 unfinished orders could not be finished');
    expect(await orderRow(other.id)).toMatchObject({ status: 'FAILED', failure_reason: 'ABANDONED' });
    expect((await orderRow(blocked.id))?.status).toBe('PENDING');
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 1, held: 1 });

    proxy.heal();
    expect(await reconcileOnce(orderDataSource, courseClient, 0)).toBe(1);
    expect(await orderRow(blocked.id)).toMatchObject({ status: 'FAILED', failure_reason: 'ABANDONED' });
    expect(await expectSeatInvariant(courseId)).toMatchObject({ available: 2, held: 0, sold: 0 });
  });
});

describe('the periodic reconciler a server starts', () => {
  test('started by the order subgraph (RECONCILE_INTERVAL_SECONDS=1), it finishes every kind of stuck order by itself', async () => {
    const courseId = await newCourse(6);
    // Stuck as their sagas left them, only just: the reconciler takes each once it is 2 s old.
    const cases: [Order, OrderStatus, string | null, string | null][] = [
      [await stuckOrder(courseId, 'PENDING', 'none', null, 0), 'FAILED', 'ABANDONED', null],
      [await stuckOrder(courseId, 'PENDING', 'held', null, 0), 'FAILED', 'ABANDONED', 'CANCELLED'],
      [await stuckOrder(courseId, 'PENDING', 'sold', null, 0), 'CONFIRMED', null, 'CONFIRMED'],
      [await stuckOrder(courseId, 'PENDING', 'expired', null, 0), 'FAILED', 'ABANDONED', 'EXPIRED'],
      [await stuckOrder(courseId, 'CANCELLING', 'sold', null, 0), 'CANCELLED', null, 'CANCELLED'],
      [await stuckOrder(courseId, 'CANCELLING', 'expired', 'UNAVAILABLE', 0), 'FAILED', 'UNAVAILABLE', 'EXPIRED'],
    ];
    const periodic = await startOrderSubgraph(
      testConfig.order(databases.urls.order!, proxy.url, {
        courseCallTimeoutMs: TIMEOUT_MS,
        courseCallDeadlineMs: DEADLINE_MS,
        compensationDeadlineMs: COMPENSATION_MS,
        reconcileAfterSeconds: 2,
        reconcileIntervalSeconds: 1,
      }),
    );
    try {
      const ids = cases.map(([o]) => o.id);
      await waitFor(async () => {
        const { rows } = await orderDb.query(`SELECT count(*)::int AS n FROM orders WHERE id = ANY($1) AND status IN ('PENDING', 'CANCELLING')`, [
          ids,
        ]);
        return rows[0].n === 0;
      }, 30_000);
    } finally {
      await periodic.stop();
    }
    for (const [stuck, status, reason, reservation] of cases) {
      expect({ id: stuck.id, ...(await orderRow(stuck.id)), reservation: await reservationStatus(stuck.id) }).toEqual({
        id: stuck.id,
        status,
        failure_reason: reason,
        updated_at: expect.any(Date),
        reservation,
      });
    }
    expect(await expectSeatInvariant(courseId)).toMatchObject({ capacity: 6, available: 5, held: 0, sold: 1 });
  });
});
