/**
 * Which courses are in which categories: a course's set (its instructor or an
 * admin replaces it), bulk additions (admins), a category's courses, and the
 * batch reads behind Course.categories and Category.courseCount.
 *
 * Rules: a course is in 0 to 10 categories (MAX_CATEGORIES_PER_COURSE). A
 * link's primary key (course_id, category_id) makes duplicates impossible;
 * additions are idempotent (ON CONFLICT DO NOTHING). Every change locks the
 * course rows first (ordered by id), as courses.ts does, so two concurrent
 * changes of one course cannot both pass the limit, then holds its categories
 * (FOR KEY SHARE) before touching links, so deleteCategory (which locks the
 * category FOR UPDATE) either runs first (the category is then unknown) or
 * after. A refusal changes nothing.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { checkId, checkPageSize, decodeCursor, isUuid, requireSelfOrAdmin, toConnection, userError, type Viewer } from '@coursegraph/runtime';
import type { UserError } from './__generated__/resolvers-types';
import { Category } from './entities/category';
import { Course } from './entities/course';
import { CourseCategory } from './entities/course-category';
import { isVisible, whereVisible } from './catalog';
import type { CoursePayload } from './courses';
import type { CategoryPayload } from './categories';
import type { CourseConnection } from './search';

export const MAX_CATEGORIES_PER_COURSE = 10;
const MAX_BULK_COURSES = 100;

/** The first malformed id of `ids` as a VALIDATION error at `field.<index>`, or null. */
const checkIds = (ids: readonly string[], field: string): UserError | null =>
  ids.reduce<UserError | null>((found, id, index) => found ?? checkId(id, `${field}.${index}`), null);

/** The first of `wanted` missing from `found` as NOT_FOUND at `field.<index>` (of `wanted`), or null. */
function firstMissing(wanted: readonly string[], found: readonly string[], field: string, what: string): UserError | null {
  const index = wanted.findIndex((id) => !found.includes(id));
  return index < 0 ? null : userError('NOT_FOUND', `No such ${what}: ${wanted[index]}.`, `${field}.${index}`);
}

/** Locks `ids`' category rows FOR KEY SHARE; returns the ids that exist. */
async function holdCategories(manager: EntityManager, ids: readonly string[]): Promise<string[]> {
  const rows: { id: string }[] = await manager.query('SELECT id FROM category WHERE id = ANY($1::uuid[]) ORDER BY id FOR KEY SHARE', [ids]);
  return rows.map((row) => row.id);
}

/**
 * setCourseCategories: `{ courseId, categoryIds }` -> the course, in exactly
 * those categories (repeats count once, order does not matter). Refusals:
 * VALIDATION (a malformed id), TOO_MANY_CATEGORIES (over 10 distinct),
 * NOT_FOUND (the course is unknown or not visible to the viewer, or a
 * category is unknown, naming `input.categoryIds.<index>`); FORBIDDEN
 * (GraphQL error) for someone else's course.
 */
export async function setCourseCategories(
  dataSource: DataSource,
  viewer: Viewer,
  courseId: string,
  categoryIds: readonly string[],
): Promise<CoursePayload> {
  const refused = (error: UserError): CoursePayload => ({ course: null, userErrors: [error] });
  const invalid = checkId(courseId, 'input.courseId') ?? checkIds(categoryIds, 'input.categoryIds');
  if (invalid) return refused(invalid);
  const wanted = [...new Set(categoryIds)];
  if (wanted.length > MAX_CATEGORIES_PER_COURSE) {
    return refused(userError('TOO_MANY_CATEGORIES', `A course is in at most ${MAX_CATEGORIES_PER_COURSE} categories.`, 'input.categoryIds'));
  }
  return dataSource.transaction(async (manager) => {
    const course = await manager.findOne(Course, { where: { id: courseId }, lock: { mode: 'pessimistic_write' } });
    if (!course || !isVisible(course, viewer)) return refused(userError('NOT_FOUND', 'No such course.', 'input.courseId'));
    requireSelfOrAdmin(viewer, course.instructorId, 'Only the course instructor or an admin can change its categories.');
    const missing = firstMissing(categoryIds, await holdCategories(manager, wanted), 'input.categoryIds', 'category');
    if (missing) return refused(missing);
    await manager.query('DELETE FROM course_category WHERE course_id = $1 AND category_id <> ALL($2::uuid[])', [courseId, wanted]);
    await manager.query(
      'INSERT INTO course_category (course_id, category_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT (course_id, category_id) DO NOTHING',
      [courseId, wanted],
    );
    return { course, userErrors: [] };
  });
}

/**
 * addCoursesToCategory (admins): `{ categoryId, courseIds }` (1 to 100) ->
 * the category, with every course in it; courses already in it stay as they
 * are. All or nothing: VALIDATION (malformed id, empty or over 100 courses),
 * NOT_FOUND (unknown category or course, naming `input.courseIds.<index>`),
 * TOO_MANY_CATEGORIES (a course already in 10 other categories).
 */
