/**
 * The catalog as callers see it: which courses a viewer may see, a course by
 * id, and course lists as cursor connections.
 */
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput, checkId, checkPageSize, decodeCursor, findByIds, isSelfOrAdmin, toConnection, type Viewer } from '@coursegraph/runtime';
import { Course, type CourseStatus } from './entities/course';
import type { CourseConnection } from './search';

/** Drafts and archived courses are visible to their instructor and admins only. */
export const isVisible = (course: Course, viewer: Viewer | null) => course.status === 'PUBLISHED' || isSelfOrAdmin(viewer, course.instructorId);

/** isVisible as a condition on a query's `course` alias, for lists: published, the viewer's own, or all for admins. */
export function whereVisible<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, viewer: Viewer | null): SelectQueryBuilder<T> {
  if (viewer?.roles.includes('ADMIN')) return query;
  const published = 'PUBLISHED' satisfies CourseStatus;
  if (!viewer) return query.andWhere('course.status = :published', { published });
  return query.andWhere('(course.status = :published OR course.instructorId = :viewerId)', { published, viewerId: viewer.userId });
}

/**
 * What an entity reference (`_entities`) may show: what isVisible shows, and
 * archived courses too. References reach a subgraph from the gateway's query
 * plans only (in production nothing else gets in), which take them from
 * answers the caller was allowed to see, such as a student's own order of a
 * course archived since: that order must keep showing its course. Drafts
 * never sold a seat, so nothing a stranger may see points at one; they stay
 * hidden from strangers by reference too.
 */
export const isVisibleByReference = (course: Course, viewer: Viewer | null) => course.status === 'ARCHIVED' || isVisible(course, viewer);

export const loadCourses = (dataSource: DataSource, ids: readonly string[]) => findByIds(dataSource.getRepository(Course), ids);

export interface CourseFilter {
  /** Only this instructor's courses. */
  instructorId?: string;
  /** Drafts and archived courses too (for their instructor and admins); published only otherwise. */
  allStatuses?: boolean;
}

/** Courses oldest first, as a cursor connection with a lazy `totalCount`: an instructor's courses (User.coursesTaught). */
export async function listCourses(
  dataSource: DataSource,
  filter: CourseFilter,
  first: number,
  after: string | null | undefined,
): Promise<CourseConnection> {
  checkPageSize(first);
  const matching = () => {
    const query = dataSource.getRepository(Course).createQueryBuilder('course');
    if (!filter.allStatuses) query.andWhere('course.status = :status', { status: 'PUBLISHED' satisfies CourseStatus });
    if (filter.instructorId) query.andWhere('course.instructorId = :instructorId', { instructorId: filter.instructorId });
    return query;
  };
  const page = matching()
    .orderBy('course.createdAt', 'ASC')
    .addOrderBy('course.id', 'ASC')
    .take(first + 1);
  if (after) page.andWhere('(course.createdAt, course.id) > (:createdAt, :id)', decodeCursor(after));
  let counted: Promise<number> | undefined;
  return { ...toConnection(await page.getMany(), first), totalCount: () => (counted ??= matching().getCount()) };
}

/** Looks a course up by id, batched (the request's DataLoader). */
export interface CourseLookup {
  load(id: string): Promise<Course | null>;
}

/** A course by id if `viewer` may see it by `rule`, else null. */
export async function visibleCourse(courses: CourseLookup, viewer: Viewer | null, id: string, rule = isVisible): Promise<Course | null> {
  const course = await courses.load(id);
  return course && rule(course, viewer) ? course : null;
}

/** course(id): the course if `viewer` may see it, else null. Throws BAD_USER_INPUT for a malformed id. */
export function findCourse(courses: CourseLookup, viewer: Viewer | null, id: string): Promise<Course | null> {
  if (checkId(id, 'id')) throw badInput('`id` is not a valid course id.');
  return visibleCourse(courses, viewer, id);
}

/** User.coursesTaught: an instructor's courses; drafts and archived ones too for the instructor and admins. */
export function listCoursesTaught(
  dataSource: DataSource,
  viewer: Viewer | null,
  instructorId: string,
  first: number,
  after: string | null | undefined,
) {
  return listCourses(dataSource, { instructorId, allStatuses: isSelfOrAdmin(viewer, instructorId) }, first, after);
}
