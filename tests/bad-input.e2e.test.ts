/**
 * Bad input through the gateway, over HTTP: every case must get a clear,
 * typed error (a userError with the right code and field, or a GraphQL error
 * with a client-facing extensions.code), leak nothing internal, and change
 * nothing in either database.
 */
import { randomUUID } from 'node:crypto';
import { print, type DocumentNode } from 'graphql';
import type { Viewer } from '@coursegraph/runtime';
import {
  ArchiveCourseDocument,
  CancelOrderDocument,
  CatalogDocument,
  CourseDocument,
  CreateCourseDocument,
  OrderDocument,
  PlaceOrderDocument,
  PublishCourseDocument,
  UpdateCourseCapacityDocument,
  UpdateCoursePriceDocument,
} from '@coursegraph/client';
import { createCourse, expectSeatInvariant, newUser } from '@coursegraph/devkit/fixtures';
import { expectCourseInvariant } from '@coursegraph/devkit/invariant';
import { bearer, startStack, type Stack } from '@coursegraph/devkit/stack';

let stack: Stack;

/** What the cases act on, made once in beforeAll. */
interface Fixtures {
  owner: Viewer;
  otherInstructor: Viewer;
  studentA: Viewer;
  studentB: Viewer;
  admin: Viewer;
  /** Published, capacity 10, USD 10.00, owned by `owner`; studentA holds a confirmed order of it. */
  published: string;
  draft: string;
  archived: string;
  /** Capacity 4: 2 sold, 1 held by a pending reservation, 1 available. */
  busy: string;
  /** studentA's confirmed order of `published`. */
  orderOfA: string;
}
let fx: Fixtures;

// ---------------------------------------------------------------------------
// Raw HTTP, so that bodies JSON.stringify cannot produce (1e999) can be sent
// and the exact response text can be searched for leaks.

/** A variable value written verbatim into the JSON body, e.g. raw('1e999'). */
const RAW = '@@raw@@';
const raw = (json: string) => `${RAW}${json}${RAW}`;

interface RawResponse {
  status: number;
  text: string;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
    extensions?: unknown;
  };
}

async function send(
  document: DocumentNode | string,
  variables: object,
  viewer: Viewer | null,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const query = typeof document === 'string' ? document : print(document);
  const json = JSON.stringify({ query, variables }).replace(new RegExp(`"${RAW}(.*?)${RAW}"`, 'g'), '$1');
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(viewer ? bearer(stack.token(viewer)) : {}), ...headers },
    body: json,
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as RawResponse['body'] };
}

/** Nothing internal in a response: no stack, no ORM or SQL text, no file paths, no internal extensions. */
function expectNothingInternal(response: RawResponse): void {
  const { text, body } = response;
  expect(text).not.toMatch(/stacktrace/i);
  expect(text).not.toMatch(/QueryFailedError|TypeORM|EntityNotFound|node_modules|\.ts:\d+|\.js:\d+/);
  expect(text).not.toMatch(/\\n\s*at |\bat \S+ \(.*:\d+:\d+\)/); // stack lines
  expect(text).not.toMatch(/\b(SELECT\s.+\sFROM|INSERT INTO|UPDATE "?\w+"? SET|DELETE FROM)\b/i);
  expect(text).not.toMatch(/relation "|violates|syntax error at|duplicate key|invalid input syntax|column "/i);
  expect(text).not.toMatch(/Internal server error|INTERNAL_SERVER_ERROR|INVALID_GRAPHQL/);
  // Response-level extensions (e.g. the gateway's valueCompletion) are internal diagnostics.
  expect(body.extensions).toBeUndefined();
  // An error says what went wrong and which request it was (to match a report with the logs), nothing more.
  for (const error of body.errors ?? []) expect(Object.keys(error.extensions ?? {}).sort()).toEqual(['code', 'requestId']);
  expect(response.status).toBeLessThan(500);
}

// ---------------------------------------------------------------------------
// Database snapshots: every row of every table of both subgraphs.

