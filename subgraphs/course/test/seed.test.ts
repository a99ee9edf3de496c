/**
 * The demo data of `npm start`: courses and categories loaded once, however
 * many instances start at once and however often; the demo courses are in
 * their categories; categories come to a database that had only courses.
 */
import type { DataSource } from 'typeorm';
import { createLogger, openDatabase } from '@coursegraph/runtime';
import { createTestDatabases, type TestDatabases } from '@coursegraph/devkit/databases';
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
                                   (SELECT count(*)::int FROM course_category) AS links`)
  )[0];

test('concurrent and repeated seeding loads the demo catalog once, with every demo course in a category', async () => {
  await Promise.all([seedDemoData(dataSource, log), seedDemoData(dataSource, log), seedDemoData(dataSource, log)]);
  const first = await counts();
  expect(first).toEqual({ courses: 4, categories: 8, links: 10 });
  await seedDemoData(dataSource, log);
  expect(await counts()).toEqual(first);
  const uncategorised = await dataSource.query('SELECT id FROM course WHERE NOT EXISTS (SELECT 1 FROM course_category WHERE course_id = course.id)');
  expect(uncategorised).toEqual([]);
  const slugs = (await dataSource.query('SELECT slug FROM category ORDER BY slug')).map((row: { slug: string }) => row.slug);
  expect(slugs).toContain('databases');

  // A database seeded before categories existed gets them, linked to the demo courses still there.
  await dataSource.query('DELETE FROM course_category');
  await dataSource.query('DELETE FROM category');
  await seedDemoData(dataSource, log);
  expect(await counts()).toEqual(first);
});
