/**
 * The order saga under faults, end to end (issue 9): a fault proxy sits
 * between the order and the course subgraph; clients talk to the gateway.
 * - Time budgets nest: the gateway's limit here is deliberately SHORTER than
 *   the saga's configured deadline plus compensation, and every client still
 *   gets a definite, typed answer within it, because the remaining budget
 *   travels with the request (x-coursegraph-budget-ms).
 * - The periodic reconciler (1 s interval) finishes every PENDING and
 *   CANCELLING order from the reservations' real state.
 * - The reconciliation audit repairs a disagreement made by hand and reports
 *   one it cannot repair, in process and as `npm run audit`.
 * After each: per course, CONFIRMED orders = sold seats = CONFIRMED
 * reservations, and nothing is left PENDING or CANCELLING.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createLogger, openDatabase } from '@coursegraph/runtime';
import { CancelOrderDocument, PlaceOrderDocument } from '@coursegraph/client';
import { FaultProxy } from '@coursegraph/devkit/fault-proxy';
import { createOrderDataSource, createCourseClient, type CourseClient, auditOnce } from '@coursegraph/order';
import { createCourse, expectSeatInvariant, newUser } from '@coursegraph/devkit/fixtures';
import { SECRETS, startStack, type Stack } from '@coursegraph/devkit/stack';

/** The gateway's client-facing limit: shorter than the saga's own 6 s + 2 s, on purpose; with room for a loaded CI machine. */
const GATEWAY_BUDGET_MS = 5_000;
/** Longer than the gateway's limit, so the reconciler never races a request that is still answering. */
const RECONCILE_AFTER_SECONDS = 7;

let stack: Stack;
let proxy: FaultProxy;
let orderDataSource: DataSource;
let course: CourseClient;

beforeAll(async () => {
  proxy = new FaultProxy();
  await proxy.start();
  stack = await startStack({
    order: {
      courseUrl: proxy.url,
      courseCallTimeoutMs: 300,
      courseCallDeadlineMs: 6_000,
      compensationDeadlineMs: 2_000,
      reconcileAfterSeconds: RECONCILE_AFTER_SECONDS,
      reconcileIntervalSeconds: 1,
    },
    gateway: { subgraphTimeoutMs: GATEWAY_BUDGET_MS },
  });
  proxy.target = stack.courseUrl;
  orderDataSource = await openDatabase(createOrderDataSource(stack.orderDatabaseUrl, 2), false);
  course = createCourseClient({ url: stack.courseUrl, serviceSecret: SECRETS.serviceSecret, timeoutMs: 2_000, deadlineMs: 5_000 });
});

afterAll(async () => {
  course?.close();
  await orderDataSource?.destroy();
  await stack?.stop();
  await proxy?.stop();
});

beforeEach(() => proxy.heal());

const price = { amount: 1_000, currency: 'USD' };
const key = () => `key-${randomUUID()}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function unfinishedOrders(courseId: string): Promise<number> {
  const { rows } = await stack.orderDb.query(`SELECT count(*)::int AS n FROM orders WHERE course_id = $1 AND status IN ('PENDING', 'CANCELLING')`, [
    courseId,
  ]);
  return rows[0].n as number;
}

/** Each order of the course as "STATUS FAILURE_REASON". */
async function orderStates(courseId: string): Promise<string[]> {
  const { rows } = await stack.orderDb.query(`SELECT status || ' ' || coalesce(failure_reason, '-') AS state FROM orders WHERE course_id = $1`, [
    courseId,
  ]);
  return rows.map((row: { state: string }) => row.state);
}

/** How many of the order subgraph's inserts into `orders` wait for a lock right now. */
async function insertsWaitingOnLock(): Promise<number> {
  const { rows } = await stack.orderDb.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE 'INSERT INTO%orders%'`,
  );
  return rows[0].n as number;
}

