/** Demo courses and categories for `npm start`, each loaded only into an empty table. */
import type { DataSource } from 'typeorm';
import { type Logger } from '@coursegraph/runtime';
import { DEMO_USERS } from '@coursegraph/domain';
import { Course } from './entities/course';
import { Category } from './entities/category';

const DEMO_COURSES = [
  { title: 'GraphQL Federation from Zero', price: 4900, capacity: 30, instructor: DEMO_USERS.instructor.userId },
  { title: 'PostgreSQL Locking in Practice', price: 3900, capacity: 20, instructor: DEMO_USERS.instructor.userId },
  { title: 'TypeScript for Backend Engineers', price: 2900, capacity: 50, instructor: DEMO_USERS.secondInstructor.userId },
  { title: 'Designing Sagas: The Last Seat', price: 9900, capacity: 1, instructor: DEMO_USERS.secondInstructor.userId },
];

const demoCourseId = (index: number) => `c0c0${String(index + 1).padStart(4, '0')}-0000-4000-8000-000000000000`;

/** Categories by slug, with the demo courses (by index in DEMO_COURSES) in each. */
const DEMO_CATEGORIES = [
  { slug: 'web-development', name: 'Web Development', courses: [0, 2], description: 'APIs, browsers and the servers behind them.' },
  { slug: 'databases', name: 'Databases', courses: [1, 3], description: 'Modelling, querying and running relational databases.' },
  { slug: 'distributed-systems', name: 'Distributed Systems', courses: [0, 1, 3], description: 'Services that fail independently.' },
  { slug: 'programming-languages', name: 'Programming Languages', courses: [2], description: 'Languages, type systems and their idioms.' },
  { slug: 'software-architecture', name: 'Software Architecture', courses: [0, 3], description: 'How systems are split and held together.' },
  { slug: 'cloud-devops', name: 'Cloud and DevOps', courses: [], description: 'Deploying, observing and operating software.' },
  { slug: 'data-science', name: 'Data Science', courses: [], description: 'Statistics and machine learning in practice.' },
  { slug: 'security', name: 'Security', courses: [], description: 'Threats, defences and secure design.' },
];

export async function seedDemoData(dataSource: DataSource, log: Logger): Promise<void> {
  await seedDemoCourses(dataSource, log);
  await seedDemoCategories(dataSource, log);
}

async function seedDemoCourses(dataSource: DataSource, log: Logger): Promise<void> {
  await dataSource.transaction(async (manager) => {
    // Serialise concurrent starters on the table lock, then look: seed once, only when empty.
    await manager.query('LOCK TABLE course IN SHARE ROW EXCLUSIVE MODE');
    if ((await manager.count(Course)) > 0) return;
    const start = Date.now();
    const courses = DEMO_COURSES.map((demo, index) =>
      Object.assign(new Course(), {
        id: demoCourseId(index),
        title: demo.title,
        description: `${demo.title}: a demo course.`,
        priceAmount: demo.price,
        priceCurrency: 'USD',
        instructorId: demo.instructor,
        status: 'PUBLISHED',
        capacity: demo.capacity,
        seatsAvailable: demo.capacity,
        seatsHeld: 0,
        seatsSold: 0,
        seatsVersion: 0,
        createdAt: new Date(start + index),
        updatedAt: new Date(start + index),
      } satisfies Course),
    );
    await manager.insert(Course, courses);
    log.info('loaded demo courses', { courses: courses.length });
  });
}

/** The demo categories, once, when the category table is empty; demo courses deleted since are skipped. */
async function seedDemoCategories(dataSource: DataSource, log: Logger): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query('LOCK TABLE category IN SHARE ROW EXCLUSIVE MODE');
    if ((await manager.count(Category)) > 0) return;
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
    const links = DEMO_CATEGORIES.flatMap((demo, index) => demo.courses.map((course) => [demoCourseId(course), categories[index]!.id]));
    await manager.query(
      `INSERT INTO course_category (course_id, category_id)
       SELECT link.course_id, link.category_id FROM unnest($1::uuid[], $2::uuid[]) AS link (course_id, category_id)
        WHERE EXISTS (SELECT 1 FROM course WHERE course.id = link.course_id)
       ON CONFLICT (course_id, category_id) DO NOTHING`,
      [links.map(([course]) => course), links.map(([, category]) => category)],
    );
    log.info('loaded demo categories', { categories: categories.length, links: links.length });
  });
}
