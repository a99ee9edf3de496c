/**
 * Seat reservations against a fresh PostgreSQL database: every transition
 * moves the counters exactly once, repeats are no-ops, failures change
 * nothing, and reserveSeat really takes the course row lock.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions, type Logger as TypeOrmLogger, type QueryRunner } from 'typeorm';
import { openDatabase, type Viewer } from '@coursegraph/runtime';
import { createTestDatabases, type TestDatabases } from '@coursegraph/devkit/databases';
import { expectCourseInvariant, type Counters } from '@coursegraph/devkit/invariant';
import { createCourseDataSource } from '../src/data-source';
import { archiveCourse, createCourse, publishCourse, updateCapacity, updatePrice } from '../src/courses';
import { moveSeats } from '../src/counters';
import { SEAT_EVENTS_CHANNEL } from '../src/seat-event';
import { cancelReservation, confirmReservation, findReservation, purchaseSeat, reserveSeat, type ReserveSeatRequest } from '../src/seats';
import { seatLedger } from '../src/ledger';

const TTL_SECONDS = 600;
const USD = (amount = 1_000) => ({ amount, currency: 'USD' });

let databases: TestDatabases;
let dataSource: DataSource;
let db: Client;
const instructor: Viewer = { userId: randomUUID(), roles: ['INSTRUCTOR'] };

beforeAll(async () => {
  databases = await createTestDatabases('course');
  dataSource = await openDatabase(createCourseDataSource(databases.urls.course!));
  db = new Client({ connectionString: databases.urls.course });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await dataSource?.destroy();
  await databases?.drop();
});

interface CourseSpec {
  capacity?: number;
  amount?: number;
  status?: 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';
}

async function newCourse({ capacity = 10, amount = 1_000, status = 'PUBLISHED' }: CourseSpec = {}): Promise<string> {
  const created = await createCourse(dataSource, instructor, { title: 'Seats under test', price: USD(amount), capacity });
  expect(created.userErrors).toEqual([]);
  const id = created.course!.id;
  if (status !== 'DRAFT') expect((await publishCourse(dataSource, instructor, id)).userErrors).toEqual([]);
  if (status === 'ARCHIVED') expect((await archiveCourse(dataSource, instructor, id)).userErrors).toEqual([]);
  return id;
}

async function counters(courseId: string): Promise<Counters> {
  const { rows } = await db.query(
    `SELECT capacity, seats_available AS available, seats_held AS held, seats_sold AS sold, seats_version AS version
       FROM course WHERE id = $1`,
    [courseId],
  );
  return rows[0] as Counters;
}

const expectInvariant = (courseId: string) => expectCourseInvariant(db, courseId);

async function reservationRows(key: string): Promise<{ status: string; course_id: string }[]> {
  return (await db.query('SELECT status, course_id FROM reservation WHERE key = $1', [key])).rows;
}

const request = (courseId: string, overrides: Partial<ReserveSeatRequest> = {}): ReserveSeatRequest => ({
  courseId,
  expectedPrice: USD(),
  key: `order-${randomUUID()}`,
  holderId: randomUUID(),
  ...overrides,
});

/**
 * TypeORM logs the unique violations that same-key races provoke on purpose
 * (the code turns them into a replay); keep them out of the test output.
 */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const spy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return await work();
  } finally {
    spy.mockRestore();
  }
}

/** Waits until `count` sessions of this database wait on a lock (those whose pg_stat_activity row matches `where`). */
async function waitForLockWaiters(count: number, where = 'true'): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND (${where})`,
    );
    if (rows[0].n >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${count} sessions wait on a lock`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reserves a seat that must succeed; returns the key. */
async function reserved(courseId: string): Promise<string> {
  const req = request(courseId);
  const result = await reserveSeat(dataSource, req, TTL_SECONDS);
  expect(result.userErrors).toEqual([]);
  return req.key;
}

/** The two ways to take a seat: held (reserveSeat) or sold at once (purchaseSeat); the same rules hold for both. */
const WAYS = [
  { name: 'reserveSeat', take: (req: ReserveSeatRequest) => reserveSeat(dataSource, req, TTL_SECONDS), status: 'PENDING', ttl: TTL_SECONDS },
  { name: 'purchaseSeat', take: (req: ReserveSeatRequest) => purchaseSeat(dataSource, req), status: 'CONFIRMED', ttl: 0 },
] as const;