/** Waits for the periodic reconciler (never called by hand here) to finish every order of the course. */
async function waitForReconciler(courseId: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await unfinishedOrders(courseId)) > 0) {
    if (Date.now() > until) throw new Error('the periodic reconciler did not finish the orders');
    await sleep(200);
  }
}

describe('time budgets nest: a paused course subgraph still gets every client a typed answer within the gateway limit', () => {
  test('20 orders in flight while the course is paused: each answered ORDER_PENDING before the gateway limit, never a bare error; the reconciler finishes them', async () => {
    const target = await createCourse(stack, { capacity: 5 });
    // A paused course: every call reaches it only after the callers gave up, and is then carried out.
    proxy.lateMs = 9_000;
    proxy.rule = () => 'late';
    const students = Array.from({ length: 20 }, () => newUser('STUDENT'));
    const inputs = students.map(() => ({ courseId: target.id, expectedPrice: price, idempotencyKey: key() }));
    const answers = await Promise.all(students.map((student, i) => stack.call(PlaceOrderDocument, { input: inputs[i]! }, student)));

    // Had the saga outlived the gateway's limit, these would be gateway errors.
    expect(answers.flatMap((a) => a.errors ?? []).map((e) => ({ path: e.path, code: e.extensions?.code }))).toEqual([]);
    // Each purchase ran out of its forward time (two thirds of the budget), so the intent to give the seat
    // back was recorded before the answer: CANCELLING, and the reconciler has every one of them to finish.
    for (const answer of answers) {
      expect(answer.data!.placeOrder.userErrors.map((e) => e.code)).toEqual(['ORDER_PENDING']);
      expect(answer.data!.placeOrder.order!.status).toBe('CANCELLING');
    }

    // A same-key retry while the outcome is open: a typed answer within the limit too.
    const retried = await stack.call(PlaceOrderDocument, { input: inputs[0]! }, students[0]!);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.placeOrder.userErrors.map((e) => e.code)).toEqual(['ORDER_PENDING']);
    expect(retried.data!.placeOrder.order!.id).toBe(answers[0]!.data!.placeOrder.order!.id);
    // While the course is still paused nothing can finish them, whoever tries.
    expect(await orderStates(target.id)).toEqual(Array(20).fill('CANCELLING UNAVAILABLE'));

    proxy.heal();
    await proxy.settle();
    await waitForReconciler(target.id);
    // A purchase the paused course carried out after its order was given up is cancelled by the compensation
    // that follows it (the key is cancelled even before it is used); were one left, the audit would give it back.
    const audit = await auditOnce(orderDataSource, course, createLogger('audit-test'));
    const finding = audit.findings.find((f) => f.courseId === target.id);
    expect(finding?.problems ?? []).toEqual([]);
    for (const repair of finding?.repaired ?? []) expect(repair).toMatch(/^sold seat of FAILED order [0-9a-f-]{36} given back$/);
    expect(await expectSeatInvariant(stack, target.id)).toMatchObject({ available: 5, held: 0, sold: 0, pendingReservations: 0 });
    // Every one of them was given up (the compensation's intent was recorded first); the same key says so.
    expect(await orderStates(target.id)).toEqual(Array(20).fill('FAILED UNAVAILABLE'));
    const final = await stack.call(PlaceOrderDocument, { input: inputs[0]! }, students[0]!);
    expect(final.data!.placeOrder).toMatchObject({ order: { status: 'FAILED' }, userErrors: [{ code: 'UNAVAILABLE' }] });
  });

  test('a cancellation the course did not answer is ORDER_PENDING; the periodic reconciler finishes it and the seat sells once', async () => {
    const target = await createCourse(stack, { capacity: 1 });
    const student = newUser('STUDENT');
    const placed = await stack.call(PlaceOrderDocument, { input: { courseId: target.id, expectedPrice: price, idempotencyKey: key() } }, student);
    const orderId = placed.data!.placeOrder.order!.id;
    proxy.rule = (operation) => (operation === 'Cancel' ? 'withhold-response' : 'pass');
    const cancelled = await stack.call(CancelOrderDocument, { input: { orderId } }, student);
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data!.cancelOrder).toMatchObject({ order: { status: 'CANCELLING' }, userErrors: [{ code: 'ORDER_PENDING' }] });

    proxy.heal();
    await waitForReconciler(target.id);
    const other = await stack.call(
      PlaceOrderDocument,
      { input: { courseId: target.id, expectedPrice: price, idempotencyKey: key() } },
      newUser('STUDENT'),
    );
    expect(other.data!.placeOrder.order!.status).toBe('CONFIRMED');
    expect(await expectSeatInvariant(stack, target.id)).toMatchObject({ sold: 1, confirmedOrders: 1, available: 0 });
    const again = await stack.call(CancelOrderDocument, { input: { orderId } }, student);
    expect(again.data!.cancelOrder).toMatchObject({ order: { status: 'CANCELLED' }, userErrors: [] });
  });
});