interface Snapshot {
  courses: Record<string, unknown>[];
  reservations: Record<string, unknown>[];
  orders: Record<string, unknown>[];
  seatTotals: Record<string, unknown>;
}

async function snapshot(): Promise<Snapshot> {
  const [courses, reservations, orders, seatTotals] = await Promise.all([
    stack.courseDb.query('SELECT * FROM course ORDER BY id'),
    stack.courseDb.query('SELECT * FROM reservation ORDER BY id'),
    stack.orderDb.query('SELECT * FROM orders ORDER BY id'),
    stack.courseDb.query(
      `SELECT count(*)::int AS courses, sum(capacity)::int AS capacity, sum(seats_available)::int AS available,
              sum(seats_held)::int AS held, sum(seats_sold)::int AS sold, sum(seats_version)::int AS versions
         FROM course`,
    ),
  ]);
  return { courses: courses.rows, reservations: reservations.rows, orders: orders.rows, seatTotals: seatTotals.rows[0] };
}

// ---------------------------------------------------------------------------
// The cases.

type Expected =
  /** A payload with exactly this userError and no result entity. */
  | { userError: { code: string; field: string | null } }
  /** GraphQL errors, all with this extensions.code, and no data for the field. */
  | { error: 'BAD_USER_INPUT' | 'GRAPHQL_VALIDATION_FAILED' | 'UNAUTHENTICATED' | 'FORBIDDEN' }
  /** A query answering "no such thing": null, no error. */
  | { nothing: true };

interface Case {
  name: string;
  document: DocumentNode;
  /** The operation's root field, e.g. createCourse. */
  root: string;
  variables: (f: Fixtures) => object;
  viewer: (f: Fixtures) => Viewer | null;
  expected: Expected;
}

const userError = (code: string, field: string | null): Expected => ({ userError: { code, field } });
const error = (code: 'BAD_USER_INPUT' | 'GRAPHQL_VALIDATION_FAILED' | 'UNAUTHENTICATED' | 'FORBIDDEN'): Expected => ({ error: code });

const USD = (amount: unknown) => ({ amount, currency: 'USD' });
const goodCourseInput = { title: 'A fine course', description: 'Fine.', price: USD(1_000), capacity: 10 };
const goodKey = () => `key-${randomUUID()}`;
const MALFORMED_IDS: [string, string][] = [
  ['"abc"', 'abc'],
  ['an SQL injection', "' OR 1=1 --"],
  ['empty', ''],
];
const UNKNOWN_ID = randomUUID();

/** Bad prices: [label, value for amount or whole money, expected]. `field` is the money input's path. */
const badPrices = (field: string): [string, object, Expected][] => [
  ['negative amount', USD(-1), userError('VALIDATION', `${field}.amount`)],
  ['fractional amount 1.5', USD(1.5), error('BAD_USER_INPUT')],
  ['"NaN" amount', USD('NaN'), error('BAD_USER_INPUT')],
  ['Infinity amount (1e999 in the raw body)', USD(raw('1e999')), error('BAD_USER_INPUT')],
  ['-Infinity amount (-1e999 in the raw body)', USD(raw('-1e999')), error('BAD_USER_INPUT')],
  ['amount 2147483648 (beyond Int)', USD(2_147_483_648), error('BAD_USER_INPUT')],
  ['amount 100000001 (beyond the maximum)', USD(100_000_001), userError('VALIDATION', `${field}.amount`)],
  ['currency "usd"', { amount: 1_000, currency: 'usd' }, userError('VALIDATION', `${field}.currency`)],
  ['currency "US"', { amount: 1_000, currency: 'US' }, userError('VALIDATION', `${field}.currency`)],
  ['currency "EURO"', { amount: 1_000, currency: 'EURO' }, userError('VALIDATION', `${field}.currency`)],
];

const badCapacities: [string, unknown, Expected][] = [
  ['zero', 0, userError('VALIDATION', 'input.capacity')],
  ['negative', -1, userError('VALIDATION', 'input.capacity')],
  ['2.5', 2.5, error('BAD_USER_INPUT')],
  ['100001', 100_001, userError('VALIDATION', 'input.capacity')],
];

