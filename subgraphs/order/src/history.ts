/**
 * Orders as callers see them: one by id, a student's, a course's. An order
 * is its student's and the admins'; a course's orders are its instructor's
 * and the admins'. Anyone else gets FORBIDDEN (UNAUTHENTICATED when signed out).
 */
import type { DataSource } from 'typeorm';
import { badInput, checkId, checkPageSize, decodeCursor, requireSelfOrAdmin, toConnection, type Viewer } from '@coursegraph/runtime';
import { Order } from './entities/order';
import { findOrder } from './orders';

const NOT_YOURS = 'Only the student who placed an order, or an admin, can see it.';

export interface OrderFilter {
  studentId?: string;
  courseId?: string;
}

/** Orders newest first, as a cursor connection. */
async function listOrders(dataSource: DataSource, filter: OrderFilter, first: number, after: string | null | undefined) {
  checkPageSize(first);
  const query = dataSource
    .getRepository(Order)
    .createQueryBuilder('o')
    .orderBy('o.createdAt', 'DESC')
    .addOrderBy('o.id', 'DESC')
    .take(first + 1);
  if (filter.studentId) query.andWhere('o.studentId = :studentId', { studentId: filter.studentId });
  if (filter.courseId) query.andWhere('o.courseId = :courseId', { courseId: filter.courseId });
  if (after) query.andWhere('(o.createdAt, o.id) < (:createdAt, :id)', decodeCursor(after));
  return toConnection(await query.getMany(), first);
}

/** An order for its student and admins; FORBIDDEN for anyone else; null stays null. */
export function ownOrder(order: Order | null, viewer: Viewer | null): Order | null {
  if (order) requireSelfOrAdmin(viewer, order.studentId, NOT_YOURS);
  return order;
}

/** order(id): the order, or null if there is none. Throws BAD_USER_INPUT for a malformed id. */
export async function findOwnOrder(dataSource: DataSource, viewer: Viewer, id: string): Promise<Order | null> {
  if (checkId(id, 'id')) throw badInput('`id` is not a valid order id.');
  return ownOrder(await findOrder(dataSource, id), viewer);
}

/** User.orders: a student's orders, newest first. */
export function listStudentOrders(dataSource: DataSource, viewer: Viewer | null, studentId: string, first: number, after: string | null | undefined) {
  requireSelfOrAdmin(viewer, studentId, 'Only the student and admins can see their orders.');
  return listOrders(dataSource, { studentId }, first, after);
}

/** Course.orders: a course's orders, newest first. */
export function listCourseOrders(
  dataSource: DataSource,
  viewer: Viewer | null,
  course: { id: string; instructorId?: string },
  first: number,
  after: string | null | undefined,
) {
  requireSelfOrAdmin(viewer, course.instructorId, 'Only the course instructor or an admin can see its orders.');
  return listOrders(dataSource, { courseId: course.id }, first, after);
}
