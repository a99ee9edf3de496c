import { createDataSource } from '@coursegraph/runtime';
import { Course } from './entities/course';
import { Reservation } from './entities/reservation';
import { Category } from './entities/category';
import { CourseCategory } from './entities/course-category';
import { CreateCourses1763800000000 } from './migrations/1763800000000-CreateCourses';
import { CreateRateLimit1764460000000 } from './migrations/1764460000000-CreateRateLimit';
import { AddCourseSearch1764600000000 } from './migrations/1764600000000-AddCourseSearch';
import { CreateCategories1764700000000 } from './migrations/1764700000000-CreateCategories';
import { TuneCatalogSearch1764800000000 } from './migrations/1764800000000-TuneCatalogSearch';

export const createCourseDataSource = (url: string, poolSize?: number) =>
  createDataSource({
    url,
    poolSize,
    applicationName: 'coursegraph-course',
    entities: [Course, Reservation, Category, CourseCategory],
    migrations: [
      CreateCourses1763800000000,
      CreateRateLimit1764460000000,
      AddCourseSearch1764600000000,
      CreateCategories1764700000000,
      TuneCatalogSearch1764800000000,
    ],
  });
