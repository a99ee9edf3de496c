/**
 * The fault harness of issue 9: students buying and cancelling through the
 * gateway (packages/devkit/src/load.ts) while one fault is injected into the
 * services running as processes (packages/devkit/src/processes.ts), then, after
 * the reconciler window, a check that the databases agree with each other and
 * with what every client was told.
 *
 * The five faults:
 * - `order-killed`, `course-killed`, `gateway-killed`: SIGKILL (a crash mid
 *   request, no clean-up), then the same service started again on its port
 *   `restartAfterMs` later, as a supervisor would.
 * - `course-paused`: SIGSTOP for `pauseMs`, then SIGCONT: a process that hangs
 *   (GC pause, stalled VM) while its sockets stay open, so callers wait
 *   instead of being refused.
 * - `postgres-restarted`: what the services see of a PostgreSQL restart,
 *   limited to the run's databases so other users of the machine's server are
 *   untouched: every connection to them is terminated
 *   (`pg_terminate_backend`) and new ones are refused
 *   (`ALTER DATABASE ... ALLOW_CONNECTIONS false`, which binds superusers too)
 *   for `outageMs`; then connections are allowed again. As in a real restart,
 *   open transactions are rolled back, LISTEN sessions end and every pool
 *   must reconnect; unlike one, committed data is not recovered from the WAL
 *   (it never left the server).
 *
 * The checks (`failedChecks`), per course of the run: CONFIRMED orders =
 * seats sold = CONFIRMED reservations; seats held = PENDING reservations
 * (that the counters add up to capacity is a CHECK constraint of the course
 * table, so checking it here could not fail);
 * each order's reservation agrees with it; no non-final order (PENDING,
 * CANCELLING) and no PENDING reservation left; every service is ready again;
 * and truthfulness: a client told CONFIRMED holds a CONFIRMED order (or one
 * it cancelled itself); a client told a definite failure holds no sold seat
 * for that key; a cancel reported done left the order and its reservation
 * CANCELLED; a cancel reported refused left the order CONFIRMED; every
 * answer is one the contract allows (GraphQL errors only
 * SERVICE_UNAVAILABLE with `retryable: true`, ORDER_PENDING with a non-final
 * order, an answer within the client's time limit).
 */
import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import { Client } from 'pg';
import { CreateCourseDocument, PublishCourseDocument } from '@coursegraph/client';
import type { Viewer } from '@coursegraph/runtime';
import { withDatabase } from './postgres';
import { sleep } from './timing';
import { DEFINITE_CANCEL_FAILURES, DEFINITE_PURCHASE_FAILURES, label, startLoad, type Answer, type LoadCourse, type Purchase } from './load';
import { SERVICES, type ProcessStack } from './processes';

export const FAULTS = ['order-killed', 'course-killed', 'postgres-restarted', 'course-paused', 'gateway-killed'] as const;
export type FaultName = (typeof FAULTS)[number];

export const FAULT_TITLES: Record<FaultName, string> = {
  'order-killed': 'order subgraph killed',
  'course-killed': 'course subgraph killed',
  'postgres-restarted': 'PostgreSQL restarted',
  'course-paused': 'course subgraph paused',
  'gateway-killed': 'gateway killed',
};

/**
 * Service settings for fault runs, so the reconciler window is seconds: time
 * limits nest as DESIGN.md asks (one course call 2 s < 5 s for a call with
 * its retries < the gateway's 12 s per subgraph request < the client's
 * 30 s); the reconciler takes over an order left non-final for 6 s (longer
 * than a saga's course calls, shorter than a saga plus its compensation can
 * take, so it may meet a saga still running, as in production under load)
 * and looks every second; an abandoned hold expires after 10 s, swept every
 * second.
 */
export const FAULT_ENV: NodeJS.ProcessEnv = {
  COURSE_CALL_TIMEOUT_MS: '2000',
  COURSE_CALL_DEADLINE_MS: '5000',
  SUBGRAPH_TIMEOUT_MS: '12000',
  RECONCILE_AFTER_SECONDS: '6',
  RECONCILE_INTERVAL_SECONDS: '1',
  RESERVATION_TTL_SECONDS: '10',
  SWEEP_INTERVAL_SECONDS: '1',
  // One instructor makes every course of the run (30 in bench:faults).
  CREATE_COURSE_RATE_LIMIT: '1000',
};