describe.each(WAYS)('$name', ({ take, status, ttl }) => {
  /** The counters of `n` seats taken this way: held, or sold. */
  const taken = (n: number) => (status === 'PENDING' ? { held: n, sold: 0 } : { held: 0, sold: n });

  test('moves one seat from available and returns the reservation', async () => {
    const courseId = await newCourse({ capacity: 5 });
    const req = request(courseId);
    const before = Date.now();
    const result = await take(req);
    expect(result.userErrors).toEqual([]);
    expect(result.reservation).toMatchObject({
      key: req.key,
      courseId,
      holderId: req.holderId,
      status,
      priceAmount: 1_000,
      priceCurrency: 'USD',
    });
    const expiresIn = result.reservation!.expiresAt.getTime() - before;
    expect(expiresIn).toBeGreaterThanOrEqual(ttl * 1000);
    expect(expiresIn).toBeLessThan(ttl * 1000 + 5_000);
    expect(result.course).toMatchObject({ id: courseId, seatsAvailable: 4, seatsHeld: taken(1).held, seatsSold: taken(1).sold, seatsVersion: 1 });
    expect(await expectInvariant(courseId)).toEqual({ capacity: 5, available: 4, ...taken(1), version: 1 });
    expect(await reservationRows(req.key)).toEqual([{ status, course_id: courseId }]);
    const found = await findReservation(dataSource, req.key);
    expect(found?.id).toBe(result.reservation!.id);
  });

  test('is idempotent on the key when repeated in a row: same reservation, one seat', async () => {
    const courseId = await newCourse({ capacity: 5 });
    const req = request(courseId);
    const first = await take(req);
    const again = await take(req);
    const third = await take(req);
    expect(again.userErrors).toEqual([]);
    expect(third.userErrors).toEqual([]);
    expect(again.reservation!.id).toBe(first.reservation!.id);
    expect(third.reservation!.id).toBe(first.reservation!.id);
    expect(again.reservation!.status).toBe(status);
    expect(await reservationRows(req.key)).toHaveLength(1);
    expect(await expectInvariant(courseId)).toMatchObject({ available: 4, ...taken(1), version: 1 });
  });

  test('20 concurrent calls with the same key: one reservation row, one seat', async () => {
    const courseId = await newCourse({ capacity: 5 });
    const req = request(courseId);
    const results = await quietly(() => Promise.all(Array.from({ length: 20 }, () => take(req))));
    expect(results.flatMap((r) => r.userErrors)).toEqual([]);
    expect(new Set(results.map((r) => r.reservation?.id)).size).toBe(1);
    expect(results.every((r) => r.reservation?.status === status)).toBe(true);
    expect(await reservationRows(req.key)).toHaveLength(1);
    expect(await expectInvariant(courseId)).toMatchObject({ available: 4, ...taken(1), version: 1 });
  });

  test('the same key for another course or another holder is IDEMPOTENCY_KEY_REUSED and changes nothing', async () => {
    const courseA = await newCourse({ capacity: 5 });
    const courseB = await newCourse({ capacity: 5 });
    const req = request(courseA);
    const first = await take(req);
    expect(first.userErrors).toEqual([]);
    const [a, b] = [await counters(courseA), await counters(courseB)];

    const otherCourse = await take({ ...req, courseId: courseB });
    expect(otherCourse).toMatchObject({ reservation: null, userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.key' }] });
    const otherHolder = await take({ ...req, holderId: randomUUID() });
    expect(otherHolder).toMatchObject({ reservation: null, userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.key' }] });

    expect(await counters(courseA)).toEqual(a);
    expect(await counters(courseB)).toEqual(b);
    expect(await reservationRows(req.key)).toEqual([{ status, course_id: courseA }]);
    await expectInvariant(courseA);
    await expectInvariant(courseB);
  });

  test('a key raced by two different holders: one wins, the others get IDEMPOTENCY_KEY_REUSED, one seat', async () => {
    const courseId = await newCourse({ capacity: 5 });
    const key = `order-${randomUUID()}`;
    const holders = Array.from({ length: 10 }, () => randomUUID());
    const results = await quietly(() => Promise.all(holders.map((holderId) => take(request(courseId, { key, holderId })))));
    const winners = results.filter((r) => r.userErrors.length === 0);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.userErrors[0]?.code === 'IDEMPOTENCY_KEY_REUSED')).toHaveLength(9);
    expect(await reservationRows(key)).toHaveLength(1);
    expect(await expectInvariant(courseId)).toMatchObject({ available: 4, ...taken(1), version: 1 });
  });

  test('a retry with the same key after the first attempt took the last seat returns that reservation, not SOLD_OUT; one seat taken', async () => {
    const courseId = await newCourse({ capacity: 1 });
    const req = request(courseId);
    const first = await take(req);
    expect(first.userErrors).toEqual([]);
    // The saga lost the answer and asks again: the course is now sold out, but to this very request.
    const retry = await take(req);
    expect(retry.userErrors).toEqual([]);
    expect(retry.reservation).toMatchObject({ id: first.reservation!.id, key: req.key, holderId: req.holderId, status });
    // A replay moves no counter, so it reports no course after a move.
    expect(retry.course).toBeNull();
    expect(await expectInvariant(courseId)).toEqual({ capacity: 1, available: 0, ...taken(1), version: 1 });
    // Anyone else is sold out, and another holder reusing the key is told so rather than SOLD_OUT.
    expect((await take(request(courseId))).userErrors).toMatchObject([{ code: 'SOLD_OUT' }]);
    const reused = await take({ ...req, holderId: randomUUID() });
    expect(reused).toMatchObject({ reservation: null, userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.key' }] });
    expect(await reservationRows(req.key)).toEqual([{ status, course_id: courseId }]);
  });

  test('a retry queued on the course lock behind the first attempt, which takes the last seat, gets the same reservation', async () => {
    const courseId = await newCourse({ capacity: 1 });
    const req = request(courseId);
    const holder = new Client({ connectionString: databases.urls.course });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM course WHERE id = $1 FOR UPDATE', [courseId]);
      const first = take(req);
      await waitForLockWaiters(1);
      // The saga timed out on the first attempt and retries while it still waits.
      const retry = take(req);
      await waitForLockWaiters(2);
      await holder.query('COMMIT');
      const [a, b] = await Promise.all([first, retry]);
      expect([a.userErrors, b.userErrors]).toEqual([[], []]);
      expect(b.reservation!.id).toBe(a.reservation!.id);
      expect(await reservationRows(req.key)).toEqual([{ status, course_id: courseId }]);
      expect(await expectInvariant(courseId)).toEqual({ capacity: 1, available: 0, ...taken(1), version: 1 });
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });

  test.each(['repriced', 'archived'] as const)(
    'a retry with the same key after the course was %s returns the reservation it holds, not the refusal',
    async (change) => {
      const courseId = await newCourse({ capacity: 3 });
      const req = request(courseId);
      const first = await take(req);
      expect(first.userErrors).toEqual([]);
      if (change === 'repriced') expect((await updatePrice(dataSource, instructor, courseId, USD(2_000))).userErrors).toEqual([]);
      else expect((await archiveCourse(dataSource, instructor, courseId)).userErrors).toEqual([]);
      const retry = await take(req);
      expect(retry).toMatchObject({ reservation: { id: first.reservation!.id, status }, userErrors: [] });
      // A new request with the old price or for the archived course is refused.
      const fresh = await take(request(courseId));
      expect(fresh.userErrors.map((e) => e.code)).toEqual([change === 'repriced' ? 'PRICE_CHANGED' : 'COURSE_NOT_PUBLISHED']);
      expect(await expectInvariant(courseId)).toMatchObject({ available: 2, ...taken(1), version: 1 });
    },
  );

  test('a key being inserted for another course at the same moment: the insert waits for it, then is IDEMPOTENCY_KEY_REUSED, or reserves if it rolls back', async () => {
    const [courseA, courseB] = [await newCourse({ capacity: 2 }), await newCourse({ capacity: 2 })];
    for (const end of ['COMMIT', 'ROLLBACK'] as const) {
      const req = request(courseA);
      const other = new Client({ connectionString: databases.urls.course });
      await other.connect();
      try {
        // Another reserveSeat with this key, for course B, has inserted but not committed.
        await other.query('BEGIN');
        await other.query(
          `INSERT INTO reservation (id, key, course_id, holder_id, status, price_amount, price_currency, expires_at)
           VALUES ($1, $2, $3, $4, 'PENDING', 1000, 'USD', now() + interval '10 minutes')`,
          [randomUUID(), req.key, courseB, randomUUID()],
        );
        await other.query('UPDATE course SET seats_available = seats_available - 1, seats_held = seats_held + 1 WHERE id = $1', [courseB]);
        const pending = take(req);
        // Its NOT EXISTS cannot see the uncommitted row; its insert waits on the key's unique entry.
        await waitForLockWaiters(1, `query ILIKE '%INSERT INTO reservation%'`);
        await other.query(end);
        const result = await quietly(() => pending);
        if (end === 'COMMIT') {
          expect(result).toMatchObject({ reservation: null, userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.key' }] });
          expect(await reservationRows(req.key)).toEqual([{ status: 'PENDING', course_id: courseB }]);
        } else {
          expect(result).toMatchObject({ reservation: { key: req.key, courseId: courseA, status }, userErrors: [] });
          expect(await reservationRows(req.key)).toEqual([{ status, course_id: courseA }]);
        }
      } finally {
        await other.query('ROLLBACK').catch(() => undefined);
        await other.end();
      }
    }
    // Course A held a seat only for the attempt whose rival rolled back.
    expect(await expectInvariant(courseA)).toMatchObject({ available: 1, ...taken(1), version: 1 });
    expect(await expectInvariant(courseB)).toMatchObject({ available: 1, held: 1 });
  });

  test('SOLD_OUT changes nothing', async () => {
    const courseId = await newCourse({ capacity: 1 });
    await reserved(courseId);
    const before = await counters(courseId);
    const req = request(courseId);
    const result = await take(req);
    expect(result).toMatchObject({ reservation: null, userErrors: [{ code: 'SOLD_OUT' }] });
    expect(await counters(courseId)).toEqual(before);
    expect(before).toMatchObject({ available: 0, held: 1 });
    expect(await reservationRows(req.key)).toEqual([]);
    await expectInvariant(courseId);
  });

  test('PRICE_CHANGED carries the current price and changes nothing', async () => {
    const courseId = await newCourse({ capacity: 3, amount: 1_500 });
    const before = await counters(courseId);
    const cheaper = request(courseId, { expectedPrice: USD(1_000) });
    const result = await take(cheaper);
    expect(result.reservation).toBeNull();
    expect(result.userErrors).toEqual([
      {
        code: 'PRICE_CHANGED',
        field: 'input.expectedPrice',
        message: expect.any(String),
        currentPrice: { amount: 1_500, currency: 'USD' },
      },
    ]);
    const otherCurrency = request(courseId, { expectedPrice: { amount: 1_500, currency: 'EUR' } });
    const currency = await take(otherCurrency);
    expect(currency.userErrors).toMatchObject([{ code: 'PRICE_CHANGED', currentPrice: { amount: 1_500, currency: 'USD' } }]);
    expect(await counters(courseId)).toEqual(before);
    expect(await reservationRows(cheaper.key)).toEqual([]);
    expect(await reservationRows(otherCurrency.key)).toEqual([]);
  });

  test('COURSE_NOT_PUBLISHED for drafts and archived courses changes nothing', async () => {
    for (const status of ['DRAFT', 'ARCHIVED'] as const) {
      const courseId = await newCourse({ capacity: 3, status });
      const before = await counters(courseId);
      const req = request(courseId);
      const result = await take(req);
      expect(result).toMatchObject({ reservation: null, userErrors: [{ code: 'COURSE_NOT_PUBLISHED', field: 'input.courseId' }] });
      expect(await counters(courseId)).toEqual(before);
      expect(await reservationRows(req.key)).toEqual([]);
    }
  });

  test('NOT_FOUND for an unknown course inserts nothing', async () => {
    const req = request(randomUUID());
    const result = await take(req);
    expect(result).toMatchObject({ reservation: null, userErrors: [{ code: 'NOT_FOUND', field: 'input.courseId' }] });
    expect(await reservationRows(req.key)).toEqual([]);
    expect(await findReservation(dataSource, req.key)).toBeNull();
  });

  test('100 concurrent calls with distinct keys on 7 seats: exactly 7 taken, 93 SOLD_OUT', async () => {
    const courseId = await newCourse({ capacity: 7 });
    const results = await Promise.all(Array.from({ length: 100 }, () => take(request(courseId))));
    const pending = results.filter((r) => r.userErrors.length === 0 && r.reservation?.status === status);
    const soldOut = results.filter((r) => r.userErrors.map((e) => e.code).join() === 'SOLD_OUT');
    expect(pending).toHaveLength(7);
    expect(soldOut).toHaveLength(93);
    expect(new Set(pending.map((r) => r.reservation!.id)).size).toBe(7);
    const state = await expectInvariant(courseId);
    expect(state).toEqual({ capacity: 7, available: 0, ...taken(7), version: 7 });
    const { rows } = await db.query('SELECT count(*)::int AS n FROM reservation WHERE course_id = $1', [courseId]);
    expect(rows[0].n).toBe(7);
  });
});

describe('confirmReservation and cancelReservation', () => {
  test('confirm moves the seat from held to sold; repeating it is a no-op', async () => {
    const courseId = await newCourse({ capacity: 4 });
    const key = await reserved(courseId);
    const confirmed = await confirmReservation(dataSource, key);
    expect(confirmed.userErrors).toEqual([]);
    expect(confirmed.reservation).toMatchObject({ key, status: 'CONFIRMED' });
    expect(confirmed.course).toMatchObject({ seatsAvailable: 3, seatsHeld: 0, seatsSold: 1, seatsVersion: 2 });
    const after = await expectInvariant(courseId);
    expect(after).toEqual({ capacity: 4, available: 3, held: 0, sold: 1, version: 2 });

    for (let i = 0; i < 3; i++) {
      const again = await confirmReservation(dataSource, key);
      expect(again.userErrors).toEqual([]);
      expect(again.reservation).toMatchObject({ key, status: 'CONFIRMED' });
    }
    expect(await counters(courseId)).toEqual(after);
    expect(await reservationRows(key)).toEqual([{ status: 'CONFIRMED', course_id: courseId }]);
  });

  test('cancel after confirm moves sold back to available once; repeats are no-ops; confirm after cancel is ILLEGAL_TRANSITION', async () => {
    const courseId = await newCourse({ capacity: 4 });
    const key = await reserved(courseId);
    expect((await confirmReservation(dataSource, key)).userErrors).toEqual([]);
    const cancelled = await cancelReservation(dataSource, key);
    expect(cancelled.userErrors).toEqual([]);
    expect(cancelled.reservation).toMatchObject({ status: 'CANCELLED' });
    const after = await expectInvariant(courseId);
    expect(after).toEqual({ capacity: 4, available: 4, held: 0, sold: 0, version: 3 });

    const again = await cancelReservation(dataSource, key);
    expect(again.userErrors).toEqual([]);
    expect(again.reservation).toMatchObject({ status: 'CANCELLED' });
    expect(await counters(courseId)).toEqual(after);

    const confirm = await confirmReservation(dataSource, key);
    expect(confirm.userErrors).toMatchObject([{ code: 'ILLEGAL_TRANSITION', field: 'input.key' }]);
    expect(confirm.reservation).toMatchObject({ status: 'CANCELLED' });
    expect(await counters(courseId)).toEqual(after);
    expect(await reservationRows(key)).toEqual([{ status: 'CANCELLED', course_id: courseId }]);
  });

  test('cancel of a PENDING reservation moves held back to available', async () => {
    const courseId = await newCourse({ capacity: 2 });
    const key = await reserved(courseId);
    const cancelled = await cancelReservation(dataSource, key);
    expect(cancelled.userErrors).toEqual([]);
    expect(await expectInvariant(courseId)).toEqual({ capacity: 2, available: 2, held: 0, sold: 0, version: 2 });
    // The key stays used: reserving with it again replays the cancelled reservation, it takes no seat.
    const replayed = await reserveSeat(dataSource, request(courseId, { key, holderId: cancelled.reservation!.holderId }), TTL_SECONDS);
    expect(replayed.reservation).toMatchObject({ status: 'CANCELLED' });
    expect(await counters(courseId)).toMatchObject({ available: 2, held: 0, version: 2 });
  });

  test('confirm of a reservation past its expiry is RESERVATION_EXPIRED and gives the seat back, once', async () => {
    const courseId = await newCourse({ capacity: 3 });
    const key = await reserved(courseId);
    await db.query(`UPDATE reservation SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
    const confirm = await confirmReservation(dataSource, key);
    expect(confirm.userErrors).toMatchObject([{ code: 'RESERVATION_EXPIRED', field: 'input.key' }]);
    expect(confirm.reservation).toMatchObject({ status: 'EXPIRED' });
    expect(await reservationRows(key)).toEqual([{ status: 'EXPIRED', course_id: courseId }]);
    const after = await expectInvariant(courseId);
    expect(after).toEqual({ capacity: 3, available: 3, held: 0, sold: 0, version: 2 });

    const again = await confirmReservation(dataSource, key);
    expect(again.userErrors).toMatchObject([{ code: 'RESERVATION_EXPIRED' }]);
    const cancel = await cancelReservation(dataSource, key);
    expect(cancel.userErrors).toMatchObject([{ code: 'ILLEGAL_TRANSITION' }]);
    expect(await counters(courseId)).toEqual(after);
    expect(await reservationRows(key)).toEqual([{ status: 'EXPIRED', course_id: courseId }]);
  });

  test("a cancel with the key's course and holder records a key not used yet as CANCELLED, once; without them, or for no such course, NOT_FOUND", async () => {
    const courseId = await newCourse({ capacity: 1 });
    const req = request(courseId);
    const owner = { courseId, holderId: req.holderId };
    const results = await quietly(() => Promise.all(Array.from({ length: 5 }, () => cancelReservation(dataSource, req.key, owner))));
    for (const result of results) expect(result).toMatchObject({ reservation: { key: req.key, status: 'CANCELLED' }, userErrors: [] });
    expect(await reservationRows(req.key)).toEqual([{ status: 'CANCELLED', course_id: courseId }]);
    expect(await expectInvariant(courseId)).toEqual({ capacity: 1, available: 1, held: 0, sold: 0, version: 0 });
    expect((await cancelReservation(dataSource, `order-${randomUUID()}`)).userErrors).toMatchObject([{ code: 'NOT_FOUND' }]);
    const nowhere = await cancelReservation(dataSource, `order-${randomUUID()}`, { courseId: randomUUID(), holderId: randomUUID() });
    expect(nowhere.userErrors).toMatchObject([{ code: 'NOT_FOUND' }]);
  });

  test('confirm and cancel of an unknown key are NOT_FOUND', async () => {
    for (const call of [confirmReservation, cancelReservation]) {
      const result = await call(dataSource, `order-${randomUUID()}`);
      expect(result).toMatchObject({ reservation: null, userErrors: [{ code: 'NOT_FOUND', field: 'input.key' }] });
    }
  });

  test('20 confirms racing 20 cancels on one reservation: it ends CANCELLED and each transition moved the counters once', async () => {
    const courseId = await newCourse({ capacity: 3 });
    const key = await reserved(courseId);
    const calls = Array.from({ length: 40 }, (_, i) => (i % 2 ? confirmReservation(dataSource, key) : cancelReservation(dataSource, key)));
    const results = await Promise.all(calls);
    expect(await reservationRows(key)).toEqual([{ status: 'CANCELLED', course_id: courseId }]);
    const confirmedOnce = results.some((r) => r.reservation?.status === 'CONFIRMED');
    const state = await expectInvariant(courseId);
    // reserve + cancel, plus confirm when a confirm got in before the first cancel.
    expect(state).toEqual({ capacity: 3, available: 3, held: 0, sold: 0, version: confirmedOnce ? 3 : 2 });
    for (const result of results) {
      expect(result.userErrors.every((e) => e.code === 'ILLEGAL_TRANSITION')).toBe(true);
    }
  });
});

describe('the course row lock', () => {
  /** pg_stat_activity's query of a seat-taking statement (counters.ts, moveSeatsLocked). */
  const LOCKING_STATEMENT = `query ILIKE '%WITH locked AS (SELECT * FROM course WHERE id = %FOR UPDATE%'`;

  interface LoggedQuery {
    sql: string;
    runner: QueryRunner | undefined;
  }

  /** A data source like the subgraph's, whose TypeORM logger records every statement with its query runner. */
  async function recordingDataSource(): Promise<{ dataSource: DataSource; queries: LoggedQuery[] }> {
    const queries: LoggedQuery[] = [];
    const logger: TypeOrmLogger = {
      logQuery: (sql, _parameters, runner) => void queries.push({ sql, runner }),
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    };
    const options = { ...createCourseDataSource(databases.urls.course!, 2).options, logger } as DataSourceOptions;
    return { dataSource: await openDatabase(new DataSource(options), false), queries };
  }

  test.each(WAYS)('$name locks the course row (SELECT ... FOR UPDATE) and writes in that one statement, its own transaction', async ({ name }) => {
    const courseId = await newCourse({ capacity: 2 });
    const recording = await recordingDataSource();
    try {
      recording.queries.length = 0;
      const result = await (name === 'reserveSeat'
        ? reserveSeat(recording.dataSource, request(courseId), TTL_SECONDS)
        : purchaseSeat(recording.dataSource, request(courseId)));
      expect(result.userErrors).toEqual([]);
      const sql = recording.queries.map((q) => q.sql.replace(/\s+/g, ' ').trim());
      // The lock, the reservation INSERT (only from the locked row), the counter UPDATE and the NOTIFY of the new counts:
      // one statement and no BEGIN/COMMIT around it, so the lock is held for one round trip.
      expect(sql).toEqual([
        expect.stringMatching(
          /^WITH locked AS \(SELECT \* FROM course WHERE id = \$1::uuid FOR UPDATE\), changed AS \( ?INSERT INTO reservation .* FROM locked WHERE .* RETURNING \*\), updated AS \( ?UPDATE course SET seats_available.*pg_notify/i,
        ),
      ]);
      expect(sql[0]).not.toMatch(/SKIP LOCKED|NOWAIT/i);
    } finally {
      await recording.dataSource.destroy();
    }
  });

  test.each(WAYS)('$name waits while another transaction holds the course row, then completes', async ({ take, status }) => {
    const courseId = await newCourse({ capacity: 2 });
    const holder = new Client({ connectionString: databases.urls.course });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM course WHERE id = $1 FOR UPDATE', [courseId]);
      let settled = false;
      const pending = take(request(courseId)).finally(() => {
        settled = true;
      });
      // Queued on the course row lock: its SELECT ... FOR UPDATE is what waits.
      await waitForLockWaiters(1, LOCKING_STATEMENT);
      expect(settled).toBe(false);
      expect(await counters(courseId)).toMatchObject({ available: 2, held: 0, sold: 0, version: 0 });
      await holder.query('COMMIT');
      const result = await pending;
      expect(result.userErrors).toEqual([]);
      expect(result.reservation).toMatchObject({ status, courseId });
      expect(await expectInvariant(courseId)).toMatchObject({ available: 1, held: status === 'PENDING' ? 1 : 0, version: 1 });
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });

  test.each(WAYS)('$name checks the price after the lock: a reprice committed while it waits is seen (PRICE_CHANGED)', async ({ take }) => {
    const courseId = await newCourse({ capacity: 2, amount: 1_000 });
    const holder = new Client({ connectionString: databases.urls.course });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM course WHERE id = $1 FOR UPDATE', [courseId]);
      const req = request(courseId, { expectedPrice: USD(1_000) });
      const pending = take(req);
      // Reprice only once the statement waits on the lock, so its snapshot holds the old price.
      await waitForLockWaiters(1, LOCKING_STATEMENT);
      await holder.query('UPDATE course SET price_amount = 1200 WHERE id = $1', [courseId]);
      await holder.query('COMMIT');
      const result = await pending;
      expect(result.userErrors).toMatchObject([{ code: 'PRICE_CHANGED', currentPrice: { amount: 1_200, currency: 'USD' } }]);
      expect(await reservationRows(req.key)).toEqual([]);
      expect(await expectInvariant(courseId)).toMatchObject({ available: 2, held: 0, sold: 0, version: 0 });
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });

  test.each(WAYS)(
    '$name takes a seat freed while it waits on a sold-out course, without a constraint error (red team, issue 15)',
    async ({ take, status }) => {
      const courseId = await newCourse({ capacity: 1 });
      const first = await purchaseSeat(dataSource, request(courseId));
      expect(first.userErrors).toEqual([]);
      const holder = new Client({ connectionString: databases.urls.course });
      await holder.connect();
      try {
        // A cancel in flight: it holds the course row while it gives the only seat back.
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM course WHERE id = $1 FOR UPDATE', [courseId]);
        const req = request(courseId);
        const pending = take(req);
        // The waiting statement's snapshot has the course sold out; the row it is granted has a free seat.
        await waitForLockWaiters(1, LOCKING_STATEMENT);
        await holder.query(`UPDATE reservation SET status = 'CANCELLED' WHERE key = $1`, [first.reservation!.key]);
        await holder.query('UPDATE course SET seats_available = 1, seats_sold = 0, seats_version = seats_version + 1 WHERE id = $1', [courseId]);
        await holder.query('COMMIT');
        const result = await pending;
        expect(result.userErrors).toEqual([]);
        expect(result.reservation).toMatchObject({ key: req.key, status });
        expect(await expectInvariant(courseId)).toMatchObject({
          capacity: 1,
          available: 0,
          ...(status === 'PENDING' ? { held: 1, sold: 0 } : { held: 0, sold: 1 }),
          version: 3,
        });
      } finally {
        await holder.query('ROLLBACK').catch(() => undefined);
        await holder.end();
      }
    },
  );

  test.each(WAYS)('$name waiting on the lock takes no seat when its key is cancelled before it is used (red team, issue 15)', async ({ take }) => {
    const courseId = await newCourse({ capacity: 2 });
    const holder = new Client({ connectionString: databases.urls.course });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM course WHERE id = $1 FOR UPDATE', [courseId]);
      const req = request(courseId);
      const late = take(req);
      await waitForLockWaiters(1, LOCKING_STATEMENT);
      // The saga gave up on this key and gives its seat back while the call still waits. The cancel queues on the
      // course row too (its insert checks the course key), so whichever comes first, the seat is not left taken.
      const cancel = cancelReservation(dataSource, req.key, { courseId, holderId: req.holderId });
      await waitForLockWaiters(2);
      await holder.query('COMMIT');
      const [cancelled] = await Promise.all([cancel, late]);
      expect(cancelled).toMatchObject({ reservation: { key: req.key, status: 'CANCELLED' }, userErrors: [] });
      expect(await reservationRows(req.key)).toEqual([{ status: 'CANCELLED', course_id: courseId }]);
      expect(await expectInvariant(courseId)).toMatchObject({ capacity: 2, available: 2, held: 0, sold: 0 });
      // Asked again, the key stays cancelled; the course still sells to others.
      expect((await take(req)).reservation).toMatchObject({ status: 'CANCELLED' });
      expect((await take(request(courseId))).userErrors).toEqual([]);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });

  test.each(WAYS)('$name sees a sale committed while it waits: the last seat sold meanwhile is SOLD_OUT, nothing oversold', async ({ take }) => {
    const courseId = await newCourse({ capacity: 1 });
    const holder = new Client({ connectionString: databases.urls.course });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM course WHERE id = $1 FOR UPDATE', [courseId]);
      const req = request(courseId);
      const pending = take(req);
      await waitForLockWaiters(1, LOCKING_STATEMENT);
      // The lock holder sells the last seat: the waiting statement's snapshot still shows it free.
      await holder.query(
        `INSERT INTO reservation (id, key, course_id, holder_id, status, price_amount, price_currency, expires_at)
         VALUES ($1, $2, $3, $1, 'CONFIRMED', 1000, 'USD', now())`,
        [randomUUID(), `order-${randomUUID()}`, courseId],
      );
      await holder.query('UPDATE course SET seats_available = 0, seats_sold = 1, seats_version = seats_version + 1 WHERE id = $1', [courseId]);
      await holder.query('COMMIT');
      expect((await pending).userErrors).toMatchObject([{ code: 'SOLD_OUT' }]);
      expect(await reservationRows(req.key)).toEqual([]);
      expect(await expectInvariant(courseId)).toEqual({ capacity: 1, available: 0, held: 0, sold: 1, version: 1 });
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });

  test('a late repeat of reserveSeat that gets the course lock while a confirm of the same key waits for it: no deadlock, the seat moves once', async () => {
    const courseId = await newCourse({ capacity: 2 });
    const req = request(courseId);
    expect((await reserveSeat(dataSource, req, TTL_SECONDS)).userErrors).toEqual([]);
    const holder = new Client({ connectionString: databases.urls.course });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM course WHERE id = $1 FOR UPDATE', [courseId]);
      // The repeat queues on the course lock first; the confirm then changes the reservation and queues behind it.
      const repeat = reserveSeat(dataSource, req, TTL_SECONDS);
      await waitForLockWaiters(1);
      const confirm = confirmReservation(dataSource, req.key);
      await waitForLockWaiters(2);
      await holder.query('COMMIT');
      const [repeated, confirmed] = await Promise.all([repeat, confirm]);
      expect(repeated.userErrors).toEqual([]);
      expect(repeated.reservation).toMatchObject({ key: req.key, courseId });
      expect(confirmed.userErrors).toEqual([]);
      expect(confirmed.reservation).toMatchObject({ key: req.key, status: 'CONFIRMED' });
      expect(await reservationRows(req.key)).toEqual([{ status: 'CONFIRMED', course_id: courseId }]);
      expect(await expectInvariant(courseId)).toMatchObject({ available: 1, held: 0, sold: 1, version: 2 });
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });
});

describe('seat change notifications', () => {
  test('every counter move sends one NOTIFY with the new counts and its reason, on commit; no-ops and refusals send none', async () => {
    const listener = new Client({ connectionString: databases.urls.course });
    await listener.connect();
    const events: Record<string, unknown>[] = [];
    listener.on('notification', (message) => {
      if (message.channel === SEAT_EVENTS_CHANNEL) events.push(JSON.parse(message.payload!));
    });
    await listener.query(`LISTEN ${SEAT_EVENTS_CHANNEL}`);
    try {
      const courseId = await newCourse({ capacity: 2 });
      const mine = () => events.filter((event) => event.courseId === courseId);
      /** Waits until `count` events of this course arrived. */
      const received = async (count: number) => {
        const deadline = Date.now() + 10_000;
        while (mine().length < count) {
          if (Date.now() > deadline) throw new Error(`only ${mine().length} of ${count} notifications arrived`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      const [a, b] = [request(courseId), request(courseId)];
      const reservedA = await reserveSeat(dataSource, a, TTL_SECONDS);
      // The course handed back is the row as the move left it, with nothing else attached.
      expect(Object.keys(reservedA.course!).sort()).toEqual(
        dataSource
          .getMetadata('Course')
          .columns.map((c) => c.propertyName)
          .sort(),
      );
      await reserveSeat(dataSource, a, TTL_SECONDS); // replay: no move
      await reserveSeat(dataSource, b, TTL_SECONDS);
      await reserveSeat(dataSource, request(courseId), TTL_SECONDS); // SOLD_OUT: no move
      await confirmReservation(dataSource, a.key);
      await confirmReservation(dataSource, a.key); // repeat: no move
      await cancelReservation(dataSource, a.key);
      await db.query(`UPDATE reservation SET expires_at = now() - interval '1 second' WHERE key = $1`, [b.key]);
      await confirmReservation(dataSource, b.key); // expires it
      expect((await updateCapacity(dataSource, instructor, courseId, 3)).userErrors).toEqual([]);
      // A move rolled back sends nothing.
      await dataSource
        .transaction(async (manager) => {
          await moveSeats(manager, courseId, { available: -1, held: +1 }, 'RESERVED');
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await cancelReservation(dataSource, b.key); // EXPIRED: ILLEGAL_TRANSITION, no move
      await reserveSeat(dataSource, request(courseId), TTL_SECONDS);

      await received(7);
      const counts = (available: number, held: number, sold: number, capacity = 2) => ({
        seatsAvailable: available,
        seatsHeld: held,
        seatsSold: sold,
        capacity,
      });
      expect(mine()).toEqual(
        [
          { reason: 'RESERVED', ...counts(1, 1, 0) },
          { reason: 'RESERVED', ...counts(0, 2, 0) },
          { reason: 'CONFIRMED', ...counts(0, 1, 1) },
          { reason: 'CANCELLED', ...counts(1, 1, 0) },
          { reason: 'EXPIRED', ...counts(2, 0, 0) },
          { reason: 'CAPACITY_CHANGED', ...counts(3, 0, 0, 3) },
          { reason: 'RESERVED', ...counts(2, 1, 0, 3) },
        ].map((event, index) => ({ courseId, version: index + 1, changedAt: expect.any(String), ...event })),
      );
      expect(await expectInvariant(courseId)).toEqual({ capacity: 3, available: 2, held: 1, sold: 0, version: 7 });
    } finally {
      await listener.end();
    }
  });
});

describe('seatLedger', () => {
  test("a course's counters with the keys of its PENDING and CONFIRMED reservations; cancelled and expired keys left out", async () => {
    const courseId = await newCourse({ capacity: 6 });
    const [pending1, confirmed, cancelled, expiredKey, pending2] = [
      await reserved(courseId),
      await reserved(courseId),
      await reserved(courseId),
      await reserved(courseId),
      await reserved(courseId),
    ];
    expect((await confirmReservation(dataSource, confirmed)).userErrors).toEqual([]);
    expect((await cancelReservation(dataSource, cancelled)).userErrors).toEqual([]);
    await db.query(`UPDATE reservation SET expires_at = now() - interval '1 second' WHERE key = $1`, [expiredKey]);
    expect((await confirmReservation(dataSource, expiredKey)).userErrors).toMatchObject([{ code: 'RESERVATION_EXPIRED' }]);
    const ledger = await seatLedger(dataSource, courseId);
    expect({ ...ledger!, pendingKeys: [...ledger!.pendingKeys].sort() }).toEqual({
      courseId,
      capacity: 6,
      seatsAvailable: 3,
      seatsHeld: 2,
      seatsSold: 1,
      confirmedKeys: [confirmed],
      pendingKeys: [pending1, pending2].sort(),
    });
  });

  test('a course without reservations has empty key lists; an unknown course has no ledger', async () => {
    const courseId = await newCourse({ capacity: 2 });
    expect(await seatLedger(dataSource, courseId)).toEqual({
      courseId,
      capacity: 2,
      seatsAvailable: 2,
      seatsHeld: 0,
      seatsSold: 0,
      confirmedKeys: [],
      pendingKeys: [],
    });
    expect(await seatLedger(dataSource, randomUUID())).toBeNull();
  });
});

describe('refusals explain themselves', () => {
  test('every refusal names its input field and carries a readable message; ILLEGAL_TRANSITION names the state and the refused action', async () => {
    const messages = new Map<string, string>();
    const note = (label: string, result: { userErrors: { code: string; field?: string | null; message: string }[] }) => {
      expect(result.userErrors).toHaveLength(1);
      const [error] = result.userErrors;
      messages.set(`${label} ${error!.code} ${error!.field}`, error!.message);
    };
    const soldOut = await newCourse({ capacity: 1 });
    const taken = await reserved(soldOut);
    note('reserve', await reserveSeat(dataSource, request(soldOut), TTL_SECONDS));
    note('reserve', await reserveSeat(dataSource, request(randomUUID()), TTL_SECONDS));
    note('reserve', await reserveSeat(dataSource, request(await newCourse({ status: 'DRAFT' })), TTL_SECONDS));
    note('reserve', await reserveSeat(dataSource, request(await newCourse({ amount: 1_500 })), TTL_SECONDS));
    note('reserve', await reserveSeat(dataSource, request(soldOut, { key: taken }), TTL_SECONDS));
    note('confirm', await confirmReservation(dataSource, `order-${randomUUID()}`));
    const cancelled = await reserved(await newCourse());
    await cancelReservation(dataSource, cancelled);
    note('confirm', await confirmReservation(dataSource, cancelled));
    const expiredKey = await reserved(await newCourse());
    await db.query(`UPDATE reservation SET expires_at = now() - interval '1 second' WHERE key = $1`, [expiredKey]);
    note('confirm', await confirmReservation(dataSource, expiredKey));
    note('cancel', await cancelReservation(dataSource, expiredKey));

    expect([...messages.keys()]).toEqual([
      'reserve SOLD_OUT input.courseId',
      'reserve NOT_FOUND input.courseId',
      'reserve COURSE_NOT_PUBLISHED input.courseId',
      'reserve PRICE_CHANGED input.expectedPrice',
      'reserve IDEMPOTENCY_KEY_REUSED input.key',
      'confirm NOT_FOUND input.key',
      'confirm ILLEGAL_TRANSITION input.key',
      'confirm RESERVATION_EXPIRED input.key',
      'cancel ILLEGAL_TRANSITION input.key',
    ]);
    for (const message of messages.values()) expect(message).toMatch(/^[A-Z].*\w.*\.$/);
    expect(messages.get('confirm ILLEGAL_TRANSITION input.key')).toMatch(/\bcancelled\b.*\bconfirmed\b/);
    expect(messages.get('cancel ILLEGAL_TRANSITION input.key')).toMatch(/\bexpired\b.*\bcancelled\b/);
    // Each code says something of its own.
    expect(new Set(messages.values()).size).toBe(messages.size);
  });
});
