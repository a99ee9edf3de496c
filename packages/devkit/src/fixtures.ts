/** Users, courses and the seat invariant, shared by the end-to-end tests. */
import { randomUUID } from 'node:crypto';
import type { Role, Viewer } from '@coursegraph/runtime';
import { CreateCourseDocument, PublishCourseDocument, type CourseFieldsFragment } from '@coursegraph/client';
import type { Stack } from './stack';

export const newUser = (role: Role): Viewer => ({ userId: randomUUID(), roles: [role] });

export interface CourseSpec {
  capacity?: number;
  amount?: number;
  currency?: string;
  publish?: boolean;
  instructor?: Viewer;
}

/** Creates (and by default publishes) a course through the gateway as an instructor. */
export async function createCourse(stack: Stack, spec: CourseSpec = {}): Promise<CourseFieldsFragment & { instructor: Viewer }> {
  const instructor = spec.instructor ?? newUser('INSTRUCTOR');
  const created = await stack.call(
    CreateCourseDocument,
    {
      input: {
        title: 'Course under test',
        description: 'Made by a test.',
        price: { amount: spec.amount ?? 1_000, currency: spec.currency ?? 'USD' },
        capacity: spec.capacity ?? 10,
      },
    },
    instructor,
  );
  let course = created.data?.createCourse.course;
  if (!course) throw new Error(`createCourse failed: ${JSON.stringify(created)}`);
  if (spec.publish !== false) {
    const published = await stack.call(PublishCourseDocument, { input: { courseId: course.id } }, instructor);
    course = published.data?.publishCourse.course;
    if (!course) throw new Error(`publishCourse failed: ${JSON.stringify(published)}`);
  }
  return { ...course, instructor };
}

export interface SeatState {
  capacity: number;
  available: number;
  held: number;
  sold: number;
  version: number;
  pendingReservations: number;
  confirmedReservations: number;
  confirmedOrders: number;
  pendingOrders: number;
}

/** Reads a course's counters and the rows behind them, in both databases. */
export async function seatState(stack: Stack, courseId: string): Promise<SeatState> {
  const course = await stack.courseDb.query(
    `SELECT capacity, seats_available AS available, seats_held AS held, seats_sold AS sold, seats_version AS version,
            (SELECT count(*)::int FROM reservation WHERE course_id = $1 AND status = 'PENDING') AS "pendingReservations",
            (SELECT count(*)::int FROM reservation WHERE course_id = $1 AND status = 'CONFIRMED') AS "confirmedReservations"
       FROM course WHERE id = $1`,
    [courseId],
  );
  const orders = await stack.orderDb.query(
    `SELECT count(*) FILTER (WHERE status = 'CONFIRMED')::int AS "confirmedOrders",
            count(*) FILTER (WHERE status = 'PENDING')::int AS "pendingOrders"
       FROM orders WHERE course_id = $1`,
    [courseId],
  );
  return { ...course.rows[0], ...orders.rows[0] } as SeatState;
}

/**
 * The seat invariant, checked across both databases: seats sold = CONFIRMED
 * reservations = CONFIRMED orders, seats held = PENDING reservations. Each
 * side is written by a different statement (or service), so these can
 * disagree. That the counters add up to capacity (so seats available follow)
 * and are never negative is the course table's CHECK constraints' job,
 * tested directly in subgraphs/course/test/constraints.test.ts; restated
 * here it could not fail.
 */
export async function expectSeatInvariant(stack: Stack, courseId: string): Promise<SeatState> {
  const state = await seatState(stack, courseId);
  expect({ held: state.held, sold: state.sold, confirmedOrders: state.confirmedOrders }).toEqual({
    held: state.pendingReservations,
    sold: state.confirmedReservations,
    confirmedOrders: state.confirmedReservations,
  });
  return state;
}