const cases: Case[] = [
  // Prices, wherever money is input.
  ...badPrices('input.price').map(([label, price, expected]): Case => ({
    name: `createCourse: price ${label}`,
    document: CreateCourseDocument,
    root: 'createCourse',
    variables: () => ({ input: { ...goodCourseInput, price } }),
    viewer: (f) => f.owner,
    expected,
  })),
  ...badPrices('input.price').map(([label, price, expected]): Case => ({
    name: `updateCoursePrice: price ${label}`,
    document: UpdateCoursePriceDocument,
    root: 'updateCoursePrice',
    variables: (f) => ({ input: { courseId: f.published, price } }),
    viewer: (f) => f.owner,
    expected,
  })),
  ...badPrices('input.expectedPrice').map(([label, price, expected]): Case => ({
    name: `placeOrder: expectedPrice ${label}`,
    document: PlaceOrderDocument,
    root: 'placeOrder',
    variables: (f) => ({ input: { courseId: f.published, expectedPrice: price, idempotencyKey: goodKey() } }),
    viewer: (f) => f.studentB,
    expected,
  })),

  // Capacity.
  ...badCapacities.map(([label, capacity, expected]): Case => ({
    name: `createCourse: capacity ${label}`,
    document: CreateCourseDocument,
    root: 'createCourse',
    variables: () => ({ input: { ...goodCourseInput, capacity } }),
    viewer: (f) => f.owner,
    expected,
  })),
  ...badCapacities.map(([label, capacity, expected]): Case => ({
    name: `updateCourseCapacity: capacity ${label}`,
    document: UpdateCourseCapacityDocument,
    root: 'updateCourseCapacity',
    variables: (f) => ({ input: { courseId: f.published, capacity } }),
    viewer: (f) => f.owner,
    expected,
  })),
  {
    name: 'updateCourseCapacity: below the seats sold',
    document: UpdateCourseCapacityDocument,
    root: 'updateCourseCapacity',
    variables: (f) => ({ input: { courseId: f.busy, capacity: 1 } }),
    viewer: (f) => f.owner,
    expected: userError('CAPACITY_BELOW_TAKEN', 'input.capacity'),
  },
  {
    name: 'updateCourseCapacity: below the seats sold plus held',
    document: UpdateCourseCapacityDocument,
    root: 'updateCourseCapacity',
    variables: (f) => ({ input: { courseId: f.busy, capacity: 2 } }),
    viewer: (f) => f.owner,
    expected: userError('CAPACITY_BELOW_TAKEN', 'input.capacity'),
  },

  // Title and description.
  ...(
    [
      ['empty', ''],
      ['whitespace only', ' \t\n  '],
      ['201 characters', 'x'.repeat(201)],
    ] as const
  ).map(([label, title]): Case => ({
    name: `createCourse: title ${label}`,
    document: CreateCourseDocument,
    root: 'createCourse',
    variables: () => ({ input: { ...goodCourseInput, title } }),
    viewer: (f) => f.owner,
    expected: userError('VALIDATION', 'input.title'),
  })),
  {
    name: 'createCourse: description 5001 characters',
    document: CreateCourseDocument,
    root: 'createCourse',
    variables: () => ({ input: { ...goodCourseInput, description: 'd'.repeat(5_001) } }),
    viewer: (f) => f.owner,
    expected: userError('VALIDATION', 'input.description'),
  },

  // Malformed ids.
  ...MALFORMED_IDS.flatMap(([label, id]): Case[] => [
    {
      name: `course(id): malformed id ${label}`,
      document: CourseDocument,
      root: 'course',
      variables: () => ({ id }),
      viewer: (f) => f.owner,
      expected: error('BAD_USER_INPUT'),
    },
    {
      name: `updateCoursePrice: malformed id ${label}`,
      document: UpdateCoursePriceDocument,
      root: 'updateCoursePrice',
      variables: () => ({ input: { courseId: id, price: USD(1_000) } }),
      viewer: (f) => f.owner,
      expected: userError('VALIDATION', 'input.courseId'),
    },
    {
      name: `updateCourseCapacity: malformed id ${label}`,
      document: UpdateCourseCapacityDocument,
      root: 'updateCourseCapacity',
      variables: () => ({ input: { courseId: id, capacity: 5 } }),
      viewer: (f) => f.owner,
      expected: userError('VALIDATION', 'input.courseId'),
    },
    {
      name: `publishCourse: malformed id ${label}`,
      document: PublishCourseDocument,
      root: 'publishCourse',
      variables: () => ({ input: { courseId: id } }),
      viewer: (f) => f.owner,
      expected: userError('VALIDATION', 'input.courseId'),
    },
    {
      name: `archiveCourse: malformed id ${label}`,
      document: ArchiveCourseDocument,
      root: 'archiveCourse',
      variables: () => ({ input: { courseId: id } }),
      viewer: (f) => f.owner,
      expected: userError('VALIDATION', 'input.courseId'),
    },
    {
      name: `placeOrder: malformed course id ${label}`,
      document: PlaceOrderDocument,
      root: 'placeOrder',
      variables: () => ({ input: { courseId: id, expectedPrice: USD(1_000), idempotencyKey: goodKey() } }),
      viewer: (f) => f.studentB,
      expected: userError('VALIDATION', 'input.courseId'),
    },
    {
      name: `cancelOrder: malformed order id ${label}`,
      document: CancelOrderDocument,
      root: 'cancelOrder',
      variables: () => ({ input: { orderId: id } }),
      viewer: (f) => f.studentA,
      expected: userError('VALIDATION', 'input.orderId'),
    },
    {
      name: `order(id): malformed id ${label}`,
      document: OrderDocument,
      root: 'order',
      variables: () => ({ id }),
      viewer: (f) => f.studentA,
      expected: error('BAD_USER_INPUT'),
    },
  ]),

  // Unknown, well-formed ids.
  {
    name: 'course(id): unknown uuid is null',
    document: CourseDocument,
    root: 'course',
    variables: () => ({ id: UNKNOWN_ID }),
    viewer: (f) => f.owner,
    expected: { nothing: true },
  },
  {
    name: 'updateCoursePrice: unknown course',
    document: UpdateCoursePriceDocument,
    root: 'updateCoursePrice',
    variables: () => ({ input: { courseId: UNKNOWN_ID, price: USD(1_000) } }),
    viewer: (f) => f.owner,
    expected: userError('NOT_FOUND', 'input.courseId'),
  },
  {
    name: 'publishCourse: unknown course',
    document: PublishCourseDocument,
    root: 'publishCourse',
    variables: () => ({ input: { courseId: UNKNOWN_ID } }),
    viewer: (f) => f.owner,
    expected: userError('NOT_FOUND', 'input.courseId'),
  },
  {
    name: 'placeOrder: unknown course',
    document: PlaceOrderDocument,
    root: 'placeOrder',
    variables: () => ({ input: { courseId: UNKNOWN_ID, expectedPrice: USD(1_000), idempotencyKey: goodKey() } }),
    viewer: (f) => f.studentB,
    expected: userError('NOT_FOUND', 'input.courseId'),
  },
  {
    name: 'cancelOrder: unknown order',
    document: CancelOrderDocument,
    root: 'cancelOrder',
    variables: () => ({ input: { orderId: UNKNOWN_ID } }),
    viewer: (f) => f.studentA,
    expected: userError('NOT_FOUND', 'input.orderId'),
  },
  {
    name: 'order(id): unknown uuid is null',
    document: OrderDocument,
    root: 'order',
    variables: () => ({ id: UNKNOWN_ID }),
    viewer: (f) => f.studentA,
    expected: { nothing: true },
  },
  {
    name: "publishCourse: another instructor's draft is not found",
    document: PublishCourseDocument,
    root: 'publishCourse',
    variables: (f) => ({ input: { courseId: f.draft } }),
    viewer: (f) => f.otherInstructor,
    expected: userError('NOT_FOUND', 'input.courseId'),
  },

  // Courses not on sale.
  {
    name: 'placeOrder: draft course',
    document: PlaceOrderDocument,
    root: 'placeOrder',
    variables: (f) => ({ input: { courseId: f.draft, expectedPrice: USD(1_000), idempotencyKey: goodKey() } }),
    viewer: (f) => f.studentB,
    expected: userError('COURSE_NOT_PUBLISHED', 'input.courseId'),
  },
  {
    name: 'placeOrder: archived course',
    document: PlaceOrderDocument,
    root: 'placeOrder',
    variables: (f) => ({ input: { courseId: f.archived, expectedPrice: USD(1_000), idempotencyKey: goodKey() } }),
    viewer: (f) => f.studentB,
    expected: userError('COURSE_NOT_PUBLISHED', 'input.courseId'),
  },

  // Idempotency keys.
  ...(
    [
      ['7 characters', '1234567'],
      ['101 characters', 'k'.repeat(101)],
      ['containing spaces', 'key with spaces 123'],
      ['empty', ''],
    ] as const
  ).map(([label, idempotencyKey]): Case => ({
    name: `placeOrder: idempotency key ${label}`,
    document: PlaceOrderDocument,
    root: 'placeOrder',
    variables: (f) => ({ input: { courseId: f.published, expectedPrice: USD(1_000), idempotencyKey } }),
    viewer: (f) => f.studentB,
    expected: userError('VALIDATION', 'input.idempotencyKey'),
  })),

  // Paging.
  ...([0, -1, 101] as const).map((first): Case => ({
    name: `courses: first ${first}`,
    document: CatalogDocument,
    root: 'courses',
    variables: () => ({ first }),
    viewer: () => null,
    expected: error('BAD_USER_INPUT'),
  })),
  ...(
    [
      ['garbage', 'garbage'],
      ['an SQL injection', "' OR 1=1 --"],
      ['base64 of a date and a non-uuid', Buffer.from("2020-01-01T00:00:00.000Z|' OR 1=1 --").toString('base64url')],
      ['base64 of a non-date and a uuid', Buffer.from(`yesterday|${randomUUID()}`).toString('base64url')],
    ] as const
  ).map(([label, after]): Case => ({
    name: `courses: after cursor ${label}`,
    document: CatalogDocument,
    root: 'courses',
    variables: () => ({ first: 5, after }),
    viewer: () => null,
    expected: error('BAD_USER_INPUT'),
  })),

  // No token.
  {
    name: 'placeOrder without a token',
    document: PlaceOrderDocument,
    root: 'placeOrder',
    variables: (f) => ({ input: { courseId: f.published, expectedPrice: USD(1_000), idempotencyKey: goodKey() } }),
    viewer: () => null,
    expected: error('UNAUTHENTICATED'),
  },
  {
    name: 'createCourse without a token',
    document: CreateCourseDocument,
    root: 'createCourse',
    variables: () => ({ input: goodCourseInput }),
    viewer: () => null,
    expected: error('UNAUTHENTICATED'),
  },
  {
    name: 'updateCoursePrice without a token',
    document: UpdateCoursePriceDocument,
    root: 'updateCoursePrice',
    variables: (f) => ({ input: { courseId: f.published, price: USD(1) } }),
    viewer: () => null,
    expected: error('UNAUTHENTICATED'),
  },
  {
    name: 'cancelOrder without a token',
    document: CancelOrderDocument,
    root: 'cancelOrder',
    variables: (f) => ({ input: { orderId: f.orderOfA } }),
    viewer: () => null,
    expected: error('UNAUTHENTICATED'),
  },
  {
    name: 'order(id) without a token',
    document: OrderDocument,
    root: 'order',
    variables: (f) => ({ id: f.orderOfA }),
    viewer: () => null,
    expected: error('UNAUTHENTICATED'),
  },

  // Wrong role or wrong owner.
  {
    name: 'createCourse as a student',
    document: CreateCourseDocument,
    root: 'createCourse',
    variables: () => ({ input: goodCourseInput }),
    viewer: (f) => f.studentA,
    expected: error('FORBIDDEN'),
  },
  {
    name: 'placeOrder as an instructor',
    document: PlaceOrderDocument,
    root: 'placeOrder',
    variables: (f) => ({ input: { courseId: f.published, expectedPrice: USD(1_000), idempotencyKey: goodKey() } }),
    viewer: (f) => f.otherInstructor,
    expected: error('FORBIDDEN'),
  },
  {
    name: 'updateCoursePrice by another instructor',
    document: UpdateCoursePriceDocument,
    root: 'updateCoursePrice',
    variables: (f) => ({ input: { courseId: f.published, price: USD(1) } }),
    viewer: (f) => f.otherInstructor,
    expected: error('FORBIDDEN'),
  },
  {
    name: 'updateCourseCapacity by another instructor',
    document: UpdateCourseCapacityDocument,
    root: 'updateCourseCapacity',
    variables: (f) => ({ input: { courseId: f.published, capacity: 50 } }),
    viewer: (f) => f.otherInstructor,
    expected: error('FORBIDDEN'),
  },
  {
    name: 'archiveCourse by another instructor',
    document: ArchiveCourseDocument,
    root: 'archiveCourse',
    variables: (f) => ({ input: { courseId: f.published } }),
    viewer: (f) => f.otherInstructor,
    expected: error('FORBIDDEN'),
  },
  {
    name: 'updateCoursePrice by a student',
    document: UpdateCoursePriceDocument,
    root: 'updateCoursePrice',
    variables: (f) => ({ input: { courseId: f.published, price: USD(1) } }),
    viewer: (f) => f.studentA,
    expected: error('FORBIDDEN'),
  },
  {
    name: "order(id): another student's order",
    document: OrderDocument,
    root: 'order',
    variables: (f) => ({ id: f.orderOfA }),
    viewer: (f) => f.studentB,
    expected: error('FORBIDDEN'),
  },
  {
    name: "cancelOrder: another student's order",
    document: CancelOrderDocument,
    root: 'cancelOrder',
    variables: (f) => ({ input: { orderId: f.orderOfA } }),
    viewer: (f) => f.studentB,
    expected: error('FORBIDDEN'),
  },
];

