/**
 * Several instances of every service on the same three databases (issue 13,
 * item 4): two gateways, two accounts, two course and two order subgraphs,
 * each its own process (production mode), with the expiry sweepers, the
 * reconcilers and the audits running in all of them on short intervals.
 *
 * Wiring, so that every path crosses instances:
 *   gateway  (A) -> accounts,  course,  order  -> course2
 *   gateway2 (B) -> accounts2, course2, order2 -> course
 * A sale through gateway A is reserved on course2, one through B on course;
 * a subscriber on A listens through course, one on B through course2.
 *
 * What must hold: the seat invariant under 200 concurrent buyers split over
 * both gateways; seat events reach subscribers of the other instances
 * (PostgreSQL LISTEN/NOTIFY); per-address auth limits add up across
 * instances (counted in the accounts database); and one instance of each
 * service SIGKILLed mid-load loses nothing: the surviving reconciler and
 * sweeper finish what the dead ones left, and no client was told an outcome
 * that did not happen.
 */
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import type { Client } from 'graphql-ws';
import type { Viewer } from '@coursegraph/runtime';
import { SeatsChangedDocument, type SeatsChangedSubscription } from '@coursegraph/client';
import { ProcessStack } from '@coursegraph/devkit/processes';
import { checkAgreement, createCourses } from '@coursegraph/devkit/faults';
import { DEFINITE_PURCHASE_FAILURES, startLoad, type Answer, type LoadCourse, type Purchase } from '@coursegraph/devkit/load';
import { collect, connect } from '@coursegraph/devkit/ws';

const ENV: NodeJS.ProcessEnv = {
  COURSE_CALL_TIMEOUT_MS: '3000',
  COURSE_CALL_DEADLINE_MS: '8000',
  SUBGRAPH_TIMEOUT_MS: '15000',
  RECONCILE_AFTER_SECONDS: '3',
  RECONCILE_INTERVAL_SECONDS: '1',
  AUDIT_INTERVAL_SECONDS: '5',
  RESERVATION_TTL_SECONDS: '10',
  SWEEP_INTERVAL_SECONDS: '1',
  CREATE_COURSE_RATE_LIMIT: '1000',
  AUTH_RATE_LIMIT_PER_ADDRESS: '6',
  // Six subgraph instances share a PostgreSQL server other test runs use too.
  DATABASE_POOL_SIZE: '8',
  // Hundreds of test clients, all from 127.0.0.1.
  HTTP_MAX_CONNECTIONS_PER_ADDRESS: '0',
};

let stack: ProcessStack;
const clients: Client[] = [];

beforeAll(async () => {
  stack = new ProcessStack({
    serverUrl: process.env.TEST_DATABASE_URL!,
    databasePrefix: 'cg_test_instances',
    env: ENV,
    instances: { accounts2: 'accounts', course2: 'course', order2: 'order', gateway2: 'gateway' },
    instanceEnv: (urls) => ({
      order: { COURSE_SUBGRAPH_URL: `${urls.course2}/graphql` },
      order2: { COURSE_SUBGRAPH_URL: `${urls.course}/graphql` },
      gateway2: {
        ACCOUNTS_SUBGRAPH_URL: `${urls.accounts2}/graphql`,
        COURSE_SUBGRAPH_URL: `${urls.course2}/graphql`,
        ORDER_SUBGRAPH_URL: `${urls.order2}/graphql`,
      },
    }),
  });
  await stack.start();
}, 240_000);

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});

afterAll(async () => {
  await stack?.stop();
}, 90_000);

const gatewayA = () => stack.graphqlUrl('gateway');
const gatewayB = () => stack.graphqlUrl('gateway2');
const price = { amount: 1_000, currency: 'USD' };

const PLACE_ORDER = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } userErrors { code } } }`;

const settled = (answer: Answer) =>
  (answer.kind === 'order' && (answer.status === 'CONFIRMED' || answer.status === 'FAILED')) ||
  (answer.kind === 'userError' && DEFINITE_PURCHASE_FAILURES.has(answer.code));

/**
 * A purchase as a new student through `url`, as the contract says a client makes one: placeOrder, and while the
 * outcome is not known (ORDER_PENDING, a retryable error) the same call again with the same key, for up to 60 s.
 * Returns it as a Purchase (what faults.ts checks answers against).
 */
async function buy(url: string, courseId: string, student: Viewer = { userId: randomUUID(), roles: ['STUDENT'] }): Promise<Purchase> {
  const purchase: Purchase = { studentId: student.userId, key: randomUUID(), courseId, answers: [], cancels: [] };
  const giveUpAt = Date.now() + 60_000;
  do {
    if (purchase.answers.length) await new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 1_000));
    purchase.answers.push(await placeOrder(url, courseId, student, purchase.key));
  } while (!settled(purchase.answers.at(-1)!) && Date.now() < giveUpAt);
  return purchase;
}

/**
 * A student who wants the seat: a purchase, and when told UNAVAILABLE ("nothing was charged; please try again": the
 * seat service was overloaded) up to two more, each with a new key, as that answer invites. Returns every purchase made.
 */
async function wantSeat(url: string, courseId: string): Promise<Purchase[]> {
  const student: Viewer = { userId: randomUUID(), roles: ['STUDENT'] };
  const purchases = [await buy(url, courseId, student)];
  while (word(purchases.at(-1)!.answers.at(-1)!) === 'UNAVAILABLE' && purchases.length < 3) purchases.push(await buy(url, courseId, student));
  return purchases;
}

/** One placeOrder, reduced to what the client saw. */
async function placeOrder(url: string, courseId: string, student: Viewer, idempotencyKey: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.token(student)}` },
    body: JSON.stringify({ query: PLACE_ORDER, variables: { input: { courseId, expectedPrice: price, idempotencyKey } } }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as {
    data?: { placeOrder: { order: { id: string; status: string } | null; userErrors: { code: string }[] } | null };
    errors?: { extensions?: { code?: string; retryable?: boolean } }[];
  };
  const payload = body.data?.placeOrder;
  if (payload?.userErrors[0]) return { kind: 'userError', code: payload.userErrors[0].code };
  if (payload?.order) return { kind: 'order', orderId: payload.order.id, status: payload.order.status };
  const extensions = body.errors?.[0]?.extensions;
  return { kind: 'graphqlError', code: extensions?.code ?? 'NO_CODE', retryable: extensions?.retryable === true, httpStatus: response.status };
}

