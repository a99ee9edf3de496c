import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Course } from './entities/course';
import { loadCourses } from './courses';

/** Per-request batch loaders: every course looked up in one request costs one query. */
export interface CourseLoaders {
  course: DataLoader<string, Course | null>;
}

export const createLoaders = (dataSource: DataSource): CourseLoaders => ({
  course: new DataLoader((ids) => loadCourses(dataSource, ids)),
});
