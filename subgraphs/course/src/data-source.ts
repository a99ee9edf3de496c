import { createDataSource } from '@coursegraph/runtime';
import { Course } from './entities/course';
import { Reservation } from './entities/reservation';
import { CreateCourses1763800000000 } from './migrations/1763800000000-CreateCourses';
import { CreateRateLimit1764460000000 } from './migrations/1764460000000-CreateRateLimit';
import { AddCourseSearch1764600000000 } from './migrations/1764600000000-AddCourseSearch';

export const createCourseDataSource = (url: string, poolSize?: number) =>
  createDataSource({
    url,
    poolSize,
    applicationName: 'coursegraph-course',
    entities: [Course, Reservation],
    migrations: [CreateCourses1763800000000, CreateRateLimit1764460000000, AddCourseSearch1764600000000],
  });