export async function addCoursesToCategory(
  dataSource: DataSource,
  _admin: Viewer,
  categoryId: string,
  courseIds: readonly string[],
): Promise<CategoryPayload> {
  const refused = (error: UserError): CategoryPayload => ({ category: null, userErrors: [error] });
  const count = courseIds.length < 1 || courseIds.length > MAX_BULK_COURSES;
  const invalid =
    checkId(categoryId, 'input.categoryId') ??
    (count ? userError('VALIDATION', `Give 1 to ${MAX_BULK_COURSES} courses.`, 'input.courseIds') : null) ??
    checkIds(courseIds, 'input.courseIds');
  if (invalid) return refused(invalid);
  const wanted = [...new Set(courseIds)].sort();
  return dataSource.transaction(async (manager) => {
    const locked: { id: string }[] = await manager.query('SELECT id FROM course WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [wanted]);
    const unknownCourse = firstMissing(
      courseIds,
      locked.map((row) => row.id),
      'input.courseIds',
      'course',
    );
    if (unknownCourse) return refused(unknownCourse);
    const [held] = await holdCategories(manager, [categoryId]);
    const category = held ? await manager.findOneBy(Category, { id: categoryId }) : null;
    if (!category) return refused(userError('NOT_FOUND', 'No such category.', 'input.categoryId'));
    const full: { course_id: string }[] = await manager.query(
      `SELECT course_id FROM course_category WHERE course_id = ANY($1::uuid[]) AND category_id <> $2
        GROUP BY course_id HAVING count(*) >= $3`,
      [wanted, categoryId, MAX_CATEGORIES_PER_COURSE],
    );
    if (full.length > 0) {
      const index = courseIds.indexOf(full[0]!.course_id);
      return refused(
        userError('TOO_MANY_CATEGORIES', `The course is already in ${MAX_CATEGORIES_PER_COURSE} categories.`, `input.courseIds.${index}`),
      );
    }
    await manager.query(
      'INSERT INTO course_category (course_id, category_id) SELECT unnest($1::uuid[]), $2 ON CONFLICT (course_id, category_id) DO NOTHING',
      [wanted, categoryId],
    );
    return { category, userErrors: [] };
  });
}

/** Category.courses: the category's courses the viewer may see (catalog.ts's rule), oldest first, with a lazy `totalCount`. */
export async function listCategoryCourses(
  dataSource: DataSource,
  viewer: Viewer | null,
  categoryId: string,
  first: number,
  after: string | null | undefined,
): Promise<CourseConnection> {
  checkPageSize(first);
  const matching = () =>
    whereVisible(
      dataSource
        .getRepository(Course)
        .createQueryBuilder('course')
        .innerJoin(CourseCategory, 'link', 'link.courseId = course.id AND link.categoryId = :categoryId', { categoryId }),
      viewer,
    );
  const page = matching()
    .orderBy('course.createdAt', 'ASC')
    .addOrderBy('course.id', 'ASC')
    .take(first + 1);
  if (after) page.andWhere('(course.createdAt, course.id) > (:createdAt, :id)', decodeCursor(after));
  let counted: Promise<number> | undefined;
  return { ...toConnection(await page.getMany(), first), totalCount: () => (counted ??= matching().getCount()) };
}

/** Batch read (DataLoader): each course's categories by name, in the order asked; one query. */
export async function categoriesOfCourses(dataSource: DataSource, courseIds: readonly string[]): Promise<Category[][]> {
  const rows: { course_id: string; id: string; slug: string; name: string; description: string; created_at: Date; updated_at: Date }[] =
    await dataSource.query(
      `SELECT link.course_id, category.id, category.slug, category.name, category.description, category.created_at, category.updated_at
         FROM course_category link JOIN category ON category.id = link.category_id
        WHERE link.course_id = ANY($1::uuid[]) ORDER BY category.name, category.id`,
      [courseIds.filter(isUuid)],
    );
  const byCourse = new Map<string, Category[]>();
  for (const { course_id, created_at, updated_at, ...fields } of rows) {
    const category = Object.assign(new Category(), fields, { createdAt: created_at, updatedAt: updated_at });
    byCourse.set(course_id, [...(byCourse.get(course_id) ?? []), category]);
  }
  return courseIds.map((id) => byCourse.get(id) ?? []);
}

/** Batch read (DataLoader): each category's number of published courses, in the order asked; one query. */
export async function publishedCourseCounts(dataSource: DataSource, categoryIds: readonly string[]): Promise<number[]> {
  const rows: { category_id: string; courses: number }[] = await dataSource.query(
    `SELECT link.category_id, count(*)::int AS courses FROM course_category link JOIN course ON course.id = link.course_id
      WHERE link.category_id = ANY($1::uuid[]) AND course.status = 'PUBLISHED' GROUP BY link.category_id`,
    [categoryIds.filter(isUuid)],
  );
  const counts = new Map(rows.map((row) => [row.category_id, row.courses]));
  return categoryIds.map((id) => counts.get(id) ?? 0);
}
