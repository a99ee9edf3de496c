/**
 * The course database's own guards, tested directly: statements that break a
 * CHECK constraint (or the reservation key's uniqueness) are refused by
 * PostgreSQL under the constraint's name, whatever the code above does. The
 * invariant helpers (packages/devkit/src/invariant.ts, fixtures.ts) rely on these
 * and do not restate them, so dropping one from the migration must fail here.
 */
import { randomUUID } from 'node:crypto';
import { Client, DatabaseError } from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase } from '@coursegraph/runtime';
import { createTestDatabases, type TestDatabases } from '@coursegraph/devkit/databases';
import { createCourseDataSource } from '../src/data-source';

let databases: TestDatabases;
let dataSource: DataSource;
let db: Client;

beforeAll(async () => {
  databases = await createTestDatabases('course');
  // Opening the data source runs the migrations: the schema under test is the migration's.
  dataSource = await openDatabase(createCourseDataSource(databases.urls.course!, 2));
  db = new Client({ connectionString: databases.urls.course });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await dataSource?.destroy();
  await databases?.drop();
});

/** Inserts a published course of 10 seats (3 available, 3 held, 4 sold); returns its id. */
async function insertCourse(): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO course (id, title, description, price_amount, price_currency, instructor_id, status, capacity, seats_available, seats_held, seats_sold)
     VALUES ($1, 'Constraint under test', '', 1000, 'USD', $2, 'PUBLISHED', 10, 3, 3, 4)`,
    [id, randomUUID()],
  );
  return id;
}

async function insertReservation(courseId: string, key = `order-${randomUUID()}`, status = 'PENDING'): Promise<string> {
  await db.query(
    `INSERT INTO reservation (id, key, course_id, holder_id, status, price_amount, price_currency, expires_at)
     VALUES ($1, $2, $3, $4, $5, 1000, 'USD', now() + interval '10 minutes')`,
    [randomUUID(), key, courseId, randomUUID(), status],
  );
  return key;
}

/** Runs `sql`, which must be refused by PostgreSQL naming `constraint`; the row must be unchanged. */
async function expectRefused(sql: string, params: unknown[], constraint: string): Promise<void> {
  const error = await db.query(sql, params).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatabaseError);
  expect({ code: (error as DatabaseError).code, constraint: (error as DatabaseError).constraint }).toEqual({
    // 23514 check_violation, 23505 unique_violation, 23503 foreign_key_violation
    code: expect.stringMatching(/^235(14|05|03)$/),
    constraint,
  });
}

const COUNTERS = 'SELECT capacity, seats_available, seats_held, seats_sold FROM course WHERE id = $1';

describe('course_seats_add_up: available + held + sold = capacity', () => {
  test.each([
    ['a seat made out of nothing', 'seats_available = seats_available + 1'],
    ['a seat that vanishes', 'seats_sold = seats_sold - 1'],
    ['a hold that takes no seat from available', 'seats_held = seats_held + 1'],
    ['capacity raised without seats', 'capacity = capacity + 1'],
  ])('%s is refused', async (_name, set) => {
    const id = await insertCourse();
    const before = (await db.query(COUNTERS, [id])).rows[0];
    await expectRefused(`UPDATE course SET ${set} WHERE id = $1`, [id], 'course_seats_add_up');
    expect((await db.query(COUNTERS, [id])).rows[0]).toEqual(before);
  });

  test('an insert whose counters do not add up is refused', async () => {
    await expectRefused(
      `INSERT INTO course (id, title, description, price_amount, price_currency, instructor_id, status, capacity, seats_available, seats_held, seats_sold)
       VALUES ($1, 't', '', 0, 'USD', $2, 'DRAFT', 5, 5, 1, 0)`,
      [randomUUID(), randomUUID()],
      'course_seats_add_up',
    );
  });

  test('moves that keep the sum are accepted (the refusals above are about the sum, not the columns)', async () => {
    const id = await insertCourse();
    await db.query('UPDATE course SET seats_available = seats_available - 1, seats_held = seats_held + 1 WHERE id = $1', [id]);
    await db.query('UPDATE course SET seats_held = seats_held - 1, seats_sold = seats_sold + 1 WHERE id = $1', [id]);
    await db.query('UPDATE course SET capacity = capacity + 2, seats_available = seats_available + 2 WHERE id = $1', [id]);
    expect((await db.query(COUNTERS, [id])).rows[0]).toEqual({ capacity: 12, seats_available: 4, seats_held: 3, seats_sold: 5 });
  });
});

describe('course_seats_not_negative: no counter below zero, even when the sum still adds up', () => {
  // Each moves one counter below zero and another up by as much, so only the sign is wrong.
  test.each([
    ['seats_available', 'seats_available = -1, seats_held = seats_held + 4'],
    ['seats_held', 'seats_held = -1, seats_available = seats_available + 4'],
    ['seats_sold', 'seats_sold = -1, seats_available = seats_available + 5'],
  ])('%s below zero is refused', async (_column, set) => {
    const id = await insertCourse();
    const before = (await db.query(COUNTERS, [id])).rows[0];
    await expectRefused(`UPDATE course SET ${set} WHERE id = $1`, [id], 'course_seats_not_negative');
    expect((await db.query(COUNTERS, [id])).rows[0]).toEqual(before);
  });

  test('every counter at exactly zero is accepted', async () => {
    const id = await insertCourse();
    await db.query('UPDATE course SET capacity = 0, seats_available = 0, seats_held = 0, seats_sold = 0 WHERE id = $1', [id]);
    expect((await db.query(COUNTERS, [id])).rows[0]).toEqual({ capacity: 0, seats_available: 0, seats_held: 0, seats_sold: 0 });
  });
});

describe('the other CHECK constraints of the migration', () => {
  test('course_price_not_negative: a negative price is refused, zero is accepted', async () => {
    const id = await insertCourse();
    await expectRefused('UPDATE course SET price_amount = -1 WHERE id = $1', [id], 'course_price_not_negative');
    await db.query('UPDATE course SET price_amount = 0 WHERE id = $1', [id]);
  });

  test('course_status_known: an unknown course status is refused', async () => {
    const id = await insertCourse();
    await expectRefused(`UPDATE course SET status = 'SOLD' WHERE id = $1`, [id], 'course_status_known');
    for (const status of ['DRAFT', 'PUBLISHED', 'ARCHIVED']) await db.query('UPDATE course SET status = $2 WHERE id = $1', [id, status]);
  });

  test('reservation_status_known: an unknown reservation status is refused', async () => {
    const key = await insertReservation(await insertCourse());
    await expectRefused(`UPDATE reservation SET status = 'HELD' WHERE key = $1`, [key], 'reservation_status_known');
    for (const status of ['CONFIRMED', 'CANCELLED', 'EXPIRED', 'PENDING'])
      await db.query('UPDATE reservation SET status = $2 WHERE key = $1', [key, status]);
  });

  test('reservation_key: a second reservation with a used key is refused, also on another course', async () => {
    const key = await insertReservation(await insertCourse());
    await expectRefused(
      `INSERT INTO reservation (id, key, course_id, holder_id, status, price_amount, price_currency, expires_at)
       VALUES ($1, $2, $3, $4, 'PENDING', 1000, 'USD', now())`,
      [randomUUID(), key, await insertCourse(), randomUUID()],
      'reservation_key',
    );
    expect((await db.query('SELECT count(*)::int AS n FROM reservation WHERE key = $1', [key])).rows[0].n).toBe(1);
  });

  test('reservation_course_id_fkey: a reservation of a course that does not exist is refused', async () => {
    await expectRefused(
      `INSERT INTO reservation (id, key, course_id, holder_id, status, price_amount, price_currency, expires_at)
       VALUES ($1, $2, $3, $4, 'PENDING', 1000, 'USD', now())`,
      [randomUUID(), `order-${randomUUID()}`, randomUUID(), randomUUID()],
      'reservation_course_id_fkey',
    );
  });
});
