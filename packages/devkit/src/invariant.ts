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
 * Reads a course's counters and checks them against the rows behind them:
 * seats held = PENDING reservations, seats sold = CONFIRMED reservations.
 * (That the counters add up to capacity, so seats available follow, and are
 * never negative is the table's CHECK constraints' job, tested directly in
 * subgraphs/course/test/constraints.test.ts; restated here it could not fail.)
 * With `orderDb`, seats sold must also equal the course's CONFIRMED orders.
 * Returns the counters.
 */
export async function expectCourseInvariant(db: ClientBase | Pool, courseId: string, orderDb?: ClientBase | Pool): Promise<Counters> {
  const { rows } = await db.query(
    `SELECT capacity, seats_available AS available, seats_held AS held, seats_sold AS sold, seats_version AS version,
            (SELECT count(*)::int FROM reservation r WHERE r.course_id = c.id AND r.status = 'PENDING') AS pending,
            (SELECT count(*)::int FROM reservation r WHERE r.course_id = c.id AND r.status = 'CONFIRMED') AS confirmed
       FROM course c WHERE id = $1`,
    [courseId],
  );
  const { pending, confirmed, ...state } = rows[0] as Counters & { pending: number; confirmed: number };
  expect({ held: state.held, sold: state.sold }).toEqual({ held: pending, sold: confirmed });
  if (orderDb) {
    const orders = await orderDb.query(`SELECT count(*)::int AS n FROM orders WHERE course_id = $1 AND status = 'CONFIRMED'`, [courseId]);
    expect(orders.rows[0].n).toBe(state.sold);
  }
  return state;
}
