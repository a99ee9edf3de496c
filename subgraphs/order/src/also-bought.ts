/**
 * Course.alsoBought(first) -> CourseReference[] (`{ id }`, resolved by the course
 * subgraph through federation): the courses most often bought by the
 * students who bought this one, from this subgraph's CONFIRMED orders.
 *
 * Rules: most distinct buyers first, ties by course id; never the course
 * itself; for a signed-in viewer, never a course the viewer has a CONFIRMED
 * or PENDING order of (only students order, so for anyone else nothing is
 * left out); published courses only. `first` is 1 to MAX_ALSO_BOUGHT, else
 * BAD_USER_INPUT.
 *
 * "Published only", the federated way: this subgraph does not know a
 * course's status and never reads the course database, so it asks the
 * course subgraph, the owner of that fact, through its typed internal
 * operation `publishedCourseIds` (course-operations.graphql, service
 * credential, the request's deadline), once per request for the candidates
 * of every course asked. The other way, references the course subgraph
 * resolves to null when unpublished, would put nulls in the client's list
 * (or null the whole list); filtering before answering keeps `[Course!]!`
 * honest and `first` exact. Drafts never sell a seat, so in practice the
 * candidates left out are archived courses.
 *
 * Bounds: each (course, viewer) brings its best `first + CANDIDATE_SLACK`
 * candidates; the request sends at most MAX_CANDIDATES distinct ids, the
 * best ranked first (the course subgraph's body limit). A list is shorter
 * than `first` only when fewer courses qualify, or when more than
 * CANDIDATE_SLACK of a course's best candidates are not published.
 *
 * Batched: every (course, first, viewer) of a request costs one SQL statement
 * (a window function ranks the candidates of all of them) and at most one
 * internal call, whatever the page size; none when nobody bought anything
 * else.
 */
import type { DataSource } from 'typeorm';
import { badInput, checkId, type Viewer } from '@coursegraph/runtime';

/** A course by id, for the course subgraph to resolve (context.ts's CourseRef, without its import cycle through loaders.ts). */
export interface CourseReference {
  id: string;
}

export const MAX_ALSO_BOUGHT = 20;
/** Candidates checked beyond `first`, for those the course subgraph says are not published. */
export const CANDIDATE_SLACK = 20;
/** Most ids one publishedCourseIds call carries (the course subgraph takes 2000). */
export const MAX_CANDIDATES = 2_000;

/** One Course.alsoBought question: the DataLoader key. */
export interface AlsoBoughtKey {
  courseId: string;
  first: number;
  /** The signed-in viewer, whose own courses are left out; null for nobody. */
  viewerId: string | null;
}

/** The DataLoader cache key of an AlsoBoughtKey. */
export const alsoBoughtKeyId = (key: AlsoBoughtKey) => `${key.courseId}/${key.first}/${key.viewerId ?? ''}`;

/** Which of `ids` are published courses (the course subgraph's answer). */
export type PublishedFilter = (ids: string[]) => Promise<readonly string[]>;

/** Course.alsoBought: validates `first`, then asks the request's batch loader (alsoBought below). */
export function findAlsoBought(
  loader: { load(key: AlsoBoughtKey): Promise<CourseReference[]> },
  viewer: Viewer | null,
  courseId: string,
  first: number,
) {
  if (!Number.isInteger(first) || first < 1 || first > MAX_ALSO_BOUGHT) throw badInput(`\`first\` must be from 1 to ${MAX_ALSO_BOUGHT}.`);
  return loader.load({ courseId, first, viewerId: viewer?.userId ?? null });
}

interface Candidate {
  courseId: string;
  viewerId: string | null;
  id: string;
}

/** Batch read (DataLoader): each key's courses, best first, in the order asked; one statement and at most one internal call. */
export async function alsoBought(dataSource: DataSource, published: PublishedFilter, keys: readonly AlsoBoughtKey[]): Promise<CourseReference[][]> {
  const valid = keys.filter((key) => !checkId(key.courseId, 'id'));
  const candidates: Candidate[] = valid.length
    ? await dataSource.query(
        `WITH wanted AS (
           SELECT course_id, viewer_id, max(lim) AS lim FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS w(course_id, viewer_id, lim)
            GROUP BY course_id, viewer_id
         ), scored AS (
           SELECT wanted.course_id, wanted.viewer_id, wanted.lim, other.course_id AS id, count(DISTINCT other.student_id) AS buyers
             FROM wanted
             JOIN orders mine ON mine.course_id = wanted.course_id AND mine.status = 'CONFIRMED'
             JOIN orders other ON other.student_id = mine.student_id AND other.status = 'CONFIRMED' AND other.course_id <> wanted.course_id
            WHERE NOT EXISTS (
              SELECT 1 FROM orders own
               WHERE own.student_id = wanted.viewer_id AND own.course_id = other.course_id AND own.status IN ('CONFIRMED', 'PENDING'))
            GROUP BY wanted.course_id, wanted.viewer_id, wanted.lim, other.course_id
         )
         SELECT course_id AS "courseId", viewer_id AS "viewerId", id FROM (
           SELECT scored.*, row_number() OVER (PARTITION BY course_id, viewer_id ORDER BY buyers DESC, id) AS rank FROM scored
         ) ranked
          WHERE rank <= lim + $4
          ORDER BY rank, course_id, viewer_id`,
        [valid.map((key) => key.courseId), valid.map((key) => key.viewerId), valid.map((key) => key.first), CANDIDATE_SLACK],
      )
    : [];
  const pool = [...new Set(candidates.map((candidate) => candidate.id))].slice(0, MAX_CANDIDATES);
  const shown = new Set(pool.length ? await published(pool) : []);
  const byCourse = new Map<string, string[]>();
  for (const { courseId, viewerId, id } of candidates) {
    const group = `${courseId}/${viewerId ?? ''}`;
    if (shown.has(id)) byCourse.set(group, [...(byCourse.get(group) ?? []), id]);
  }
  return keys.map((key) => (byCourse.get(`${key.courseId}/${key.viewerId ?? ''}`) ?? []).slice(0, key.first).map((id) => ({ id })));
}