/** The client's own time limit per request (ms), above every limit in FAULT_ENV. */
const CLIENT_TIMEOUT_MS = 30_000;

export interface ScenarioOptions {
  courses: number;
  seatsPerCourse: number;
  students: number;
  /** The fault is injected this long after the load started (ms). */
  faultAtMs: number;
  /** A killed service is started again this long after it died (ms). */
  restartAfterMs: number;
  pauseMs: number;
  outageMs: number;
  /** The load goes on this long after the fault ended (ms). */
  loadAfterFaultMs: number;
  /** The longest wait for the reconciler and the sweeper to finish every non-final state (ms). */
  settleMs: number;
  cancelRate: number;
  log?: (line: string) => void;
}

export interface CourseAgreement {
  courseId: string;
  capacity: number;
  available: number;
  held: number;
  sold: number;
  confirmedReservations: number;
  pendingReservations: number;
  confirmedOrders: number;
  nonFinalOrders: number;
}

export interface FaultReport {
  fault: FaultName;
  /** What was done when, in seconds since the load started. */
  timeline: string[];
  purchases: number;
  cancels: number;
  /** Every placeOrder answer (each attempt), by label. */
  placeAnswers: Record<string, number>;
  /** The last placeOrder answer of each purchase, by label. */
  finalAnswers: Record<string, number>;
  /** Every cancelOrder answer, by label. */
  cancelAnswers: Record<string, number>;
  courses: CourseAgreement[];
  /** Courses whose counters, reservations and orders disagree. */
  disagreeingCourses: CourseAgreement[];
  /** Orders whose reservation is in a state that does not match theirs, and CONFIRMED reservations without a CONFIRMED order. */
  rowMismatches: string[];
  nonFinalOrders: number;
  pendingReservations: number;
  /** Seconds the reconciler needed until no non-final state was left; null when some was left at the end of the window. */
  settledAfterSeconds: number | null;
  untruthful: string[];
  /** Answers the contract does not allow, by label. */
  offContract: Record<string, number>;
  /** Services that were not ready again after the fault. */
  notReady: string[];
}

// ---------------------------------------------------------------- setup

async function gatewayCall<T>(stack: ProcessStack, viewer: Viewer, query: string, variables: object): Promise<T> {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.token(viewer)}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(`gateway call failed: ${JSON.stringify(body)}`);
  return body.data;
}

/** Published courses of `seats` seats at USD 10.00, created through the gateway by one instructor. */
export async function createCourses(stack: ProcessStack, count: number, seats: number): Promise<LoadCourse[]> {
  const instructor: Viewer = { userId: randomUUID(), roles: ['INSTRUCTOR'] };
  const price = { amount: 1_000, currency: 'USD' };
  const courses: LoadCourse[] = [];
  for (let index = 0; index < count; index++) {
    const input = { title: `Fault course ${index + 1}`, description: 'Made by the fault harness.', price, capacity: seats };
    const created = await gatewayCall<{ createCourse: { course: { id: string } | null } }>(stack, instructor, print(CreateCourseDocument), { input });
    const id = created.createCourse.course?.id;
    if (!id) throw new Error(`createCourse refused: ${JSON.stringify(created)}`);
    await gatewayCall(stack, instructor, print(PublishCourseDocument), { input: { courseId: id } });
    courses.push({ id, price });
  }
  return courses;
}

// ---------------------------------------------------------------- faults