// ---------------------------------------------------------------------------

beforeAll(async () => {
  stack = await startStack();
  const owner = newUser('INSTRUCTOR');
  const studentA = newUser('STUDENT');
  const published = await createCourse(stack, { instructor: owner, capacity: 10, amount: 1_000 });
  const draft = await createCourse(stack, { instructor: owner, publish: false });
  const archived = await createCourse(stack, { instructor: owner });
  const archivedResult = await stack.call(ArchiveCourseDocument, { input: { courseId: archived.id } }, owner);
  expect(archivedResult.data?.archiveCourse.course?.status).toBe('ARCHIVED');
  const busy = await createCourse(stack, { instructor: owner, capacity: 4, amount: 1_000 });
  for (const student of [newUser('STUDENT'), newUser('STUDENT')]) {
    const sold = await stack.call(
      PlaceOrderDocument,
      { input: { courseId: busy.id, expectedPrice: USD(1_000) as never, idempotencyKey: goodKey() } },
      student,
    );
    expect(sold.data?.placeOrder.order?.status).toBe('CONFIRMED');
  }
  const held = await stack.callCourseAsService<{ reserveSeat: { userErrors: unknown[] } }>(
    `mutation ($input: ReserveSeatInput!) { reserveSeat(input: $input) { reservation { status } userErrors { code } } }`,
    { input: { courseId: busy.id, expectedPrice: USD(1_000), key: `held-${randomUUID()}`, holderId: randomUUID() } },
  );
  expect(held.data?.reserveSeat.userErrors).toEqual([]);
  const order = await stack.call(
    PlaceOrderDocument,
    { input: { courseId: published.id, expectedPrice: USD(1_000) as never, idempotencyKey: goodKey() } },
    studentA,
  );
  expect(order.data?.placeOrder.order?.status).toBe('CONFIRMED');
  fx = {
    owner,
    otherInstructor: newUser('INSTRUCTOR'),
    studentA,
    studentB: newUser('STUDENT'),
    admin: newUser('ADMIN'),
    published: published.id,
    draft: draft.id,
    archived: archived.id,
    busy: busy.id,
    orderOfA: order.data!.placeOrder.order!.id,
  };
  const busyState = await stack.courseDb.query('SELECT seats_available, seats_held, seats_sold FROM course WHERE id = $1', [busy.id]);
  expect(busyState.rows[0]).toEqual({ seats_available: 1, seats_held: 1, seats_sold: 2 });
});
afterAll(() => stack?.stop());

