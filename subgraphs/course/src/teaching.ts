/**
 * What the course subgraph adds to a user: how many published courses they
 * teach (`User.publishedCourseCount`), counted for many users in one query
 * (the request's DataLoader batches every user of a page).
 */
import type { DataSource } from 'typeorm';
import { checkId } from '@coursegraph/runtime';
import type { CourseStatus } from './entities/course';

/**
 * The number of PUBLISHED courses each of `userIds` teaches, in the order
 * given: `[id1, id2] -> [3, 0]`. A user with none, an unknown id or one that
 * is not a UUID counts 0. One SQL statement however many ids.
 */
export async function countPublishedCourses(dataSource: DataSource, userIds: readonly string[]): Promise<number[]> {
  const rows = (await dataSource.query(
    `SELECT instructor_id AS "userId", count(*)::int AS count FROM course
      WHERE status = $1 AND instructor_id = ANY($2::uuid[]) GROUP BY instructor_id`,
    ['PUBLISHED' satisfies CourseStatus, userIds.filter((id) => !checkId(id, 'id'))],
  )) as { userId: string; count: number }[];
  const counts = new Map(rows.map((row) => [row.userId, row.count]));
  return userIds.map((id) => counts.get(id) ?? 0);
}
