import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Course } from './entities/course';
import { loadCourses } from './catalog';
import type { Category } from './entities/category';
import { categoriesOfCourses, publishedCourseCounts } from './category-links';
import type { SeatEvent } from './seat-event';
import { countPublishedCourses } from './teaching';
import { relatedCourses, relatedKeyId, type RelatedKey } from './related';

/** Per-request batch loaders: every course looked up in one request costs one query, and so do the users' course counts. */
export interface CourseLoaders {
  course: DataLoader<string, Course | null>;
  /** Course.categories: a course's categories by name (course id -> categories). */
  courseCategories: DataLoader<string, Category[]>;
  /** Category.courseCount: a category's number of published courses (category id -> count). */
  categoryCourseCount: DataLoader<string, number>;
  /** User.publishedCourseCount by user id. */
  publishedCourseCount: DataLoader<string, number>;
  /** Course.related by (course id, first, viewer): two statements for the whole request. */
  related: DataLoader<RelatedKey, Course[], string>;
}

export const createLoaders = (dataSource: DataSource): CourseLoaders => ({
  course: new DataLoader((ids) => loadCourses(dataSource, ids)),
  // Batched, not cached: a subscription's context lives as long as the subscription, and each seat event's
  // `course { categories }` must read the categories as they are then (the batch functions accept repeated ids).
  courseCategories: new DataLoader((ids) => categoriesOfCourses(dataSource, ids), { cache: false }),
  categoryCourseCount: new DataLoader((ids) => publishedCourseCounts(dataSource, ids), { cache: false }),
  publishedCourseCount: new DataLoader((userIds) => countPublishedCourses(dataSource, userIds)),
  // Not cached, as courseCategories: a subscription's context outlives the rows it would cache.
  related: new DataLoader((keys) => relatedCourses(dataSource, keys), { cache: false, cacheKeyFn: relatedKeyId }),
});

/**
 * The course of a live seat event, read once per event however many
 * subscribers select it (one per instance: a subscription's context lives as
 * long as the subscription, so per-request loaders would read it once per
 * subscriber). Courses are never deleted, so the course of an event exists.
 */
export type EventCourseLoader = (event: SeatEvent) => Course | Promise<Course>;

export function createEventCourseLoader(dataSource: DataSource): EventCourseLoader {
  const courses = new WeakMap<SeatEvent, Promise<Course>>();
  return (event) => {
    if (event.course) return event.course;
    let course = courses.get(event);
    if (!course) {
      course = loadCourses(dataSource, [event.courseId]).then(([found]) => found ?? Promise.reject(new Error(`course ${event.courseId} vanished`)));
      courses.set(event, course);
    }
    return course;
  };
}