/** Terminates every connection to the run's databases and refuses new ones for `outageMs`, then allows them again. */
async function postgresOutage(stack: ProcessStack, outageMs: number): Promise<string> {
  const admin = new Client({ connectionString: withDatabase(stack.serverUrl, 'postgres'), connectionTimeoutMillis: 10_000 });
  await admin.connect();
  const names = Object.values(stack.databaseNames);
  const allow = async (allowed: boolean) => {
    for (const name of names) await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS ${allowed}`);
  };
  try {
    await allow(false);
    const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY($1)', [names]);
    await sleep(outageMs);
    return `${rowCount} connections terminated, new ones refused for ${outageMs / 1000} s`;
  } finally {
    await allow(true);
    await admin.end();
  }
}

/** Injects `fault` and returns once it is over (the killed service ready again, the paused one resumed, the databases open again). */
export async function injectFault(stack: ProcessStack, fault: FaultName, options: ScenarioOptions): Promise<string> {
  switch (fault) {
    case 'order-killed':
    case 'course-killed':
    case 'gateway-killed': {
      const name = fault === 'order-killed' ? 'order' : fault === 'course-killed' ? 'course' : 'gateway';
      const pid = stack.pid(name);
      await stack.kill(name);
      await sleep(options.restartAfterMs);
      await stack.restart(name);
      return `${name} pid ${pid} SIGKILLed, restarted after ${options.restartAfterMs / 1000} s as pid ${stack.pid(name)}`;
    }
    case 'course-paused':
      stack.pause('course');
      try {
        await sleep(options.pauseMs);
      } finally {
        stack.resume('course');
      }
      return `course SIGSTOPped for ${options.pauseMs / 1000} s, then SIGCONT`;
    case 'postgres-restarted':
      return postgresOutage(stack, options.outageMs);
  }
}

// ---------------------------------------------------------------- checks

const count = (labels: string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const name of labels.sort()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
};

/** Why an answer is outside the contract, or null when it is allowed. */
function offContract(answer: Answer, operation: 'placeOrder' | 'cancelOrder'): string | null {
  const definite = operation === 'placeOrder' ? DEFINITE_PURCHASE_FAILURES : DEFINITE_CANCEL_FAILURES;
  switch (answer.kind) {
    case 'graphqlError':
      return answer.code === 'SERVICE_UNAVAILABLE' && answer.retryable
        ? null
        : `${operation}: ${label(answer)}${answer.code === 'SERVICE_UNAVAILABLE' ? ' without retryable' : ''}`;
    case 'userError':
      if (answer.code === 'ORDER_PENDING')
        return answer.status === 'PENDING' || answer.status === 'CANCELLING'
          ? null
          : `${operation}: ORDER_PENDING with order ${answer.status ?? 'null'}`;
      return definite.has(answer.code) ? null : `${operation}: ${answer.code}`;
    case 'order':
      return ['CONFIRMED', 'FAILED', 'CANCELLED'].includes(answer.status) ? null : `${operation}: order ${answer.status} without ORDER_PENDING`;
    case 'transport':
      return answer.detail === 'no answer in time' ? `${operation}: no answer within ${CLIENT_TIMEOUT_MS / 1000} s` : null;
  }
}

interface OrderRow {
  id: string;
  student_id: string;
  idempotency_key: string;
  course_id: string;
  status: string;
}

const FINAL_ORDER = ['CONFIRMED', 'FAILED', 'CANCELLED'];

/** Non-final orders and PENDING reservations of `courseIds`. */
async function unsettled(orderDb: Client, courseDb: Client, courseIds: string[]): Promise<number> {
  const orders = await orderDb.query('SELECT count(*)::int AS n FROM orders WHERE course_id = ANY($1) AND status <> ALL($2)', [
    courseIds,
    FINAL_ORDER,
  ]);
  const reservations = await courseDb.query(`SELECT count(*)::int AS n FROM reservation WHERE course_id = ANY($1) AND status = 'PENDING'`, [
    courseIds,
  ]);
  return (orders.rows[0] as { n: number }).n + (reservations.rows[0] as { n: number }).n;
}

/** Compares both databases with each other and with the answers of `purchases`, after waiting up to `settleMs` for the reconciler. */
export async function checkAgreement(
  stack: ProcessStack,
  courseIds: string[],
  purchases: Purchase[],
  settleMs: number,
): Promise<
  Pick<
    FaultReport,
    'courses' | 'disagreeingCourses' | 'rowMismatches' | 'nonFinalOrders' | 'pendingReservations' | 'settledAfterSeconds' | 'untruthful'
  >
> {
  const orderDb = new Client({ connectionString: stack.databaseUrls.order, connectionTimeoutMillis: 10_000 });
  const courseDb = new Client({ connectionString: stack.databaseUrls.course, connectionTimeoutMillis: 10_000 });
  await Promise.all([orderDb.connect(), courseDb.connect()]);
  try {
    const waitStarted = Date.now();
    let settledAfterSeconds: number | null = null;
    for (;;) {
      if ((await unsettled(orderDb, courseDb, courseIds)) === 0) {
        settledAfterSeconds = Math.round((Date.now() - waitStarted) / 100) / 10;
        break;
      }
      if (Date.now() - waitStarted > settleMs) break;
      await sleep(500);
    }
    const orders = (
      await orderDb.query('SELECT id, student_id, idempotency_key, course_id, status FROM orders WHERE course_id = ANY($1)', [courseIds])
    ).rows as OrderRow[];
    const reservations = new Map(
      (
        (await courseDb.query('SELECT key, status FROM reservation WHERE course_id = ANY($1)', [courseIds])).rows as { key: string; status: string }[]
      ).map((row) => [row.key, row.status]),
    );
    const counters = (
      await courseDb.query(
        'SELECT id, capacity, seats_available, seats_held, seats_sold FROM course WHERE id = ANY($1) ORDER BY array_position($1, id)',
        [courseIds],
      )
    ).rows as {
      id: string;
      capacity: number;
      seats_available: number;
      seats_held: number;
      seats_sold: number;
    }[];

    const courses: CourseAgreement[] = counters.map((row) => {
      const mine = orders.filter((order) => order.course_id === row.id);
      return {
        courseId: row.id,
        capacity: row.capacity,
        available: row.seats_available,
        held: row.seats_held,
        sold: row.seats_sold,
        confirmedReservations: 0,
        pendingReservations: 0,
        confirmedOrders: mine.filter((order) => order.status === 'CONFIRMED').length,
        nonFinalOrders: mine.filter((order) => !FINAL_ORDER.includes(order.status)).length,
      };
    });
    const byCourse = new Map(courses.map((course) => [course.courseId, course]));
    for (const row of (
      await courseDb.query('SELECT course_id, status, count(*)::int AS n FROM reservation WHERE course_id = ANY($1) GROUP BY 1, 2', [courseIds])
    ).rows as {
      course_id: string;
      status: string;
      n: number;
    }[]) {
      const course = byCourse.get(row.course_id)!;
      if (row.status === 'CONFIRMED') course.confirmedReservations = row.n;
      if (row.status === 'PENDING') course.pendingReservations = row.n;
    }
    const disagreeingCourses = courses.filter(
      (c) => c.confirmedOrders !== c.sold || c.sold !== c.confirmedReservations || c.held !== c.pendingReservations,
    );

    // Order by order: a CONFIRMED order owns a CONFIRMED reservation, a CANCELLED one a CANCELLED reservation, a FAILED one no sold seat.
    const rowMismatches: string[] = [];
    const orderById = new Map(orders.map((order) => [order.id, order]));
    for (const order of orders) {
      const reservation = reservations.get(order.id) ?? 'none';
      const agrees =
        order.status === 'CONFIRMED'
          ? reservation === 'CONFIRMED'
          : order.status === 'CANCELLED'
            ? reservation === 'CANCELLED'
            : order.status === 'FAILED'
              ? reservation !== 'CONFIRMED'
              : true;
      if (!agrees) rowMismatches.push(`order ${order.id} ${order.status}, reservation ${reservation}`);
    }
    for (const [key, status] of reservations) {
      if (status === 'CONFIRMED' && !orderById.has(key)) rowMismatches.push(`reservation ${key} CONFIRMED without an order`);
    }

    const untruthful: string[] = [];
    const orderByKey = new Map(orders.map((order) => [`${order.student_id}/${order.idempotency_key}`, order]));
    for (const purchase of purchases) {
      const order = orderByKey.get(`${purchase.studentId}/${purchase.key}`);
      const status = order?.status ?? 'no order';
      const told = purchase.answers.filter((answer) => answer.kind === 'order' && answer.status === 'CONFIRMED');
      const failure = purchase.answers.find(
        (answer) =>
          (answer.kind === 'userError' && DEFINITE_PURCHASE_FAILURES.has(answer.code)) || (answer.kind === 'order' && answer.status === 'FAILED'),
      );
      const who = `key ${purchase.key}`;
      if (told.length && !(status === 'CONFIRMED' || (status === 'CANCELLED' && purchase.cancels.length > 0)))
        untruthful.push(`${who}: told CONFIRMED, order is ${status}`);
      if (failure && (status === 'CONFIRMED' || status === 'CANCELLED'))
        untruthful.push(`${who}: told ${label(failure)}, but a seat was sold (order ${status})`);
      if (failure && told.length) untruthful.push(`${who}: told both CONFIRMED and ${label(failure)}`);
      if (!purchase.cancels.length) continue;
      const reservation = order ? (reservations.get(order.id) ?? 'none') : 'none';
      const done = purchase.cancels.some((answer) => answer.kind === 'order' && answer.status === 'CANCELLED');
      const last = purchase.cancels[purchase.cancels.length - 1]!;
      if (done && (status !== 'CANCELLED' || reservation !== 'CANCELLED'))
        untruthful.push(`${who}: told cancelled, order ${status}, reservation ${reservation}`);
      if (!done && last.kind === 'userError' && DEFINITE_CANCEL_FAILURES.has(last.code) && status !== 'CONFIRMED') {
        untruthful.push(`${who}: cancel refused with ${last.code}, but the order is ${status}`);
      }
    }
    return {
      courses,
      disagreeingCourses,
      rowMismatches,
      nonFinalOrders: courses.reduce((sum, course) => sum + course.nonFinalOrders, 0),
      pendingReservations: courses.reduce((sum, course) => sum + course.pendingReservations, 0),
      settledAfterSeconds,
      untruthful,
    };
  } finally {
    await Promise.all([orderDb.end(), courseDb.end()]);
  }
}

/** The checks a report fails, each with its numbers; empty when the run held the contract. */
export function failedChecks(report: FaultReport): string[] {
  const failed: string[] = [];
  const offContract = Object.entries(report.offContract);
  if (report.notReady.length) failed.push(`services not ready after the fault: ${report.notReady.join('; ')}`);
  if (report.disagreeingCourses.length) {
    const examples = report.disagreeingCourses
      .slice(0, 3)
      .map(
        (c) =>
          `capacity ${c.capacity}: ${c.available} available; ${c.held} held, ${c.pendingReservations} PENDING reservations; ${c.sold} sold, ${c.confirmedReservations} CONFIRMED reservations, ${c.confirmedOrders} CONFIRMED orders`,
      );
    failed.push(`${report.disagreeingCourses.length} of ${report.courses.length} courses disagree (e.g. ${examples.join(' | ')})`);
  }
  if (report.rowMismatches.length)
    failed.push(`${report.rowMismatches.length} orders disagree with their reservation (e.g. ${report.rowMismatches.slice(0, 3).join('; ')})`);
  if (report.nonFinalOrders || report.pendingReservations) {
    failed.push(
      `left after the reconciler window: ${report.nonFinalOrders} PENDING/CANCELLING orders, ${report.pendingReservations} PENDING reservations`,
    );
  }
  if (report.untruthful.length)
    failed.push(`${report.untruthful.length} answers claimed an outcome that did not happen (e.g. ${report.untruthful.slice(0, 3).join('; ')})`);
  if (offContract.length) failed.push(`answers outside the contract: ${offContract.map(([name, n]) => `${name} ×${n}`).join(', ')}`);
  return failed;
}

// ---------------------------------------------------------------- one run

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * One run: fresh courses and students on the running stack, the load, the
 * fault `faultAtMs` in, the load for `loadAfterFaultMs` more, then the checks.
 * Leaves every service running (restarted where the fault killed it).
 */
export async function runFaultScenario(stack: ProcessStack, fault: FaultName, options: ScenarioOptions): Promise<FaultReport> {
  const log = options.log ?? (() => undefined);
  const courses = await createCourses(stack, options.courses, options.seatsPerCourse);
  const started = Date.now();
  const timeline: string[] = [];
  const at = (event: string) => {
    timeline.push(`${seconds(Date.now() - started)}: ${event}`);
    log(`${FAULT_TITLES[fault]}: ${timeline[timeline.length - 1]}`);
  };
  at(`load started: ${options.students} students, ${options.courses} courses of ${options.seatsPerCourse} seats`);
  const load = startLoad({
    gatewayUrl: stack.gatewayUrl,
    token: (viewer) => stack.token(viewer),
    courses,
    students: options.students,
    cancelRate: options.cancelRate,
    purchasesPerStudent: 1_000,
    maxAttempts: 12,
    retryForMs: 45_000,
    requestTimeoutMs: CLIENT_TIMEOUT_MS,
  });
  const notReady: string[] = [];
  try {
    await sleep(options.faultAtMs);
    at('fault injected');
    at(`fault over: ${await injectFault(stack, fault, options)}`);
    await sleep(options.loadAfterFaultMs);
  } finally {
    at('load stopping: no new purchases');
    await load.stop();
  }
  at(`load stopped after ${load.purchases.length} purchases`);
  for (const name of SERVICES) {
    await stack.waitReady(name, 30_000).catch((error: unknown) => notReady.push(`${name}: ${String(error)}`));
  }
  const agreement = await checkAgreement(
    stack,
    courses.map((course) => course.id),
    load.purchases,
    options.settleMs,
  );
  at(
    agreement.settledAfterSeconds === null
      ? `checked; non-final states still left after ${seconds(options.settleMs)}`
      : `settled ${agreement.settledAfterSeconds} s after the load stopped; checked`,
  );
  return { fault, timeline, notReady, ...summarizeAnswers(load.purchases), ...agreement };
}

/** What clients saw: every answer and each purchase's last one by label, and the answers the contract does not allow. */
export function summarizeAnswers(
  purchases: Purchase[],
): Pick<FaultReport, 'purchases' | 'cancels' | 'placeAnswers' | 'finalAnswers' | 'cancelAnswers' | 'offContract'> {
  const place = purchases.flatMap((purchase) => purchase.answers);
  const cancels = purchases.flatMap((purchase) => purchase.cancels);
  return {
    purchases: purchases.length,
    cancels: purchases.filter((purchase) => purchase.cancels.length).length,
    placeAnswers: count(place.map(label)),
    finalAnswers: count(
      purchases.filter((purchase) => purchase.answers.length).map((purchase) => label(purchase.answers[purchase.answers.length - 1]!)),
    ),
    cancelAnswers: count(cancels.map(label)),
    offContract: count(
      [...place.map((answer) => offContract(answer, 'placeOrder')), ...cancels.map((answer) => offContract(answer, 'cancelOrder'))].filter(
        (reason): reason is string => reason !== null,
      ),
    ),
  };
}

// ---------------------------------------------------------------- report

const table = (header: [string, string], counts: Record<string, number>) =>
  [`| ${header[0]} | ${header[1]} |`, '|---|---:|', ...Object.entries(counts).map(([name, n]) => `| ${name} | ${n} |`)].join('\n');

/** A report as Markdown: the timeline, what clients saw by code, the per-course agreement and the failed checks. */
export function formatReport(report: FaultReport): string {
  const failed = failedChecks(report);
  const sold = report.courses.reduce((sum, course) => sum + course.sold, 0);
  const confirmed = report.courses.reduce((sum, course) => sum + course.confirmedOrders, 0);
  return [
    `### ${FAULT_TITLES[report.fault]}`,
    '',
    ...report.timeline.map((line) => `- ${line}`),
    '',
    `${report.purchases} purchases (idempotency keys), ${report.cancels} of them cancelled by the student.`,
    '',
    table(['placeOrder answers (every attempt)', 'count'], report.placeAnswers),
    '',
    table(['last answer of each purchase', 'count'], report.finalAnswers),
    '',
    table(['cancelOrder answers (every attempt)', 'count'], report.cancelAnswers),
    '',
    '| per-course agreement | value |',
    '|---|---:|',
    `| courses checked | ${report.courses.length} |`,
    `| courses where CONFIRMED orders, sold seats and CONFIRMED reservations, or held seats and PENDING reservations, disagree | ${report.disagreeingCourses.length} |`,
    `| orders disagreeing with their reservation | ${report.rowMismatches.length} |`,
    `| PENDING/CANCELLING orders left | ${report.nonFinalOrders} |`,
    `| PENDING reservations left | ${report.pendingReservations} |`,
    `| seats sold / CONFIRMED orders | ${sold} / ${confirmed} |`,
    `| answers claiming an outcome that did not happen | ${report.untruthful.length} |`,
    `| answers outside the contract | ${Object.values(report.offContract).reduce((sum, n) => sum + n, 0)} |`,
    '',
    failed.length ? `**Checks failed:**\n${failed.map((line) => `- ${line}`).join('\n')}` : '**All checks held.**',
    '',
  ].join('\n');
}
