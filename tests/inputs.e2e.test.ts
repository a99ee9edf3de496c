/**
 * Inputs as they enter, through the gateway (issue 9, items 11 and 12):
 * ids in any letter case are the same id everywhere (arguments, input
 * fields, subscriptions, internal calls), and control characters in any
 * string input are a VALIDATION user error (or BAD_USER_INPUT for queries)
 * that changes nothing, never a database error.
 */
import { randomUUID } from 'node:crypto';
import {
  CancelOrderDocument,
  CourseDocument,
  OrderDocument,
  PlaceOrderDocument,
  SeatsChangedDocument,
  UpdateCoursePriceDocument,
  type PlaceOrderMutation,
} from '@coursegraph/client';
import { createCourse, expectSeatInvariant, newUser, seatState } from '@coursegraph/devkit/fixtures';
import { graphql, startStack, type Stack } from '@coursegraph/devkit/stack';
import { collect, connect } from '@coursegraph/devkit/ws';
import type { Viewer } from '@coursegraph/runtime';

let stack: Stack;

// A short per-attempt limit for the order saga's course calls, so a held course lock makes an attempt time out.
const COURSE_CALL_TIMEOUT_MS = 1_000;

beforeAll(async () => {
  stack = await startStack({ order: { courseCallTimeoutMs: COURSE_CALL_TIMEOUT_MS, courseCallDeadlineMs: 20_000 } });
});
afterAll(() => stack?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const USD = (amount = 1_000) => ({ amount, currency: 'USD' });
type Placed = PlaceOrderMutation['placeOrder'];

/** Waits until `count` sessions of the course database wait on a course row lock (SELECT ... FOR UPDATE). */
async function waitForCourseLockWaiters(count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows } = await stack.courseDb.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%WITH locked AS (SELECT * FROM course WHERE id = %FOR UPDATE%'`,
    );
    if (rows[0].n >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${count} purchase attempts wait on the course lock`);
    await sleep(50);
  }
}

/** placeOrder, repeated with the same key while the outcome is not known yet (ORDER_PENDING), up to ~30 s. */
async function placeUntilFinal(student: Viewer, courseId: string, idempotencyKey: string): Promise<Placed> {
  for (let attempt = 0; ; attempt++) {
    const response = await stack.call(PlaceOrderDocument, { input: { courseId, expectedPrice: USD(), idempotencyKey } }, student);
    const placed = response.data?.placeOrder;
    if (!placed) throw new Error(`placeOrder failed: ${JSON.stringify(response)}`);
    const pending = placed.userErrors.some((e) => (e.code as string) === 'ORDER_PENDING') || placed.order?.status === 'PENDING';
    if (!pending || attempt >= 60) return placed;
    await sleep(500);
  }
}

describe('item 11: upper-case ids are the same ids', () => {
  test('placeOrder with an upper-case course id, sent twice with the same key, answers the same order both times', async () => {
    const course = await createCourse(stack, { capacity: 3 });
    const student = newUser('STUDENT');
    const key = `upper-${randomUUID()}`;
    const first = await placeUntilFinal(student, course.id.toUpperCase(), key);
    expect(first.userErrors).toEqual([]);
    expect(first.order?.status).toBe('CONFIRMED');
    // The replay, and a replay with the id in lower case: one order, no IDEMPOTENCY_KEY_REUSED.
    for (const courseId of [course.id.toUpperCase(), course.id]) {
      const again = await placeUntilFinal(student, courseId, key);
      expect(again.userErrors).toEqual([]);
      expect(again.order?.id).toBe(first.order!.id);
    }
    expect(await expectSeatInvariant(stack, course.id)).toMatchObject({ sold: 1, held: 0, confirmedOrders: 1, pendingOrders: 0 });
  });

  test('a purchase attempt that times out behind a course lock and is retried keeps the order and sells exactly one seat', async () => {
    // One seat: the first attempt, first in the lock queue, takes it, so the retry is answered by the replay, not SOLD_OUT.
    const course = await createCourse(stack, { capacity: 1 });
    const student = newUser('STUDENT');
    const locker = await stack.courseDb.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM course WHERE id = $1 FOR UPDATE', [course.id]);
      const placing = placeUntilFinal(student, course.id.toUpperCase(), `locked-${randomUUID()}`);
      // The first purchase attempt times out while it waits on the lock and the saga retries: the retry queues behind it.
      await waitForCourseLockWaiters(2);
      await locker.query('COMMIT');
      const placed = await placing;
      expect(placed.userErrors).toEqual([]);
      expect(placed.order?.status).toBe('CONFIRMED');
    } finally {
      locker.release();
    }
    // The order stands and holds the one seat sold; no seat is left held by a vanished order.
    expect(await expectSeatInvariant(stack, course.id)).toMatchObject({ available: 0, sold: 1, held: 0, confirmedOrders: 1, pendingOrders: 0 });
  });

  test('course(id), order(id), cancelOrder and updateCoursePrice find what an upper-case id names', async () => {
    const course = await createCourse(stack, { capacity: 2 });
    const student = newUser('STUDENT');
    const placed = await placeUntilFinal(student, course.id, `cancel-${randomUUID()}`);
    const orderId = placed.order!.id;
    const found = await stack.call(CourseDocument, { id: course.id.toUpperCase() }, null);
    expect(found.data?.course?.id).toBe(course.id);
    const order = await stack.call(OrderDocument, { id: orderId.toUpperCase() }, student);
    expect(order.data?.order?.id).toBe(orderId);
    const repriced = await stack.call(
      UpdateCoursePriceDocument,
      { input: { courseId: course.id.toUpperCase(), price: USD(1_500) } },
      course.instructor,
    );
    expect(repriced.data?.updateCoursePrice).toMatchObject({ userErrors: [], course: { id: course.id, price: USD(1_500) } });
    const cancelled = await stack.call(CancelOrderDocument, { input: { orderId: orderId.toUpperCase() } }, student);
    expect(cancelled.data?.cancelOrder.userErrors).toEqual([]);
    expect(cancelled.data?.cancelOrder.order).toMatchObject({ id: orderId, status: 'CANCELLED' });
    expect(await expectSeatInvariant(stack, course.id)).toMatchObject({ sold: 0, held: 0, available: 2 });
  });

  test('seatsChanged with an upper-case course id receives the changes of that course', async () => {
    const course = await createCourse(stack, { capacity: 2 });
    const client = connect(stack.gatewayUrl);
    try {
      const events = collect(client, SeatsChangedDocument, { courseIds: [course.id.toUpperCase()] });
      const [current] = await events.until(1, 20_000);
      expect(current?.data?.seatsChanged).toMatchObject({ courseId: course.id, reason: 'CURRENT' });
      await placeUntilFinal(newUser('STUDENT'), course.id, `watch-${randomUUID()}`);
      const all = await events.until(2, 20_000);
      expect(all.slice(1).map((e) => e.data?.seatsChanged.reason)).toEqual(['PURCHASED']);
      events.unsubscribe();
    } finally {
      await client.dispose();
    }
  });
});

describe('item 12: control characters never reach PostgreSQL', () => {
  const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken user { id } userErrors { code field } } }`;
  const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { accessToken userErrors { code field } } }`;
  const REFRESH = `mutation ($input: RefreshTokenInput!) { refreshToken(input: $input) { accessToken userErrors { code field } } }`;
  const CREATE = `mutation ($input: CreateCourseInput!) { createCourse(input: $input) { course { id } userErrors { code field } } }`;
  const PLACE = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code field } } }`;
  const email = () => `nul-${randomUUID().slice(0, 8)}@example.com`;

  const snapshot = async () => ({
    users: (await stack.accountsDb.query('SELECT * FROM app_user ORDER BY id')).rows,
    tokens: (await stack.accountsDb.query('SELECT * FROM refresh_token ORDER BY id')).rows,
    courses: (await stack.courseDb.query('SELECT * FROM course ORDER BY id')).rows,
    reservations: (await stack.courseDb.query('SELECT * FROM reservation ORDER BY id')).rows,
    orders: (await stack.orderDb.query('SELECT * FROM orders ORDER BY id')).rows,
  });

  let published: string;
  beforeAll(async () => {
    published = (await createCourse(stack)).id;
  });

  type Case = [name: string, query: string, variables: () => object, viewer: () => Viewer | null, root: string, field: string];
  const cases: Case[] = [
    [
      'register: NUL in the e-mail',
      REGISTER,
      () => ({ input: { email: `a\u0000${email()}`, password: 'long-enough-password', displayName: 'N' } }),
      () => null,
      'register',
      'input.email',
    ],
    [
      'register: NUL in the password',
      REGISTER,
      () => ({ input: { email: email(), password: 'long-enough\u0000password', displayName: 'N' } }),
      () => null,
      'register',
      'input.password',
    ],
    [
      'register: an escape character in the display name',
      REGISTER,
      () => ({ input: { email: email(), password: 'long-enough-password', displayName: 'N\u001b[31m' } }),
      () => null,
      'register',
      'input.displayName',
    ],
    [
      'login: NUL in the e-mail',
      LOGIN,
      () => ({ input: { email: `${email()}\u0000`, password: 'long-enough-password' } }),
      () => null,
      'login',
      'input.email',
    ],
    ['login: NUL in the password', LOGIN, () => ({ input: { email: email(), password: 'x\u0000' } }), () => null, 'login', 'input.password'],
    [
      'login: a malformed e-mail address',
      LOGIN,
      () => ({ input: { email: 'not-an-e-mail-address', password: 'long-enough-password' } }),
      () => null,
      'login',
      'input.email',
    ],
    [
      'login: an e-mail address over 254 characters',
      LOGIN,
      () => ({ input: { email: `${'a'.repeat(60)}@${'b'.repeat(189)}.example`, password: 'long-enough-password' } }),
      () => null,
      'login',
      'input.email',
    ],
    ['refreshToken: NUL in the token', REFRESH, () => ({ input: { refreshToken: 'token\u0000' } }), () => null, 'refreshToken', 'input.refreshToken'],
    [
      'createCourse: NUL in the title',
      CREATE,
      () => ({ input: { title: 'T\u0000', price: USD(), capacity: 1 } }),
      () => newUser('INSTRUCTOR'),
      'createCourse',
      'input.title',
    ],
    [
      'createCourse: a C1 control in the description',
      CREATE,
      () => ({ input: { title: 'T', description: 'd\u0085', price: USD(), capacity: 1 } }),
      () => newUser('INSTRUCTOR'),
      'createCourse',
      'input.description',
    ],
    [
      'createCourse: NUL in the currency',
      CREATE,
      () => ({ input: { title: 'T', price: { amount: 1, currency: 'US\u0000' }, capacity: 1 } }),
      () => newUser('INSTRUCTOR'),
      'createCourse',
      'input.price.currency',
    ],
    [
      'register: a right-to-left override and an isolate in the display name',
      REGISTER,
      () => ({ input: { email: email(), password: 'long-enough-password', displayName: 'Admin\u202e\u2066' } }),
      () => null,
      'register',
      'input.displayName',
    ],
    [
      'createCourse: a right-to-left override in the title',
      CREATE,
      () => ({ input: { title: 'Free \u202egnissap', price: USD(), capacity: 1 } }),
      () => newUser('INSTRUCTOR'),
      'createCourse',
      'input.title',
    ],
    [
      'createCourse: a line separator (U+2028) in the title',
      CREATE,
      () => ({ input: { title: 'Line\u2028break', price: USD(), capacity: 1 } }),
      () => newUser('INSTRUCTOR'),
      'createCourse',
      'input.title',
    ],
    [
      'createCourse: a byte order mark in the title',
      CREATE,
      () => ({ input: { title: '\ufeffTitle', price: USD(), capacity: 1 } }),
      () => newUser('INSTRUCTOR'),
      'createCourse',
      'input.title',
    ],
    [
      'createCourse: the noncharacter U+FFFF in the description',
      CREATE,
      () => ({ input: { title: 'T', description: 'd\uffff', price: USD(), capacity: 1 } }),
      () => newUser('INSTRUCTOR'),
      'createCourse',
      'input.description',
    ],
    [
      'placeOrder: NUL in the idempotency key',
      PLACE,
      () => ({ input: { courseId: published, expectedPrice: USD(), idempotencyKey: 'key-\u0000-12345' } }),
      () => newUser('STUDENT'),
      'placeOrder',
      'input.idempotencyKey',
    ],
    [
      'placeOrder: NUL in the course id',
      PLACE,
      () => ({ input: { courseId: `${published}\u0000`, expectedPrice: USD(), idempotencyKey: `k-${randomUUID()}` } }),
      () => newUser('STUDENT'),
      'placeOrder',
      'input.courseId',
    ],
  ];

  test.each(cases)('%s: VALIDATION on the field, nothing stored', async (_name, query, variables, viewer, root, field) => {
    const before = await snapshot();
    const as = viewer();
    const response = await graphql<Record<string, { userErrors: { code: string; field: string }[] }>, object>(
      stack.gatewayUrl,
      query,
      variables(),
      as ? { authorization: `Bearer ${stack.token(as)}` } : {},
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.[root]?.userErrors).toEqual([{ code: 'VALIDATION', field }]);
    expect(await snapshot()).toEqual(before);
  });

  test('text in every script, with emoji sequences, bidi marks, soft hyphens and combining marks, is stored as sent', async () => {
    const displayName = 'Zoë 👩🏽‍💻 עברית\u200f العربية 中文 co\u00adop n\u0303';
    const registered = await graphql<{ register: { user: { id: string } | null; userErrors: unknown[] } }, object>(stack.gatewayUrl, REGISTER, {
      input: { email: email(), password: 'long-enough-password', displayName },
    });
    expect(registered.data?.register.userErrors).toEqual([]);
    const stored = await stack.accountsDb.query('SELECT display_name FROM app_user WHERE id = $1', [registered.data?.register.user?.id]);
    expect(stored.rows[0]?.display_name).toBe(displayName);
    const description = 'First line\u2028second\u2029third \u200e👨‍👩‍👧';
    const created = await graphql<{ createCourse: { course: { id: string } | null; userErrors: unknown[] } }, object>(
      stack.gatewayUrl,
      CREATE,
      { input: { title: '日本語のコース — العربية', description, price: USD(), capacity: 1 } },
      { authorization: `Bearer ${stack.token(newUser('INSTRUCTOR'))}` },
    );
    expect(created.data?.createCourse.userErrors).toEqual([]);
    const course = await stack.courseDb.query('SELECT description FROM course WHERE id = $1', [created.data?.createCourse.course?.id]);
    expect(course.rows[0]?.description).toBe(description);
  });

  test('a query argument with a control character is BAD_USER_INPUT', async () => {
    const response = await graphql(stack.gatewayUrl, 'query ($after: String) { courses(first: 1, after: $after) { edges { cursor } } }', {
      after: 'abc\u0000',
    });
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  test('the seat invariant holds for the course the cases aimed at', async () => {
    expect(await seatState(stack, published)).toMatchObject({ held: 0, sold: 0 });
    await expectSeatInvariant(stack, published);
  });
});
