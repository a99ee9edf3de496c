/** The seat invariant as the course database sees it, for tests that talk to that database directly. */
import type { ClientBase, Pool } from 'pg';

export interface Counters {
  capacity: number;
  available: number;
  held: number;
  sold: number;
  version: number;
}

/**
 * Reads a course's counters and checks them: they add up to capacity, none
 * is negative, and held and sold seats match the PENDING and CONFIRMED
 * reservations behind them. Returns the counters.
 */
export async function expectCourseInvariant(db: ClientBase | Pool, courseId: string): Promise<Counters> {
  const { rows } = await db.query(
    `SELECT capacity, seats_available AS available, seats_held AS held, seats_sold AS sold, seats_version AS version,
            (SELECT count(*)::int FROM reservation r WHERE r.course_id = c.id AND r.status = 'PENDING') AS pending,
            (SELECT count(*)::int FROM reservation r WHERE r.course_id = c.id AND r.status = 'CONFIRMED') AS confirmed
       FROM course c WHERE id = $1`,
    [courseId],
  );
  const { pending, confirmed, ...state } = rows[0] as Counters & { pending: number; confirmed: number };
  expect(state.available + state.held + state.sold).toBe(state.capacity);
  expect(Math.min(state.available, state.held, state.sold)).toBeGreaterThanOrEqual(0);
  expect(state.held).toBe(pending);
  expect(state.sold).toBe(confirmed);
  return state;
}
