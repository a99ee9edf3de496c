/**
 * The expiry sweeper against a fresh PostgreSQL database: overdue PENDING
 * reservations expire exactly once and give their seats back, whatever else
 * is untouched, batches are all swept, several sweepers on separate
 * connections pools never release a seat twice, a row locked elsewhere is
 * skipped rather than waited for, and courses are locked in id order.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { openDatabase, type Viewer } from '@coursegraph/runtime';
import { createTestDatabases, type TestDatabases } from '@coursegraph/devkit/databases';
import { expectCourseInvariant } from '@coursegraph/devkit/invariant';
import { createCourseDataSource } from '../src/data-source';
import { createCourse, publishCourse } from '../src/courses';
import { cancelReservation, confirmReservation, reserveSeat } from '../src/seats';
import { sweepAll, sweepOnce } from '../src/sweeper';

const TTL_SECONDS = 600;
const price = { amount: 1_000, currency: 'USD' };

let databases: TestDatabases;
let dataSource: DataSource;
let db: Client;
const instructor: Viewer = { userId: randomUUID(), roles: ['INSTRUCTOR'] };

beforeAll(async () => {
  databases = await createTestDatabases('course');
  dataSource = await openDatabase(createCourseDataSource(databases.urls.course!, 10));
  db = new Client({ connectionString: databases.urls.course });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await dataSource?.destroy();
  await databases?.drop();
});

/** Nothing overdue may be left over from an earlier test: each test counts its own sweep. */
beforeEach(async () => {
  await sweepAll(dataSource, 1_000);
});

async function newCourse(capacity: number): Promise<string> {
  const created = await createCourse(dataSource, instructor, { title: 'Sweeper under test', price, capacity });
  const id = created.course!.id;
  expect((await publishCourse(dataSource, instructor, id)).userErrors).toEqual([]);
  return id;
}

/** Reserves `count` seats of a course; returns their keys. */
async function reserve(courseId: string, count: number): Promise<string[]> {
  const keys = Array.from({ length: count }, () => `order-${randomUUID()}`);
  for (const key of keys) {
    const result = await reserveSeat(dataSource, { courseId, expectedPrice: price, key, holderId: randomUUID() }, TTL_SECONDS);
    expect(result.userErrors).toEqual([]);
  }
  return keys;
}

async function makeOverdue(keys: string[], ago = '1 second'): Promise<void> {
  await db.query(`UPDATE reservation SET expires_at = now() - $2::interval WHERE key = ANY($1)`, [keys, ago]);
}

async function statuses(keys: string[]): Promise<string[]> {
  const { rows } = await db.query('SELECT key, status FROM reservation WHERE key = ANY($1)', [keys]);
  const byKey = new Map(rows.map((row: { key: string; status: string }) => [row.key, row.status]));
  return keys.map((key) => byKey.get(key) ?? 'MISSING');
}

const expectInvariant = (courseId: string) => expectCourseInvariant(db, courseId);

test('overdue PENDING reservations expire and give their seats back; due-later, confirmed and cancelled ones are untouched', async () => {
  const courseId = await newCourse(10);
  const [overdue1, overdue2, overdue3, notDue, confirmed, cancelled] = await reserve(courseId, 6);
  expect((await confirmReservation(dataSource, confirmed!)).userErrors).toEqual([]);
  expect((await cancelReservation(dataSource, cancelled!)).userErrors).toEqual([]);
  // Past their expiry too, but no longer PENDING: the sweeper must leave them alone.
  await makeOverdue([overdue1!, overdue2!, overdue3!, confirmed!, cancelled!]);
  await db.query(`UPDATE reservation SET expires_at = now() + interval '5 seconds' WHERE key = $1`, [notDue]);
  const before = await expectInvariant(courseId);
  expect(before).toMatchObject({ available: 5, held: 4, sold: 1 });

  expect(await sweepAll(dataSource, 100)).toBe(3);

  expect(await statuses([overdue1!, overdue2!, overdue3!, notDue!, confirmed!, cancelled!])).toEqual([
    'EXPIRED',
    'EXPIRED',
    'EXPIRED',
    'PENDING',
    'CONFIRMED',
    'CANCELLED',
  ]);
  const after = await expectInvariant(courseId);
  expect(after).toEqual({ capacity: 10, available: 8, held: 1, sold: 1, version: before.version + 1 });

  // A second sweep finds nothing and moves nothing.
  expect(await sweepAll(dataSource, 100)).toBe(0);
  expect(await expectInvariant(courseId)).toEqual(after);
  // Due in 5 s, it would fall due during a later test and join that test's sweep count (CI saw 61 of 60).
  expect((await cancelReservation(dataSource, notDue!)).userErrors).toEqual([]);
});

