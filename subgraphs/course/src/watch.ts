/**
 * seatsChanged: which courses a caller may watch. From 1 to
 * MAX_WATCHED_COURSES well-formed ids of courses the caller may see (drafts
 * only by their instructor and admins); anything else is BAD_USER_INPUT and
 * nothing is subscribed.
 */
import type { DataSource } from 'typeorm';
import { badInput, checkId, type Viewer } from '@coursegraph/runtime';
import type { Course } from './entities/course';
import { isVisible, loadCourses } from './catalog';
import type { SeatEvent } from './seat-event';
import type { SeatListener } from './seat-listener';

export const MAX_WATCHED_COURSES = 50;

/** Validates the ids, then subscribes; the courses' current state is checked (and sent) by the listener. */
export function watchSeats(
  seatListener: SeatListener,
  dataSource: DataSource,
  viewer: Viewer | null,
  courseIds: readonly string[],
): Promise<AsyncIterableIterator<SeatEvent>> {
  const ids = [...new Set(courseIds)];
  if (ids.length < 1 || ids.length > MAX_WATCHED_COURSES) {
    throw badInput(`Watch from 1 to ${MAX_WATCHED_COURSES} courses at a time.`);
  }
  const malformed = ids.find((id) => checkId(id, 'courseIds'));
  if (malformed !== undefined) throw badInput(`"${malformed.slice(0, 40)}" is not a valid course id.`);
  return seatListener.subscribe(ids, async () => {
    const courses = await loadCourses(dataSource, ids);
    const missing = ids.find((_id, index) => !courses[index] || !isVisible(courses[index]!, viewer));
    if (missing !== undefined) throw badInput(`No course with id ${missing}.`);
    return courses as Course[];
  });
}