const word = (answer: Answer) => (answer.kind === 'order' ? answer.status : answer.kind === 'userError' ? answer.code : `${answer.kind}`);
const tally = (answers: Answer[]) =>
  answers.reduce<Record<string, number>>((counts, answer) => ({ ...counts, [word(answer)]: (counts[word(answer)] ?? 0) + 1 }), {});

/** Runs `work` on a direct connection to the course or order database. */
async function withDb<T>(name: 'course' | 'order' | 'accounts', work: (db: PgClient) => Promise<T>): Promise<T> {
  const db = new PgClient({ connectionString: stack.databaseUrls[name] });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** The checks of packages/devkit/src/faults.ts (counters, rows, non-final states, truthfulness), each expected empty. */
async function expectAgreement(courseIds: string[], purchases: Purchase[], settleMs: number) {
  const agreement = await checkAgreement(stack, courseIds, purchases, settleMs);
  expect({
    disagreeingCourses: agreement.disagreeingCourses,
    rowMismatches: agreement.rowMismatches,
    nonFinalOrders: agreement.nonFinalOrders,
    pendingReservations: agreement.pendingReservations,
    untruthful: agreement.untruthful,
  }).toEqual({ disagreeingCourses: [], rowMismatches: [], nonFinalOrders: 0, pendingReservations: 0, untruthful: [] });
  return agreement;
}

test('200 concurrent buyers of 10 seats, half through each gateway: exactly 10 CONFIRMED, 190 SOLD_OUT, both databases agree', async () => {
  const [course] = await createCourses(stack, 1, 10);
  const started = Date.now();
  const students = await Promise.all(Array.from({ length: 200 }, (_, index) => wantSeat(index % 2 ? gatewayB() : gatewayA(), course!.id)));
  const seconds = (Date.now() - started) / 1000;
  const purchases = students.flat();
  // Each student's outcome: the last answer to its last purchase.
  const all = students.map((mine) => mine.at(-1)!.answers.at(-1)!);
  const retried = purchases.filter((purchase) => purchase.answers.length > 1);
  console.log(
    `200 students over 2 gateways in ${seconds.toFixed(1)} s: outcomes ${JSON.stringify(tally(all))}; ${purchases.length} purchases, first answers ` +
      `${JSON.stringify(tally(purchases.map((purchase) => purchase.answers[0]!)))}; ${retried.length} asked again with their key`,
  );
  // SOLD_OUT when the course refused at once; FAILED when the order was recorded but its seat never came (left pending, then settled).
  const { CONFIRMED, SOLD_OUT = 0, FAILED = 0, ...other } = tally(all);
  expect({ CONFIRMED, refused: SOLD_OUT + FAILED, other }).toEqual({ CONFIRMED: 10, refused: 190, other: {} });
  // Every answer through A came from course2 (order -> course2), every one through B from course (order2 -> course).
  for (const parity of [0, 1]) {
    const mine = all.filter((_, index) => index % 2 === parity).map(word);
    expect(mine.length).toBe(100);
    expect(mine.filter((status) => !['CONFIRMED', 'SOLD_OUT', 'FAILED'].includes(status))).toEqual([]);
  }
  const agreement = await expectAgreement([course!.id], purchases, 5_000);
  expect(agreement.courses[0]).toMatchObject({ capacity: 10, available: 0, held: 0, sold: 10, confirmedOrders: 10, confirmedReservations: 10 });
  // A refused purchase leaves a FAILED order or none; nothing else.
  const statuses = await withDb('order', async (db) =>
    (await db.query(`SELECT DISTINCT status FROM orders WHERE course_id = $1`, [course!.id])).rows.map((row: { status: string }) => row.status),
  );
  expect(statuses.filter((status) => status !== 'CONFIRMED' && status !== 'FAILED')).toEqual([]);
}, 120_000);

test('a subscriber on either gateway sees the seats sold through the other (events through PostgreSQL, across course instances)', async () => {
  const [course] = await createCourses(stack, 1, 5);
  const watch = (url: string) => {
    const client = connect(url);
    clients.push(client);
    return collect(client, SeatsChangedDocument, { courseIds: [course!.id] });
  };
  const seats = (results: { data?: SeatsChangedSubscription | null }[]) =>
    results.map(({ data }) => [data!.seatsChanged.reason, data!.seatsChanged.seatsAvailable, data!.seatsChanged.seatsSold]);
  const onA = watch(gatewayA());
  const onB = watch(gatewayB());
  await Promise.all([onA.until(1), onB.until(1)]);

  // Through B: order2 buys on course; A's subscriber listens through course, B's through course2.
  expect(word((await buy(gatewayB(), course!.id)).answers[0]!)).toBe('CONFIRMED');
  // Through A: order buys on course2.
  expect(word((await buy(gatewayA(), course!.id)).answers[0]!)).toBe('CONFIRMED');
  const expected = [
    ['CURRENT', 5, 0],
    ['PURCHASED', 4, 1],
    ['PURCHASED', 3, 2],
  ];
  expect(seats(await onA.until(3, 15_000))).toEqual(expected);
  expect(seats(await onB.until(3, 15_000))).toEqual(expected);
}, 60_000);

test('the per-address auth rate limit (6 here) adds up over both gateways and both accounts instances', async () => {
  const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { userErrors { code } } }`;
  const answers: string[] = [];
  for (let attempt = 0; attempt < 10; attempt++) {
    const response = await fetch(attempt % 2 ? gatewayB() : gatewayA(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // A new e-mail each time: only the per-address limit applies.
      body: JSON.stringify({
        query: LOGIN,
        variables: { input: { email: `nobody-${randomUUID()}@example.com`, password: 'not-the-password-at-all' } },
      }),
    });
    const body = (await response.json()) as { data: { login: { userErrors: { code: string }[] } } };
    answers.push(body.data.login.userErrors.map((error) => error.code).join());
  }
  // Counted per instance, each would have allowed all 5 of its attempts.
  expect(answers).toEqual([...Array(6).fill('INVALID_CREDENTIALS'), ...Array(4).fill('RATE_LIMITED')]);
}, 60_000);

test('SIGKILL of one instance of each service mid-load loses nothing: the survivors finish every order, no seat stuck, no false answer', async () => {
  const courses: LoadCourse[] = await createCourses(stack, 6, 5);
  const courseIds = courses.map((course) => course.id);
  const load = (gatewayUrl: string) =>
    startLoad({
      gatewayUrl,
      token: (viewer) => stack.token(viewer),
      courses,
      students: 15,
      cancelRate: 0.3,
      purchasesPerStudent: 6,
      maxAttempts: 6,
      retryForMs: 15_000,
      requestTimeoutMs: 30_000,
    });
  const started = Date.now();
  const loads = [load(gatewayA()), load(gatewayB())];
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  // The gateway A, the order instance behind it, the course instance that order instance calls, and an accounts instance.
  const inFlight = loads.reduce((sum, { purchases }) => sum + purchases.length, 0);
  await Promise.all(['gateway', 'order', 'course2', 'accounts2'].map((name) => stack.kill(name)));
  const killedAt = Date.now() - started;
  // What the dead instances left unfinished: only the survivors can finish it.
  const leftOver = await withDb(
    'order',
    async (db) =>
      (await db.query(`SELECT count(*)::int AS n FROM orders WHERE course_id = ANY($1) AND status IN ('PENDING', 'CANCELLING')`, [courseIds])).rows[0]
        .n,
  );
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  await Promise.all(loads.map((one) => one.stop()));
  const purchases = loads.flatMap((one) => one.purchases);
  const stoppedAt = Date.now() - started;
  const agreement = await expectAgreement(courseIds, purchases, 60_000);
  const answers = purchases.map((purchase) => purchase.answers[purchase.answers.length - 1]!);
  console.log(
    `killed gateway, order, course2, accounts2 at ${(killedAt / 1000).toFixed(1)} s (${inFlight} purchases started, ${leftOver} orders non-final just after), load stopped at ` +
      `${(stoppedAt / 1000).toFixed(1)} s; ${purchases.length} purchases, last answers ${JSON.stringify(tally(answers))}; ` +
      `settled ${agreement.settledAfterSeconds} s after; seats sold ${agreement.courses.map((c) => c.sold).join('/')} of 5 each`,
  );
  // The load went on through the surviving gateway and sold seats after the kill.
  expect(agreement.courses.reduce((sum, course) => sum + course.sold, 0)).toBeGreaterThan(0);
  expect(
    await withDb(
      'order',
      async (db) =>
        (
          await db.query(`SELECT count(*)::int AS n FROM orders WHERE course_id = ANY($1) AND status NOT IN ('CONFIRMED','FAILED','CANCELLED')`, [
            courseIds,
          ])
        ).rows[0].n,
    ),
  ).toBe(0);
}, 240_000);