test('an expired reservation can no longer be confirmed, and its seat is sold to someone else', async () => {
  const courseId = await newCourse(1);
  const [key] = await reserve(courseId, 1);
  await makeOverdue([key!]);
  expect(await sweepAll(dataSource, 10)).toBe(1);
  const confirm = await confirmReservation(dataSource, key!);
  expect(confirm.userErrors).toMatchObject([{ code: 'RESERVATION_EXPIRED' }]);
  expect(await expectInvariant(courseId)).toMatchObject({ available: 1, held: 0, sold: 0 });
  await reserve(courseId, 1);
  expect(await expectInvariant(courseId)).toMatchObject({ available: 0, held: 1 });
});

test('sweepOnce takes the most overdue first and at most one batch', async () => {
  const courseId = await newCourse(5);
  const keys = await reserve(courseId, 4);
  await makeOverdue([keys[0]!], '1 minute');
  await makeOverdue([keys[1]!], '3 minutes');
  await makeOverdue([keys[2]!], '2 minutes');
  await makeOverdue([keys[3]!], '1 second');
  expect(await sweepOnce(dataSource, 2)).toBe(2);
  expect(await statuses(keys)).toEqual(['PENDING', 'EXPIRED', 'EXPIRED', 'PENDING']);
  expect(await expectInvariant(courseId)).toMatchObject({ available: 3, held: 2 });
  expect(await sweepOnce(dataSource, 2)).toBe(2);
  expect(await sweepOnce(dataSource, 2)).toBe(0);
  expect(await statuses(keys)).toEqual(Array(4).fill('EXPIRED'));
  expect(await expectInvariant(courseId)).toMatchObject({ available: 5, held: 0 });
});

test('the most overdue go first also when the table is read in storage order (no index to sort by)', async () => {
  // The expiry index returns rows in expiry order by itself; without it only the ORDER BY keeps the oldest first.
  const options = createCourseDataSource(databases.urls.course!, 1).options;
  const seqScan = await openDatabase(
    new DataSource({
      ...options,
      extra: { ...(options as { extra?: object }).extra, options: '-c enable_indexscan=off -c enable_bitmapscan=off' },
    } as DataSourceOptions),
    false,
  );
  try {
    const courseId = await newCourse(5);
    const keys = await reserve(courseId, 4);
    // Stored in this order (each update writes a new row version), most overdue second and third.
    await makeOverdue([keys[0]!], '1 minute');
    await makeOverdue([keys[1]!], '3 minutes');
    await makeOverdue([keys[2]!], '2 minutes');
    await makeOverdue([keys[3]!], '1 second');
    expect(await sweepOnce(seqScan, 2)).toBe(2);
    expect(await statuses(keys)).toEqual(['PENDING', 'EXPIRED', 'EXPIRED', 'PENDING']);
  } finally {
    await seqScan.destroy();
  }
});

