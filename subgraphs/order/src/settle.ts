/**
 * Finishing an order whose saga stopped between steps, from the
 * reservation's real state in the course subgraph: used by the reconciler
 * (reconciler.ts) for every order left PENDING or CANCELLING, and by the saga
 * and cancelOrder to finish a CANCELLING order themselves (saga.ts, rules).
 */
import { inSpan, type Logger } from '@coursegraph/runtime';
import type { DataSource } from 'typeorm';
import { answer, orderPending, payload, type OrderPayload } from './answers';
import type { CourseClient } from './course-client';
import type { Order } from './entities/order';
import { transition } from './orders';

/**
 * What a cancel of `order`'s seat sends: its reservation key (the order id)
 * with the course and the student, so that a key not used yet is cancelled
 * before it is used and a purchase still on its way takes no seat.
 */
export const keyOf = (order: Order) => ({ key: order.id, courseId: order.courseId, holderId: order.studentId });

export interface SettleDeps {
  dataSource: DataSource;
  course: CourseClient;
}

/**
 * Finishes a CANCELLING order: gives the seat back (idempotent), then moves
 * the order to FAILED (a purchase given up, `failureReason` set) or CANCELLED.
 * Returns the order as it then stands; throws when the course subgraph or the
 * database could not be reached by `deadline` (the order stays CANCELLING).
 */
export async function settleCancelling(deps: SettleDeps, order: Order, deadline?: number): Promise<Order> {
  const cancelled = await inSpan('order.saga cancel', { 'order.id': order.id }, () => deps.course.cancelReservation(keyOf(order), deadline));
  const status = cancelled.reservation?.status ?? null;
  const released = status === 'CANCELLED' || status === 'EXPIRED' || (status === null && cancelled.userErrors[0]?.code === 'NOT_FOUND');
  if (!released) throw new Error(`reservation ${order.id} not released: ${JSON.stringify(cancelled)}`);
  return transition(deps.dataSource.manager, order, 'CANCELLING', order.failureReason ? 'FAILED' : 'CANCELLED', order.failureReason);
}

/**
 * Finishes a PENDING order whose saga stopped (the process died, or it could
 * not reach anything): the reservation decides. A sold seat confirms the
 * order; a held seat is given back through CANCELLING (failure ABANDONED);
 * no held or sold seat fails it. Returns the order as it then stands; throws
 * when a dependency could not be reached.
 */
export async function settlePending(deps: SettleDeps, order: Order, deadline?: number): Promise<Order> {
  const reservation = await deps.course.findReservation(order.id, deadline);
  const { manager } = deps.dataSource;
  if (reservation?.status === 'CONFIRMED') return transition(manager, order, 'PENDING', 'CONFIRMED');
  if (reservation?.status === 'PENDING') {
    const marked = await transition(manager, order, 'PENDING', 'CANCELLING', 'ABANDONED');
    return marked.status === 'CANCELLING' ? settleCancelling(deps, marked, deadline) : marked;
  }
  // No seat held or sold (none reserved, or given back, or expired: both final for a reservation).
  return transition(manager, order, 'PENDING', 'FAILED', 'ABANDONED');
}

/** Runs `settle`; when it cannot finish (a dependency failed), the order as it stands with ORDER_PENDING. */
export async function answerOrPending(log: Logger, order: Order, settle: () => Promise<Order>): Promise<OrderPayload> {
  try {
    return answer(await settle());
  } catch (error) {
    log.warn('order not finished, left to the reconciler', { orderId: order.id, status: order.status, error });
    return payload(order, [orderPending()]);
  }
}
