/**
 * Recommendations the course database can make on its own: Course.related,
 * and publishedCourseIds, which the order subgraph's Course.alsoBought asks
 * to show published courses only.
 *
 * Course.related(first) -> Course[]: other PUBLISHED courses, best first:
 *   1. the same instructor's before anyone else's,
 *   2. then the most categories shared with the course (course_category),
 *   3. then the most seats sold,
 *   4. then the newest, then by id.
 * Never the course itself; for a signed-in viewer, never a course the viewer
 * holds a CONFIRMED reservation of (the seats a student owns; only students
 * buy, so for anyone else nothing is left out). `first` is 1 to MAX_RELATED,
 * else BAD_USER_INPUT.
 *
 * Batched: every (course, first, viewer) asked in one request is answered by
 * one SQL statement (a LATERAL top-N per course), and the courses it names
 * are read in one more: a page of N courses costs two statements whatever N
 * is (none more when no course is related).
 */
import type { DataSource } from 'typeorm';
import { badInput, isUuid, type Viewer } from '@coursegraph/runtime';
import type { Course } from './entities/course';
import { loadCourses } from './catalog';

export const MAX_RELATED = 20;
/** Largest `ids` list publishedCourseIds takes (it fits the 100 kB body limit). */
export const MAX_PUBLISHED_LOOKUP = 2_000;

/** One Course.related question: the DataLoader key. */
export interface RelatedKey {
  courseId: string;
  first: number;
  /** The signed-in viewer, whose own courses are left out; null for nobody. */
  viewerId: string | null;
}

/** The DataLoader cache key of a RelatedKey. */
export const relatedKeyId = (key: RelatedKey) => `${key.courseId}/${key.first}/${key.viewerId ?? ''}`;

/** Throws BAD_USER_INPUT unless `first` is 1 to MAX_RELATED. */
export function checkRecommendationCount(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_RELATED) throw badInput(`\`first\` must be from 1 to ${MAX_RELATED}.`);
}

/** Course.related: validates `first`, then asks the request's batch loader (relatedCourses below). */
export function findRelated(related: { load(key: RelatedKey): Promise<Course[]> }, viewer: Viewer | null, courseId: string, first: number) {
  checkRecommendationCount(first);
  return related.load({ courseId, first, viewerId: viewer?.userId ?? null });
}

/** Batch read (DataLoader): the related course ids of each key, best first, in the order asked; one statement. */
export async function relatedCourseIds(dataSource: DataSource, keys: readonly RelatedKey[]): Promise<string[][]> {
  const rows: { ord: string; id: string }[] = await dataSource.query(
    `WITH wanted AS (
       SELECT w.ord, w.course_id, w.lim, w.viewer_id, c.instructor_id
         FROM unnest($1::uuid[], $2::int[], $3::uuid[]) WITH ORDINALITY AS w(course_id, lim, viewer_id, ord)
         JOIN course c ON c.id = w.course_id
     )
     SELECT wanted.ord, pick.id
       FROM wanted
       CROSS JOIN LATERAL (
         SELECT other.id, other.instructor_id = wanted.instructor_id AS same_instructor, coalesce(shared.n, 0) AS shared,
                other.seats_sold, other.created_at
           FROM course other
           LEFT JOIN LATERAL (
             SELECT count(*) AS n FROM course_category mine JOIN course_category theirs ON theirs.category_id = mine.category_id
              WHERE mine.course_id = wanted.course_id AND theirs.course_id = other.id
           ) shared ON true
          WHERE other.status = 'PUBLISHED' AND other.id <> wanted.course_id
            AND NOT EXISTS (
              SELECT 1 FROM reservation owned
               WHERE owned.holder_id = wanted.viewer_id AND owned.course_id = other.id AND owned.status = 'CONFIRMED')
          ORDER BY same_instructor DESC, shared DESC, other.seats_sold DESC, other.created_at DESC, other.id
          LIMIT wanted.lim
       ) pick
      ORDER BY wanted.ord, pick.same_instructor DESC, pick.shared DESC, pick.seats_sold DESC, pick.created_at DESC, pick.id`,
    [keys.map((key) => (isUuid(key.courseId) ? key.courseId : null)), keys.map((key) => key.first), keys.map((key) => key.viewerId)],
  );
  const byKey: string[][] = keys.map(() => []);
  for (const row of rows) byKey[Number(row.ord) - 1]!.push(row.id);
  return byKey;
}

/** Batch read (DataLoader): relatedCourseIds as courses, all of them read in one more statement. */
export async function relatedCourses(dataSource: DataSource, keys: readonly RelatedKey[]): Promise<Course[][]> {
  const ids = await relatedCourseIds(dataSource, keys);
  const unique = [...new Set(ids.flat())];
  const courses = new Map((await loadCourses(dataSource, unique)).map((course, index) => [unique[index]!, course]));
  return ids.map((list) => list.map((id) => courses.get(id)).filter((course): course is Course => course != null));
}

/**
 * publishedCourseIds (order subgraph only): of `ids`, those that are
 * published courses, in the order given (repeats once); malformed or unknown
 * ids are left out. One statement. Over MAX_PUBLISHED_LOOKUP ids is
 * BAD_USER_INPUT.
 */
export async function publishedCourseIds(dataSource: DataSource, ids: readonly string[]): Promise<string[]> {
  if (ids.length > MAX_PUBLISHED_LOOKUP) throw badInput(`At most ${MAX_PUBLISHED_LOOKUP} ids.`);
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()).filter(isUuid))];
  const rows: { id: string }[] = await dataSource.query(`SELECT id FROM course WHERE id = ANY($1::uuid[]) AND status = 'PUBLISHED'`, [wanted]);
  const published = new Set(rows.map((row) => row.id));
  return wanted.filter((id) => published.has(id));
}
