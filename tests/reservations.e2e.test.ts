/**
 * Seat reservations, driven through the course subgraph's internal API with
 * the service credential (as the order saga does), watched through the
 * gateway: expiry by the sweeper, and every transition happening exactly once
 * however often it is asked for.
 */
import { randomUUID } from 'node:crypto';
import { createCourse } from '@coursegraph/devkit/fixtures';
import { SERVICE_HEADER, signServiceCredential } from '@coursegraph/runtime';
import { graphql, SECRETS, startStack, type Stack } from '@coursegraph/devkit/stack';

const TTL_SECONDS = 2;
const SWEEP_SECONDS = 1;
/** Slack for the sweep itself, the poll interval and a loaded machine. */
const MARGIN_MS = 1_500;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ course: { reservationTtlSeconds: TTL_SECONDS, sweepIntervalSeconds: SWEEP_SECONDS } });
});
afterAll(() => stack?.stop());

const USD = (amount = 1_000) => ({ amount, currency: 'USD' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ReservationView {
  id: string;
  key: string;
  courseId: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED' | 'EXPIRED';
  expiresAt: string;
  price: { amount: number; currency: string };
}
interface UserErrorView {
  code: string;
  field: string | null;
  message: string;
}
interface ReservationPayload {
  reservation: ReservationView | null;
  course: { seatsAvailable: number; seatsHeld: number; seatsSold: number; seatsVersion: number } | null;
  userErrors: UserErrorView[];
}

const PAYLOAD = `reservation { id key courseId status expiresAt price { amount currency } }
  course { seatsAvailable seatsHeld seatsSold seatsVersion }
  userErrors { code field message }`;

async function internal(field: string, query: string, variables: object): Promise<ReservationPayload> {
  const response = await stack.callCourseAsService<Record<string, ReservationPayload>>(query, variables);
  expect(response.errors).toBeUndefined();
  return response.data![field]!;
}

const reserve = (courseId: string, key: string, holderId: string = randomUUID()) =>
  internal('reserveSeat', `mutation ($input: ReserveSeatInput!) { reserveSeat(input: $input) { ${PAYLOAD} } }`, {
    input: { courseId, expectedPrice: USD(), key, holderId },
  });
const confirm = (key: string) =>
  internal('confirmReservation', `mutation ($input: ReservationKeyInput!) { confirmReservation(input: $input) { ${PAYLOAD} } }`, {
    input: { key },
  });
const cancel = (key: string) =>
  internal('cancelReservation', `mutation ($input: CancelReservationInput!) { cancelReservation(input: $input) { ${PAYLOAD} } }`, {
    input: { key },
  });

async function findReservation(key: string): Promise<ReservationView | null> {
  const response = await stack.callCourseAsService<{ reservation: ReservationView | null }>(
    `query ($key: String!) { reservation(key: $key) { id key courseId status expiresAt price { amount currency } } }`,
    { key },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.reservation;
}

/** The public view of a course's seats, through the gateway. */
async function publicSeats(courseId: string) {
  const response = await stack.call<{ course: { seatsAvailable: number; seatsHeld: number; seatsSold: number } | null }, { id: string }>(
    'query ($id: ID!) { course(id: $id) { seatsAvailable seatsHeld seatsSold } }',
    { id: courseId },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.course!;
}

interface CourseState {
  capacity: number;
  available: number;
  held: number;
  sold: number;
  version: number;
  pending: number;
  confirmed: number;
  cancelled: number;
  expired: number;
}

/**
 * The seat invariant in the course database. Reservations made directly have
 * no order row, so counters are checked against reservation rows: held =
 * PENDING, sold = CONFIRMED. (That they add up to capacity and are never
 * negative is the course table's CHECK constraints' job, tested in
 * subgraphs/course/test/constraints.test.ts.)
 */
async function expectCourseConsistent(courseId: string): Promise<CourseState> {
  const { rows } = await stack.courseDb.query(
    `SELECT c.capacity, c.seats_available AS available, c.seats_held AS held, c.seats_sold AS sold, c.seats_version AS version,
            count(r.*) FILTER (WHERE r.status = 'PENDING')::int AS pending,
            count(r.*) FILTER (WHERE r.status = 'CONFIRMED')::int AS confirmed,
            count(r.*) FILTER (WHERE r.status = 'CANCELLED')::int AS cancelled,
            count(r.*) FILTER (WHERE r.status = 'EXPIRED')::int AS expired
       FROM course c LEFT JOIN reservation r ON r.course_id = c.id
      WHERE c.id = $1 GROUP BY c.id`,
    [courseId],
  );
  const state = rows[0] as CourseState;
  expect({ held: state.held, sold: state.sold }).toEqual({ held: state.pending, sold: state.confirmed });
  const orders = await stack.orderDb.query('SELECT count(*)::int AS n FROM orders WHERE course_id = $1', [courseId]);
  expect(orders.rows[0].n).toBe(0);
  return state;
}

async function reservationRow(key: string) {
  const { rows } = await stack.courseDb.query('SELECT * FROM reservation WHERE key = $1', [key]);
  expect(rows).toHaveLength(1);
  return rows[0] as Record<string, unknown>;
}

const newKey = () => `order-${randomUUID()}`;

/** Waits until the sweeper has expired every reservation of `keys` (a generous 30 s at most). */
async function untilExpired(keys: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows } = await stack.courseDb.query(`SELECT count(*)::int AS n FROM reservation WHERE key = ANY($1) AND status = 'EXPIRED'`, [keys]);
    if (rows[0].n === keys.length) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${keys.length} reservations expired within 30 s`);
    await sleep(100);
  }
}

/**
 * Reserves a seat whose hold then lasts 10 minutes instead of this stack's
 * 2 s, for tests about transitions rather than expiry, so a slow machine
 * cannot expire it mid-test.
 */
async function reserveLasting(courseId: string, key: string): Promise<void> {
  expect((await reserve(courseId, key)).userErrors).toEqual([]);
  await stack.courseDb.query(`UPDATE reservation SET expires_at = now() + interval '10 minutes' WHERE key = $1`, [key]);
}

describe('reservation expiry', () => {
  test('an unconfirmed reservation expires and its seat returns within TTL + sweep interval', async () => {
    const course = await createCourse(stack, { capacity: 3 });
    const key = newKey();
    const reservedAt = Date.now();
    const reserved = await reserve(course.id, key);
    expect(reserved.userErrors).toEqual([]);
    expect(reserved.reservation).toMatchObject({ key, courseId: course.id, status: 'PENDING', price: USD() });
    const expiresAt = Date.parse(reserved.reservation!.expiresAt);
    expect(expiresAt - reservedAt).toBeGreaterThanOrEqual(TTL_SECONDS * 1000 - 100);
    expect(expiresAt - reservedAt).toBeLessThanOrEqual(TTL_SECONDS * 1000 + 1_000);
    expect(await publicSeats(course.id)).toEqual({ seatsAvailable: 2, seatsHeld: 1, seatsSold: 0 });
    expect(await expectCourseConsistent(course.id)).toMatchObject({ held: 1, pending: 1, version: 1 });

    // Poll through the gateway until the seat is back.
    const limit = reservedAt + (TTL_SECONDS + SWEEP_SECONDS) * 1000 + MARGIN_MS;
    let seats = await publicSeats(course.id);
    while (seats.seatsHeld !== 0 && Date.now() < limit) {
      await sleep(100);
      seats = await publicSeats(course.id);
    }
    const returnedAt = Date.now();
    expect(seats).toEqual({ seatsAvailable: 3, seatsHeld: 0, seatsSold: 0 });
    expect(returnedAt).toBeLessThanOrEqual(limit);
    // ... and not before the hold ran out.
    expect(returnedAt).toBeGreaterThanOrEqual(expiresAt);

    expect((await findReservation(key))?.status).toBe('EXPIRED');
    expect(await expectCourseConsistent(course.id)).toMatchObject({ available: 3, held: 0, expired: 1, version: 2 });

    // A late confirm or cancel changes nothing.
    const row = await reservationRow(key);
    const lateConfirm = await confirm(key);
    expect(lateConfirm.userErrors).toEqual([{ code: 'RESERVATION_EXPIRED', field: 'input.key', message: expect.any(String) }]);
    expect(lateConfirm.reservation?.status).toBe('EXPIRED');
    const lateCancel = await cancel(key);
    expect(lateCancel.userErrors).toEqual([{ code: 'ILLEGAL_TRANSITION', field: 'input.key', message: expect.any(String) }]);
    expect(await reservationRow(key)).toEqual(row);
    expect(await expectCourseConsistent(course.id)).toMatchObject({ available: 3, held: 0, sold: 0, version: 2 });
    // A retried reserveSeat with the same key answers the expired reservation and takes no seat.
    const replayed = await reserve(course.id, key, String(row.holder_id));
    expect(replayed.reservation).toMatchObject({ key, status: 'EXPIRED' });
    expect(await expectCourseConsistent(course.id)).toMatchObject({ available: 3, held: 0, version: 2 });
  });

  test('many reservations on several courses all expire, each seat returned once', async () => {
    const courses = await Promise.all([createCourse(stack, { capacity: 5 }), createCourse(stack, { capacity: 5 })]);
    const keys = courses.flatMap((course) => Array.from({ length: 4 }, () => ({ courseId: course.id, key: newKey() })));
    const results = await Promise.all(keys.map(({ courseId, key }) => reserve(courseId, key)));
    expect(results.flatMap((r) => r.userErrors)).toEqual([]);
    for (const course of courses) expect(await expectCourseConsistent(course.id)).toMatchObject({ available: 1, held: 4 });
    await untilExpired(keys.map(({ key }) => key));
    for (const course of courses) {
      expect(await publicSeats(course.id)).toEqual({ seatsAvailable: 5, seatsHeld: 0, seatsSold: 0 });
      // One version bump per reservation and one per expiry batch touching the course: at least 5, and the
      // counters (checked above and here) prove no seat was released twice.
      const state = await expectCourseConsistent(course.id);
      expect(state).toMatchObject({ available: 5, held: 0, expired: 4 });
      expect(state.version).toBeGreaterThanOrEqual(5);
      expect(state.version).toBeLessThanOrEqual(8);
    }
  });
});

describe('transitions happen exactly once', () => {
  test('confirm 5 times concurrently then 5 times in a row: held -> sold once; a confirmed seat never expires', async () => {
    const course = await createCourse(stack, { capacity: 3 });
    const key = newKey();
    const reserved = await reserve(course.id, key);
    expect(reserved.reservation?.status).toBe('PENDING');
    // Held just after it on another course and never confirmed: once the sweeper has expired this one, it has looked at ours too.
    const canary = newKey();
    expect((await reserve((await createCourse(stack, { capacity: 1 })).id, canary)).userErrors).toEqual([]);
    expect(await expectCourseConsistent(course.id)).toMatchObject({ available: 2, held: 1, sold: 0, version: 1 });

    const concurrent = await Promise.all(Array.from({ length: 5 }, () => confirm(key)));
    expect(concurrent.map((r) => r.userErrors)).toEqual(Array(5).fill([]));
    expect(concurrent.map((r) => r.reservation?.status)).toEqual(Array(5).fill('CONFIRMED'));
    expect(new Set(concurrent.map((r) => r.reservation?.id))).toEqual(new Set([reserved.reservation!.id]));
    // Exactly one call moved the counters and reports the course after the move.
    expect(concurrent.filter((r) => r.course !== null).map((r) => r.course)).toEqual([
      { seatsAvailable: 2, seatsHeld: 0, seatsSold: 1, seatsVersion: 2 },
    ]);
    const afterConcurrent = await expectCourseConsistent(course.id);
    expect(afterConcurrent).toMatchObject({ available: 2, held: 0, sold: 1, version: 2, confirmed: 1 });
    const row = await reservationRow(key);

    for (let i = 0; i < 5; i++) {
      const again = await confirm(key);
      expect(again.userErrors).toEqual([]);
      expect(again.reservation?.status).toBe('CONFIRMED');
    }
    expect(await reservationRow(key)).toEqual(row);
    expect(await expectCourseConsistent(course.id)).toEqual(afterConcurrent);
    expect(await publicSeats(course.id)).toEqual({ seatsAvailable: 2, seatsHeld: 0, seatsSold: 1 });

    // Past its TTL and a sweep, a confirmed reservation stays sold.
    await untilExpired([canary]);
    expect((await findReservation(key))?.status).toBe('CONFIRMED');
    expect(await expectCourseConsistent(course.id)).toEqual(afterConcurrent);
  });

  test('cancel after confirm, 5 times concurrently then 5 in a row: sold -> available once; confirm after cancel is ILLEGAL_TRANSITION', async () => {
    const course = await createCourse(stack, { capacity: 3 });
    const key = newKey();
    await reserve(course.id, key);
    const confirmed = await confirm(key);
    expect(confirmed.reservation?.status).toBe('CONFIRMED');
    expect(await expectCourseConsistent(course.id)).toMatchObject({ available: 2, sold: 1, version: 2 });

    const concurrent = await Promise.all(Array.from({ length: 5 }, () => cancel(key)));
    expect(concurrent.map((r) => r.userErrors)).toEqual(Array(5).fill([]));
    expect(concurrent.map((r) => r.reservation?.status)).toEqual(Array(5).fill('CANCELLED'));
    expect(concurrent.filter((r) => r.course !== null).map((r) => r.course)).toEqual([
      { seatsAvailable: 3, seatsHeld: 0, seatsSold: 0, seatsVersion: 3 },
    ]);
    const afterCancel = await expectCourseConsistent(course.id);
    expect(afterCancel).toMatchObject({ available: 3, held: 0, sold: 0, version: 3, cancelled: 1 });
    const row = await reservationRow(key);

    for (let i = 0; i < 5; i++) {
      const again = await cancel(key);
      expect(again.userErrors).toEqual([]);
      expect(again.reservation?.status).toBe('CANCELLED');
    }
    expect(await reservationRow(key)).toEqual(row);
    expect(await expectCourseConsistent(course.id)).toEqual(afterCancel);

    const confirms = [await confirm(key), ...(await Promise.all(Array.from({ length: 3 }, () => confirm(key))))];
    for (const late of confirms) {
      expect(late.userErrors).toEqual([{ code: 'ILLEGAL_TRANSITION', field: 'input.key', message: expect.stringMatching(/\S/) }]);
      expect(late.reservation?.status).toBe('CANCELLED');
      expect(late.course).toBeNull();
    }
    expect(await reservationRow(key)).toEqual(row);
    expect(await expectCourseConsistent(course.id)).toEqual(afterCancel);
    expect(await publicSeats(course.id)).toEqual({ seatsAvailable: 3, seatsHeld: 0, seatsSold: 0 });
  });

  test('cancel of a pending reservation, repeated concurrently: held -> available once; then confirm is ILLEGAL_TRANSITION', async () => {
    const course = await createCourse(stack, { capacity: 2 });
    const key = newKey();
    await reserve(course.id, key);
    const results = await Promise.all(Array.from({ length: 5 }, () => cancel(key)));
    expect(results.map((r) => r.reservation?.status)).toEqual(Array(5).fill('CANCELLED'));
    const state = await expectCourseConsistent(course.id);
    expect(state).toMatchObject({ available: 2, held: 0, sold: 0, version: 2, cancelled: 1 });
    const late = await confirm(key);
    expect(late.userErrors.map((e) => [e.code, e.field])).toEqual([['ILLEGAL_TRANSITION', 'input.key']]);
    expect(await expectCourseConsistent(course.id)).toEqual(state);
  });

  /**
   * Holds the reservation's row lock while `first` and then `second` queue on
   * it, in that order, then lets them go: PostgreSQL grants a row lock to its
   * waiters in the order they came, so `first` runs first.
   */
  async function inOrder<A, B>(key: string, first: [() => Promise<A>, string], second: [() => Promise<B>, string]): Promise<[A, B]> {
    const holder = await stack.courseDb.connect();
    const waitingOn = async (like: string) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const { rows } = await stack.courseDb.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE $1`,
          [like],
        );
        if (rows[0].n > 0) return;
        if (Date.now() > deadline) throw new Error(`no statement like ${like} waits on the reservation lock`);
        await sleep(20);
      }
    };
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM reservation WHERE key = $1 FOR UPDATE', [key]);
      const a = first[0]();
      await waitingOn(first[1]);
      const b = second[0]();
      await waitingOn(second[1]);
      await holder.query('ROLLBACK');
      return await Promise.all([a, b]);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
  }
  // The statements each call queues on the reservation lock with.
  const CONFIRMING = '%UPDATE reservation SET status%';
  const CANCELLING = '%FROM "reservation"%FOR UPDATE%';

  test('confirm and cancel queued on a pending reservation, confirm first: it sells the seat, the cancel then gives it back', async () => {
    const course = await createCourse(stack, { capacity: 2 });
    const key = newKey();
    await reserveLasting(course.id, key);
    const [confirmed, cancelled] = await inOrder(key, [() => confirm(key), CONFIRMING], [() => cancel(key), CANCELLING]);
    expect(confirmed).toMatchObject({
      userErrors: [],
      reservation: { status: 'CONFIRMED' },
      course: { seatsAvailable: 1, seatsHeld: 0, seatsSold: 1, seatsVersion: 2 },
    });
    expect(cancelled).toMatchObject({
      userErrors: [],
      reservation: { status: 'CANCELLED' },
      course: { seatsAvailable: 2, seatsHeld: 0, seatsSold: 0, seatsVersion: 3 },
    });
    expect(await expectCourseConsistent(course.id)).toMatchObject({ available: 2, held: 0, sold: 0, version: 3, cancelled: 1 });
  });

  test('confirm and cancel queued on a pending reservation, cancel first: the seat goes back, the confirm is ILLEGAL_TRANSITION and moves nothing', async () => {
    const course = await createCourse(stack, { capacity: 2 });
    const key = newKey();
    await reserveLasting(course.id, key);
    const [cancelled, confirmed] = await inOrder(key, [() => cancel(key), CANCELLING], [() => confirm(key), CONFIRMING]);
    expect(cancelled).toMatchObject({
      userErrors: [],
      reservation: { status: 'CANCELLED' },
      course: { seatsAvailable: 2, seatsHeld: 0, seatsSold: 0, seatsVersion: 2 },
    });
    expect(confirmed).toMatchObject({
      userErrors: [{ code: 'ILLEGAL_TRANSITION', field: 'input.key' }],
      reservation: { status: 'CANCELLED' },
      course: null,
    });
    expect(await expectCourseConsistent(course.id)).toMatchObject({ available: 2, held: 0, sold: 0, version: 2, cancelled: 1 });
  });

  test('a confirm and a cancel racing on each of 15 pending reservations: each pair ends one of the two ways, and the counters add up to what the winners did', async () => {
    const ROUNDS = 15;
    const course = await createCourse(stack, { capacity: ROUNDS });
    const keys = Array.from({ length: ROUNDS }, newKey);
    for (const key of keys) await reserveLasting(course.id, key);
    const pairs = await Promise.all(keys.map((key) => Promise.all([confirm(key), cancel(key)])));
    let confirmFirst = 0;
    for (const [confirmed, cancelled] of pairs) {
      // Either way the cancel succeeds and moves a seat back to available.
      expect(cancelled).toMatchObject({ userErrors: [], reservation: { status: 'CANCELLED' }, course: expect.any(Object) });
      if (confirmed.userErrors.length === 0) {
        // The confirm got the lock first: it sold the seat, the cancel then refunded it.
        expect(confirmed).toMatchObject({ reservation: { status: 'CONFIRMED' }, course: expect.any(Object) });
        expect(confirmed.course!.seatsVersion).toBeLessThan(cancelled.course!.seatsVersion);
        confirmFirst += 1;
      } else {
        // The cancel got it first: the confirm moved nothing.
        expect(confirmed).toMatchObject({ userErrors: [{ code: 'ILLEGAL_TRANSITION' }], reservation: { status: 'CANCELLED' }, course: null });
      }
    }
    const state = await expectCourseConsistent(course.id);
    // One bump per reservation, one per cancel, one per confirm that won.
    expect(state).toMatchObject({ available: ROUNDS, held: 0, sold: 0, cancelled: ROUNDS, version: 2 * ROUNDS + confirmFirst });
  });

  test('reserveSeat repeated with one key, concurrently: one reservation, one seat', async () => {
    const course = await createCourse(stack, { capacity: 4 });
    const key = newKey();
    const holderId = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => reserve(course.id, key, holderId)));
    expect(results.flatMap((r) => r.userErrors)).toEqual([]);
    expect(new Set(results.map((r) => r.reservation?.id)).size).toBe(1);
    expect(await expectCourseConsistent(course.id)).toMatchObject({ available: 3, held: 1, pending: 1, version: 1 });
    const other = await reserve(course.id, key, randomUUID());
    expect(other.userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await expectCourseConsistent(course.id)).toMatchObject({ available: 3, held: 1, version: 1 });
    await cancel(key);
  });
});

describe('who may call the seat API', () => {
  test('only the order subgraph: a valid service credential signed as another service is FORBIDDEN and takes no seat (red team, issue 15)', async () => {
    const course = await createCourse(stack, { capacity: 2 });
    const key = newKey();
    const input = { courseId: course.id, expectedPrice: USD(), key, holderId: randomUUID() };
    const asAccounts = await graphql(
      stack.courseUrl,
      'mutation ($input: ReserveSeatInput!) { purchaseSeat(input: $input) { reservation { status } } }',
      { input },
      { [SERVICE_HEADER]: signServiceCredential(SECRETS.serviceSecret, 'accounts') },
    );
    expect(asAccounts.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(await findReservation(key)).toBeNull();
    expect(await expectCourseConsistent(course.id)).toMatchObject({ available: 2, held: 0, sold: 0, version: 0 });
  });
});
