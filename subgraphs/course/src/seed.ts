/** Demo courses for `npm start`, loaded only into an empty database. */
import type { DataSource } from 'typeorm';
import { type Logger } from '@coursegraph/runtime';
import { DEMO_USERS } from '@coursegraph/domain';
import { Course } from './entities/course';

const DEMO_COURSES = [
  { title: 'GraphQL Federation from Zero', price: 4900, capacity: 30, instructor: DEMO_USERS.instructor.userId },
  { title: 'PostgreSQL Locking in Practice', price: 3900, capacity: 20, instructor: DEMO_USERS.instructor.userId },
  { title: 'TypeScript for Backend Engineers', price: 2900, capacity: 50, instructor: DEMO_USERS.secondInstructor.userId },
  { title: 'Designing Sagas: The Last Seat', price: 9900, capacity: 1, instructor: DEMO_USERS.secondInstructor.userId },
];

export async function seedDemoData(dataSource: DataSource, log: Logger): Promise<void> {
  await dataSource.transaction(async (manager) => {
    // Serialise concurrent starters on the table lock, then look: seed once, only when empty.
    await manager.query('LOCK TABLE course IN SHARE ROW EXCLUSIVE MODE');
    if ((await manager.count(Course)) > 0) return;
    const start = Date.now();
    const courses = DEMO_COURSES.map((demo, index) =>
      Object.assign(new Course(), {
        id: `c0c0${String(index + 1).padStart(4, '0')}-0000-4000-8000-000000000000`,
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
