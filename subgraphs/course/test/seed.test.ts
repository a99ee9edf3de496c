/**
 * The demo catalog of `npm start`: loaded once, however many instances start
 * at once and however often; a catalog worth browsing (46 published courses
 * by six instructors, eight categories each with courses, every course in one
 * to three, USD and EUR prices); every seat available with the seat invariant
 * holding (seats are sold only by the demo orders, through the saga); a
 * database seeded by an earlier version gets what it lacks and keeps what was
 * changed since.
 */
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { createLogger, openDatabase } from '@coursegraph/runtime';
import { demoCourseId } from '@coursegraph/domain';
import { createTestDatabases, type TestDatabases } from '@coursegraph/devkit/databases';
import { expectCourseInvariant } from '@coursegraph/devkit/invariant';
import { createCourseDataSource } from '../src/data-source';
import { seedDemoData } from '../src/seed';

let databases: TestDatabases;
let dataSource: DataSource;
const log = createLogger('course-seed-test');

beforeAll(async () => {
  databases = await createTestDatabases('course');
  dataSource = await openDatabase(createCourseDataSource(databases.urls.course!, 10));
});

afterAll(async () => {
  await dataSource?.destroy();
  await databases?.drop();
});

const counts = async () =>
  (
    await dataSource.query(`SELECT (SELECT count(*)::int FROM course) AS courses, (SELECT count(*)::int FROM category) AS categories,
                                   (SELECT count(*)::int FROM course_category) AS links, (SELECT count(*)::int FROM reservation) AS reservations`)
  )[0];

/** Everything a start could change, to compare before and after. */
const snapshot = () =>
  dataSource.query(`SELECT c.*, array(SELECT category_id FROM course_category l WHERE l.course_id = c.id ORDER BY 1) AS categories
                      FROM course c ORDER BY id`);

test('concurrent and repeated seeding loads the demo catalog once, a catalog worth browsing', async () => {
  await Promise.all([seedDemoData(dataSource, log), seedDemoData(dataSource, log), seedDemoData(dataSource, log)]);
  const first = await counts();
  expect(first).toEqual({ courses: 46, categories: 8, links: expect.any(Number), reservations: 0 });
  const before = await snapshot();
  await seedDemoData(dataSource, log);
  expect(await counts()).toEqual(first);
  expect(await snapshot()).toEqual(before);

  const [catalog] = await dataSource.query(
    `SELECT count(*) FILTER (WHERE status = 'PUBLISHED')::int AS published, count(DISTINCT instructor_id)::int AS instructors,
            count(*) FILTER (WHERE price_currency = 'EUR')::int AS eur, count(DISTINCT price_amount)::int AS prices,
            count(*) FILTER (WHERE capacity <= 5)::int AS small, count(DISTINCT lower(title))::int AS titles
       FROM course`,
  );
  expect(catalog).toEqual({ published: 46, instructors: 6, eur: expect.any(Number), prices: expect.any(Number), small: 5, titles: 46 });
  expect(catalog.eur).toBeGreaterThanOrEqual(3);
  expect(catalog.prices).toBeGreaterThanOrEqual(10);
  const perCourse = await dataSource.query(
    `SELECT count(l.category_id)::int AS n FROM course c LEFT JOIN course_category l ON l.course_id = c.id GROUP BY c.id`,
  );
  for (const { n } of perCourse) expect(n).toBeGreaterThanOrEqual(1);
  for (const { n } of perCourse) expect(n).toBeLessThanOrEqual(3);
  const perCategory = await dataSource.query(
    `SELECT k.slug, count(l.course_id)::int AS n FROM category k LEFT JOIN course_category l ON l.category_id = k.id GROUP BY k.slug`,
  );
  expect(perCategory).toHaveLength(8);
  for (const { n } of perCategory) expect(n).toBeGreaterThanOrEqual(4);
  const described = await dataSource.query(`SELECT count(*)::int AS n FROM course WHERE length(description) >= 80`);
  expect(described[0].n).toBe(46);

  // Every seat available, and the counters agree with the (no) reservations behind them.
  const pool = new Pool({ connectionString: databases.urls.course, max: 1 });
  try {
    for (const { id } of await dataSource.query('SELECT id FROM course')) {
      const state = await expectCourseInvariant(pool, id);
      expect(state).toMatchObject({ held: 0, sold: 0, available: state.capacity });
    }
  } finally {
    await pool.end();
  }
});

test('a database seeded by an earlier version gets the courses and links it lacks, and keeps what changed since', async () => {
  // As the first demo catalog left it: four courses, their categories; then edits.
  await dataSource.query('DELETE FROM course_category WHERE course_id <> ALL($1::uuid[])', [[1, 2, 3, 4].map(demoCourseId)]);
  await dataSource.query('DELETE FROM course WHERE id <> ALL($1::uuid[])', [[1, 2, 3, 4].map(demoCourseId)]);
  await dataSource.query(`UPDATE course SET title = 'Edited title' WHERE id = $1`, [demoCourseId(1)]);
  await dataSource.query('DELETE FROM course_category WHERE course_id = $1', [demoCourseId(2)]);
  await seedDemoData(dataSource, log);
  const after = await counts();
  expect(after.courses).toBe(46);
  const kept = await dataSource.query(
    `SELECT title, (SELECT count(*)::int FROM course_category WHERE course_id = course.id) AS links FROM course WHERE id = ANY($1::uuid[]) ORDER BY id`,
    [[demoCourseId(1), demoCourseId(2), demoCourseId(5)]],
  );
  expect(kept).toEqual([
    { title: 'Edited title', links: 3 },
    { title: 'PostgreSQL Locking in Practice', links: 0 },
    { title: 'Query Plans: Reading EXPLAIN Without Fear', links: 1 },
  ]);

  // A database seeded before categories existed gets them, linked to the demo courses still there.
  await dataSource.query('DELETE FROM course_category');
  await dataSource.query('DELETE FROM category');
  await seedDemoData(dataSource, log);
  const again = await counts();
  expect(again.categories).toBe(8);
  const uncategorised = await dataSource.query('SELECT id FROM course WHERE NOT EXISTS (SELECT 1 FROM course_category WHERE course_id = course.id)');
  expect(uncategorised).toEqual([]);
});