async function runCase(testCase: Case): Promise<void> {
  const before = await snapshot();
  const variables = testCase.variables(fx);
  const viewer = testCase.viewer(fx);
  const response = await send(testCase.document, variables, viewer);
  const { body } = response;

  expectNothingInternal(response);
  const expected = testCase.expected;
  if ('userError' in expected) {
    expect(body.errors).toBeUndefined();
    const payload = body.data?.[testCase.root] as { userErrors: unknown[]; course?: unknown; order?: unknown };
    expect(payload.userErrors).toEqual([{ ...expected.userError, message: expect.stringMatching(/\S/), currentPrice: null }]);
    expect(payload.course ?? payload.order ?? null).toBeNull();
  } else if ('error' in expected) {
    expect(body.errors ?? []).not.toHaveLength(0);
    expect(body.errors!.map((e) => e.extensions?.code)).toEqual(body.errors!.map(() => expected.error));
    expect(body.errors!.map((e) => e.message)).toEqual(body.errors!.map(() => expect.stringMatching(/\S/)));
    expect(body.data?.[testCase.root] ?? null).toBeNull();
  } else {
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ [testCase.root]: null });
  }

  expect(await snapshot()).toEqual(before);
  for (const courseId of [fx.published, fx.draft, fx.archived]) await expectSeatInvariant(stack, courseId);
  // `busy` has a reservation made directly (no order row): check it against its reservation rows only.
  await expectCourseInvariant(stack.courseDb, fx.busy);
}