describe('outages through the gateway', () => {
  test('the order database is locked past every limit: SERVICE_UNAVAILABLE with retryable, not INTERNAL_SERVER_ERROR', async () => {
    const target = await createCourse(stack, { capacity: 1 });
    const locker = new Client({ connectionString: stack.orderDatabaseUrl });
    locker.on('error', () => undefined);
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
    try {
      const answer = await stack.call(
        PlaceOrderDocument,
        { input: { courseId: target.id, expectedPrice: price, idempotencyKey: key() } },
        newUser('STUDENT'),
      );
      expect(answer.status).toBe(200);
      expect(answer.errors?.map((e) => e.extensions)).toEqual([{ code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: expect.any(String) }]);
    } finally {
      // Held until the order subgraph's insert gave up on the lock (its lock_timeout), so it fails rather than lands late.
      const until = Date.now() + 30_000;
      while ((await insertsWaitingOnLock()) > 0 && Date.now() < until) await sleep(50);
      await locker.query('COMMIT');
      await locker.end();
    }
    expect(await insertsWaitingOnLock()).toBe(0);
    expect((await stack.orderDb.query('SELECT count(*)::int AS n FROM orders WHERE course_id = $1', [target.id])).rows[0].n).toBe(0);
    expect(await expectSeatInvariant(stack, target.id)).toMatchObject({ sold: 0, held: 0, confirmedOrders: 0, pendingOrders: 0 });
  });
});