test.each([
  [23, 5],
  [20, 5],
])('sweepAll sweeps %i overdue reservations in batches of %i', async (overdueCount, batchSize) => {
  const courses = [await newCourse(20), await newCourse(20)];
  const perCourse = overdueCount / 2;
  const keys = [...(await reserve(courses[0]!, Math.ceil(perCourse))), ...(await reserve(courses[1]!, Math.floor(perCourse)))];
  const notDue = await reserve(courses[1]!, 2);
  await makeOverdue(keys);
  expect(await sweepAll(dataSource, batchSize)).toBe(overdueCount);
  expect(await statuses(keys)).toEqual(Array(overdueCount).fill('EXPIRED'));
  expect(await statuses(notDue)).toEqual(['PENDING', 'PENDING']);
  expect(await expectInvariant(courses[0]!)).toMatchObject({ available: 20, held: 0 });
  expect(await expectInvariant(courses[1]!)).toMatchObject({ available: 18, held: 2 });
});

test('4 sweepers on 4 data sources over 200 overdue reservations: each expires exactly once', async () => {
  const courses = await Promise.all(Array.from({ length: 5 }, () => newCourse(45)));
  const keys = (await Promise.all(courses.map((courseId) => reserve(courseId, 40)))).flat();
  await makeOverdue(keys);
  const sweepers = await Promise.all(Array.from({ length: 4 }, () => openDatabase(createCourseDataSource(databases.urls.course!, 3), false)));
  try {
    const counts = await Promise.all(sweepers.map((sweeper) => sweepAll(sweeper, 5)));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(200);
    // Really concurrent: the work was shared, not done by whichever sweeper started first.
    expect(counts.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
  } finally {
    await Promise.all(sweepers.map((sweeper) => sweeper.destroy()));
  }
  expect(await statuses(keys)).toEqual(Array(200).fill('EXPIRED'));
  for (const courseId of courses) {
    const state = await expectInvariant(courseId);
    expect(state).toMatchObject({ capacity: 45, available: 45, held: 0, sold: 0 });
  }
  expect(await sweepAll(dataSource, 5)).toBe(0);
});

test('sweepers racing confirms and new reservations: every overdue seat comes back exactly once', async () => {
  const courses = await Promise.all(Array.from({ length: 3 }, () => newCourse(30)));
  const overdue = (await Promise.all(courses.map((courseId) => reserve(courseId, 20)))).flat();
  await makeOverdue(overdue);
  const sweepers = await Promise.all(Array.from({ length: 2 }, () => openDatabase(createCourseDataSource(databases.urls.course!, 3), false)));
  try {
    const [swept, confirms, reservations] = await Promise.all([
      Promise.all(sweepers.map((sweeper) => sweepAll(sweeper, 4))),
      Promise.all(overdue.map((key) => confirmReservation(dataSource, key))),
      Promise.all(
        courses.flatMap((courseId) =>
          Array.from({ length: 5 }, () =>
            reserveSeat(dataSource, { courseId, expectedPrice: price, key: `order-${randomUUID()}`, holderId: randomUUID() }, TTL_SECONDS),
          ),
        ),
      ),
    ]);
    // Every overdue confirm fails; the seat came back either through a sweeper or through the confirm itself.
    expect(confirms.every((result) => result.userErrors[0]?.code === 'RESERVATION_EXPIRED')).toBe(true);
    const expiredByConfirm = confirms.filter((result) => result.course !== null).length;
    expect(swept.reduce((sum, count) => sum + count, 0) + expiredByConfirm).toBe(overdue.length);
    expect(reservations.flatMap((result) => result.userErrors)).toEqual([]);
  } finally {
    await Promise.all(sweepers.map((sweeper) => sweeper.destroy()));
  }
  expect(await statuses(overdue)).toEqual(Array(overdue.length).fill('EXPIRED'));
  for (const courseId of courses) {
    expect(await expectInvariant(courseId)).toMatchObject({ capacity: 30, available: 25, held: 5, sold: 0 });
  }
});

/** A session of its own that holds row locks until `release`. */
async function lockHolder(): Promise<{ query: Client['query']; release: () => Promise<void> }> {
  const holder = new Client({ connectionString: databases.urls.course });
  await holder.connect();
  await holder.query('BEGIN');
  return {
    query: holder.query.bind(holder) as Client['query'],
    release: async () => {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    },
  };
}

/**
 * Resolves 'blocked' once a session of this database waits on a lock in a
 * statement matching `like`; polls until `done` settles, then resolves 'done'.
 */
async function blockedOrDone(like: string, done: Promise<unknown>): Promise<'blocked' | 'done'> {
  let settled = false;
  done.then(
    () => (settled = true),
    () => (settled = true),
  );
  const deadline = Date.now() + 30_000;
  while (!settled && Date.now() < deadline) {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE $1`,
      [like],
    );
    if (rows[0].n > 0) return 'blocked';
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (!settled) throw new Error('the sweep neither finished nor waited on a lock within 30 s');
  return 'done';
}

test('a reservation whose row is locked elsewhere is skipped, not waited for: the sweep returns with the others expired', async () => {
  const courseId = await newCourse(5);
  const keys = await reserve(courseId, 3);
  await makeOverdue([keys[0]!], '3 minutes');
  await makeOverdue([keys[1]!], '2 minutes');
  await makeOverdue([keys[2]!], '1 minute');
  const before = await expectInvariant(courseId);
  // A confirm (or another sweeper) holds the middle one.
  const holder = await lockHolder();
  try {
    await holder.query('SELECT id FROM reservation WHERE key = $1 FOR UPDATE', [keys[1]]);
    const sweep = sweepOnce(dataSource, 10);
    // With a plain FOR UPDATE the sweep would queue behind the holder here.
    expect(await blockedOrDone('%FROM "reservation"%FOR UPDATE%', sweep)).toBe('done');
    expect(await sweep).toBe(2);
    expect(await statuses(keys)).toEqual(['EXPIRED', 'PENDING', 'EXPIRED']);
    expect(await expectInvariant(courseId)).toEqual({
      ...before,
      available: before.available + 2,
      held: before.held - 2,
      version: before.version + 1,
    });
  } finally {
    await holder.release();
  }
  // Released, the skipped one is swept next time.
  expect(await sweepOnce(dataSource, 10)).toBe(1);
  expect(await statuses(keys)).toEqual(['EXPIRED', 'EXPIRED', 'EXPIRED']);
  expect(await expectInvariant(courseId)).toMatchObject({ available: 5, held: 0 });
});

test('courses are locked in id order, whatever order their reservations expired in', async () => {
  const [first, second] = [await newCourse(2), await newCourse(2)].sort();
  const [onSecond] = await reserve(second!, 1);
  const [onFirst] = await reserve(first!, 1);
  // The reservation on the later course is the more overdue, so the sweeper meets it first.
  await makeOverdue([onSecond!], '2 minutes');
  await makeOverdue([onFirst!], '1 minute');
  const holder = await lockHolder();
  try {
    await holder.query('SELECT id FROM course WHERE id = $1 FOR UPDATE', [first]);
    const sweep = sweepOnce(dataSource, 10);
    // The sweeper waits for the first course ...
    expect(await blockedOrDone('%UPDATE course%', sweep)).toBe('blocked');
    // ... and holds no lock on the second yet: it goes in id order, not expiry order.
    const { rows } = await db.query('SELECT id FROM course WHERE id = $1 FOR UPDATE NOWAIT', [second]);
    expect(rows).toEqual([{ id: second }]);
    await holder.query('COMMIT');
    expect(await sweep).toBe(2);
  } finally {
    await holder.release();
  }
  expect(await statuses([onFirst!, onSecond!])).toEqual(['EXPIRED', 'EXPIRED']);
  expect(await expectInvariant(first!)).toMatchObject({ available: 2, held: 0 });
  expect(await expectInvariant(second!)).toMatchObject({ available: 2, held: 0 });
});
