/**
 * Loads the demo catalog (demo-catalog.ts) for `npm start`, idempotently:
 * - categories once, when the category table is empty (an admin's later
 *   changes stay);
 * - each demo course by its fixed id when it is missing (a database seeded by
 *   an earlier, smaller catalog gets the rest), published, with every seat
 *   available: seats are sold only through the order saga (the demo orders of
 *   scripts/demo-orders.ts), so the seat invariant holds from the start;
 * - the category links of the courses loaded now, and of every demo course
 *   still there when the categories are loaded now (a database seeded before
 *   categories existed). A course whose categories were changed since keeps them.
 * One transaction under both table locks, so concurrent starters load it once.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { type Logger } from '@coursegraph/runtime';
import { DEMO_USERS, demoCourseId } from '@coursegraph/domain';
import { Course } from './entities/course';
import { Category } from './entities/category';
import { DEMO_CATEGORIES, DEMO_COURSES, type DemoCourse } from './demo-catalog';

const DAY_MS = 24 * 3600 * 1000;

export async function seedDemoData(dataSource: DataSource, log: Logger): Promise<void> {
  await dataSource.transaction(async (manager) => {
    // Serialise concurrent starters on the table locks (always in this order), then look.
    await manager.query('LOCK TABLE category IN SHARE ROW EXCLUSIVE MODE');
    await manager.query('LOCK TABLE course IN SHARE ROW EXCLUSIVE MODE');
    const categoriesLoaded = await seedCategories(manager);
    const coursesLoaded = await seedCourses(manager);
    const linked = categoriesLoaded ? DEMO_COURSES : coursesLoaded;
    const links = await linkCategories(manager, linked);
    if (categoriesLoaded || coursesLoaded.length > 0) {
      log.info('loaded demo catalog', { categories: categoriesLoaded ? DEMO_CATEGORIES.length : 0, courses: coursesLoaded.length, links });
    }
  });
}

/** The demo categories when there are none yet; true when it loaded them. */
async function seedCategories(manager: EntityManager): Promise<boolean> {
  if ((await manager.count(Category)) > 0) return false;
  const now = new Date();
  const categories = DEMO_CATEGORIES.map(({ slug, name, description }, index) =>
    Object.assign(new Category(), {
      id: `ca7e${String(index + 1).padStart(4, '0')}-0000-4000-8000-000000000000`,
      slug,
      name,
      description,
      createdAt: now,
      updatedAt: now,
    }),
  );
  await manager.insert(Category, categories);
  return true;
}

/** The demo courses missing from the table; returns those it loaded. */
async function seedCourses(manager: EntityManager): Promise<DemoCourse[]> {
  const present = await manager.query('SELECT id FROM course WHERE id = ANY($1::uuid[])', [DEMO_COURSES.map((demo) => demoCourseId(demo.n))]);
  const have = new Set(present.map((row: { id: string }) => row.id));
  const missing = DEMO_COURSES.filter((demo) => !have.has(demoCourseId(demo.n)));
  if (missing.length === 0) return [];
  const now = Date.now();
  const last = Math.max(...DEMO_COURSES.map((demo) => demo.n));
  const courses = missing.map((demo) => {
    // Spread over the last weeks, course 1 oldest, so NEWEST and OLDEST differ.
    const createdAt = new Date(now - (last - demo.n) * DAY_MS);
    return Object.assign(new Course(), {
      id: demoCourseId(demo.n),
      title: demo.title,
      description: demo.description,
      priceAmount: demo.price.amount,
      priceCurrency: demo.price.currency,
      instructorId: DEMO_USERS[demo.instructor].userId,
      status: 'PUBLISHED',
      capacity: demo.capacity,
      seatsAvailable: demo.capacity,
      seatsHeld: 0,
      seatsSold: 0,
      seatsVersion: 0,
      createdAt,
      updatedAt: createdAt,
    } satisfies Course);
  });
  await manager.insert(Course, courses);
  return missing;
}

/** Links `courses` to their demo categories that exist (by slug); returns how many links it added. */
async function linkCategories(manager: EntityManager, courses: DemoCourse[]): Promise<number> {
  const links = courses.flatMap((demo) => demo.categories.map((slug) => [demoCourseId(demo.n), slug] as const));
  if (links.length === 0) return 0;
  const added: unknown[] = await manager.query(
    `INSERT INTO course_category (course_id, category_id)
     SELECT link.course_id, category.id FROM unnest($1::uuid[], $2::text[]) AS link (course_id, slug)
       JOIN category ON category.slug = link.slug
      WHERE EXISTS (SELECT 1 FROM course WHERE course.id = link.course_id)
     ON CONFLICT (course_id, category_id) DO NOTHING
     RETURNING course_id`,
    [links.map(([course]) => course), links.map(([, slug]) => slug)],
  );
  return added.length;
}