describe('the reconciliation audit', () => {
  /** A CONFIRMED order bought through the gateway. */
  async function buy(courseId: string): Promise<string> {
    const placed = await stack.call(PlaceOrderDocument, { input: { courseId, expectedPrice: price, idempotencyKey: key() } }, newUser('STUDENT'));
    expect(placed.data!.placeOrder.order!.status).toBe('CONFIRMED');
    return placed.data!.placeOrder.order!.id;
  }

  /** Two disagreements made by hand: a FAILED order whose seat is still sold, and a CONFIRMED order whose seat was given back. */
  async function disagree(): Promise<{ repairable: { courseId: string; orderId: string }; reportable: { courseId: string; orderId: string } }> {
    const a = await createCourse(stack, { capacity: 2 });
    await buy(a.id);
    const failed = await buy(a.id);
    await stack.orderDb.query(`UPDATE orders SET status = 'FAILED', failure_reason = 'UNAVAILABLE' WHERE id = $1`, [failed]);
    const b = await createCourse(stack, { capacity: 1 });
    const orphaned = await buy(b.id);
    const given = await stack.callCourseAsService<{ cancelReservation: { reservation: { status: string } } }>(
      `mutation($key: String!) { cancelReservation(input: { key: $key }) { reservation { status } } }`,
      { key: orphaned },
    );
    expect(given.data!.cancelReservation.reservation.status).toBe('CANCELLED');
    return { repairable: { courseId: a.id, orderId: failed }, reportable: { courseId: b.id, orderId: orphaned } };
  }

  test('in process: gives back the seat of a FAILED order, reports a CONFIRMED order without a seat', async () => {
    const { repairable, reportable } = await disagree();
    const report = await auditOnce(orderDataSource, course, createLogger('audit-test'));
    const byCourse = new Map(report.findings.map((finding) => [finding.courseId, finding]));
    expect(byCourse.get(repairable.courseId)).toMatchObject({
      confirmedOrders: 1,
      seatsSold: 2,
      confirmedReservations: 2,
      repaired: [`sold seat of FAILED order ${repairable.orderId} given back`],
      problems: [],
    });
    expect(byCourse.get(reportable.courseId)).toMatchObject({
      confirmedOrders: 1,
      seatsSold: 0,
      repaired: [],
      problems: [`CONFIRMED order ${reportable.orderId} has no seat (reservation CANCELLED)`],
    });
    expect(await expectSeatInvariant(stack, repairable.courseId)).toMatchObject({ sold: 1, confirmedOrders: 1, available: 1 });
    // A second pass repairs nothing more and still reports what it cannot fix.
    const again = await auditOnce(orderDataSource, course, createLogger('audit-test'));
    expect(again.findings.find((f) => f.courseId === repairable.courseId)).toBeUndefined();
    expect(again.findings.find((f) => f.courseId === reportable.courseId)?.problems).toHaveLength(1);
    // Put the reported order right by hand, as an operator would, so later audits see agreement.
    await stack.orderDb.query(`UPDATE orders SET status = 'CANCELLED' WHERE id = $1`, [reportable.orderId]);
  });

  test('npm run audit: the same audit for operators, over HTTP to the course subgraph and the order database only', async () => {
    const { repairable, reportable } = await disagree();
    const run = (env: NodeJS.ProcessEnv = {}) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          'npm',
          ['run', '--silent', 'audit'],
          {
            cwd: join(__dirname, '..'),
            timeout: 60_000,
            env: {
              ...process.env,
              ORDER_DATABASE_URL: stack.orderDatabaseUrl,
              COURSE_SUBGRAPH_URL: stack.courseUrl,
              SERVICE_SECRET: SECRETS.serviceSecret,
              SUBGRAPH_SECRET: SECRETS.subgraphSecret,
              LOG_LEVEL: 'warn',
              ...env,
            },
          },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        );
      });
    const first = await run();
    expect(first.code).toBe(2);
    const report = JSON.parse(first.stdout) as {
      repaired: number;
      problems: number;
      findings: { courseId: string; repaired: string[]; problems: string[] }[];
    };
    expect(report).toMatchObject({ repaired: 1, problems: 1 });
    expect(report.findings.find((f) => f.courseId === repairable.courseId)?.repaired).toEqual([
      `sold seat of FAILED order ${repairable.orderId} given back`,
    ]);
    expect(report.findings.find((f) => f.courseId === reportable.courseId)?.problems).toEqual([
      `CONFIRMED order ${reportable.orderId} has no seat (reservation CANCELLED)`,
    ]);
    expect(first.stderr).toMatch(/RECONCILIATION AUDIT/);
    expect(await expectSeatInvariant(stack, repairable.courseId)).toMatchObject({ sold: 1, confirmedOrders: 1 });

    await stack.orderDb.query(`UPDATE orders SET status = 'CANCELLED' WHERE id = $1`, [reportable.orderId]);
    const clean = await run();
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ repaired: 0, problems: 0, findings: [] });

    // An audit that cannot ask the course subgraph could not run (1); it reports no disagreement (2).
    const wrongCredential = await run({ SERVICE_SECRET: `${SECRETS.serviceSecret}-not-it` });
    expect(wrongCredential.code).toBe(1);
    expect(wrongCredential.stderr).toMatch(/audit failed: /);
    expect(wrongCredential.stderr).not.toMatch(/RECONCILIATION AUDIT/);
    const unreachable = await run({
      COURSE_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
      COURSE_CALL_TIMEOUT_MS: '500',
      COURSE_CALL_DEADLINE_MS: '1000',
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/audit failed: course subgraph unavailable/);
  });
});