describe('bad input through the gateway: a clear typed error, nothing internal, nothing changed', () => {
  test('every case has a unique name', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    await runCase(testCase);
  });
});

describe('the snapshot and leak checks can fail', () => {
  test('a valid change is seen as a change', async () => {
    const before = await snapshot();
    const response = await send(UpdateCourseCapacityDocument, { input: { courseId: fx.published, capacity: 11 } }, fx.owner);
    expectNothingInternal(response);
    expect(response.body.data?.updateCourseCapacity).toMatchObject({ userErrors: [], course: { capacity: 11 } });
    expect(await snapshot()).not.toEqual(before);
    const back = await send(UpdateCourseCapacityDocument, { input: { courseId: fx.published, capacity: 10 } }, fx.owner);
    expect(back.body.data?.updateCourseCapacity).toMatchObject({ userErrors: [], course: { capacity: 10 } });
  });

  test('the leak check rejects stack lines, SQL and internal extensions', () => {
    const leaky = (text: string, body: RawResponse['body'] = {}): RawResponse => ({ status: 200, text, body });
    expect(() => expectNothingInternal(leaky('{"errors":[{"extensions":{"stacktrace":[]}}]}'))).toThrow();
    expect(() => expectNothingInternal(leaky('Error\\n    at Foo (/x/y.ts:1:2)'))).toThrow();
    expect(() => expectNothingInternal(leaky('QueryFailedError: relation "course" does not exist'))).toThrow();
    expect(() => expectNothingInternal(leaky('SELECT "id" FROM "course"'))).toThrow();
    expect(() => expectNothingInternal(leaky('{}', { extensions: { valueCompletion: [] } }))).toThrow();
    expect(() => expectNothingInternal(leaky('{}', { errors: [{ message: 'x', extensions: { code: 'X', serviceName: 'course' } }] }))).toThrow();
    expect(() => expectNothingInternal(leaky('{"data":{}}', { data: {} }))).not.toThrow();
  });
});
