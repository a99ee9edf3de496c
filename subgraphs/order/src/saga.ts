/**
 * The order saga: record the order (PENDING) -> reserve the seat -> confirm
 * it -> order CONFIRMED. The order is committed before any seat is touched
 * and its id is the reservation key, so every step can be repeated safely
 * and nothing is lost when a process dies between steps: a PENDING
 * reservation expires on its own and the reconciler finishes the order.
 * A failure after the reservation compensates by cancelling it.
 */
import {
  checkId,
  checkMoney,
  forbidden,
  unauthenticated,
  userError,
  type Logger,
  type Money,
  type UserError,
  type Viewer,
} from '@coursegraph/runtime';
import type { DataSource } from 'typeorm';
import type { Order } from './entities/order';
import { CourseUnavailableError, type CourseClient } from './course-client';
import { findActive, findByKey, findOrder, insertPendingOrder, removePendingOrder, transition } from './orders';

export interface OrderPayload {
  order: Order | null;
  userErrors: UserError[];
}

export interface SagaDeps {
  dataSource: DataSource;
  course: CourseClient;
  log: Logger;
  /** How long a repeated request waits for the first one to finish. */
  replayWaitMs: number;
}

export interface PlaceOrderInput {
  courseId: string;
  expectedPrice: Money;
  idempotencyKey: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,100}$/;
const unavailable = () => userError('UNAVAILABLE', 'The seat service could not complete the order. Nothing was charged; please try again.');
const result = (order: Order | null, errors: UserError[] = []): OrderPayload => ({ order, userErrors: errors });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function requireStudent(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated();
  if (!viewer.roles.includes('STUDENT')) throw forbidden('Only students can place orders.');
  return viewer;
}

function checkPlaceOrder(input: PlaceOrderInput): UserError | null {
  return (
    checkId(input.courseId, 'input.courseId') ??
    checkMoney(input.expectedPrice, 'input.expectedPrice') ??
    (IDEMPOTENCY_KEY.test(input.idempotencyKey)
      ? null
      : userError('VALIDATION', 'The idempotency key must be 8 to 100 printable characters without spaces.', 'input.idempotencyKey'))
  );
}

export async function placeOrder(deps: SagaDeps, viewer: Viewer | null, input: PlaceOrderInput): Promise<OrderPayload> {
  const student = requireStudent(viewer);
  const invalid = checkPlaceOrder(input);
  if (invalid) return result(null, [invalid]);
  const newOrder = {
    courseId: input.courseId,
    studentId: student.userId,
    idempotencyKey: input.idempotencyKey,
    priceAmount: input.expectedPrice.amount,
    priceCurrency: input.expectedPrice.currency,
  };
  for (let tries = 0; tries < 3; tries++) {
    const order = await insertPendingOrder(deps.dataSource, newOrder);
    if (order) return runSaga(deps, order);
    const earlier = await findByKey(deps.dataSource, student.userId, input.idempotencyKey);
    const replayed = earlier && (await replay(deps, earlier, input));
    if (replayed) return replayed;
    if (!earlier && (await findActive(deps.dataSource, student.userId, input.courseId))) break;
    // The order that blocked the insert was refused and removed, or failed, in the meantime: try again.
  }
  return result(null, [userError('ALREADY_ENROLLED', 'You already have an order for this course.', 'input.courseId')]);
}

/**
 * A repeated request: the same order, once the request that created it has
 * finished; null when that request's order was refused and removed.
 */
async function replay(deps: SagaDeps, order: Order, input: PlaceOrderInput): Promise<OrderPayload | null> {
  const same =
    order.courseId === input.courseId &&
    order.priceAmount === input.expectedPrice.amount &&
    order.priceCurrency === input.expectedPrice.currency;
  if (!same) {
    return result(null, [
      userError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different order.', 'input.idempotencyKey'),
    ]);
  }
  const deadline = Date.now() + deps.replayWaitMs;
  let current: Order | null = order;
  while (current?.status === 'PENDING' && Date.now() < deadline) {
    await sleep(25);
    current = await findOrder(deps.dataSource, order.id);
  }
  return current && result(current, current.failureReason ? [failureError(current.failureReason)] : []);
}

/** The user error a failed order reports when it is asked again. */
function failureError(reason: string): UserError {
  return reason === 'RESERVATION_EXPIRED'
    ? userError('RESERVATION_EXPIRED', 'The seat hold expired before the order was confirmed.', 'input.courseId')
    : unavailable();
}

async function fail(deps: SagaDeps, order: Order, error: UserError): Promise<OrderPayload> {
  return result(await transition(deps.dataSource.manager, order, 'PENDING', 'FAILED', error.code), [error]);
}

async function runSaga(deps: SagaDeps, order: Order): Promise<OrderPayload> {
  try {
    const reserved = await deps.course.reserveSeat({
      courseId: order.courseId,
      expectedPrice: { amount: order.priceAmount, currency: order.priceCurrency },
      key: order.id,
      holderId: order.studentId,
    });
    if (reserved.userErrors[0]) {
      // Refused outright (sold out, price changed, not on sale, no such course): no seat was
      // taken, so no order was placed either; the request changes nothing.
      await removePendingOrder(deps.dataSource, order);
      return result(null, reserved.userErrors);
    }
    const confirmed = await deps.course.confirmReservation(order.id);
    if (confirmed.userErrors[0]) return fail(deps, order, confirmed.userErrors[0]);
    return result(await transition(deps.dataSource.manager, order, 'PENDING', 'CONFIRMED'));
  } catch (error) {
    deps.log.warn('order saga failed, compensating', { orderId: order.id, error });
    return compensate(deps, order);
  }
}

/**
 * Gives back whatever seat the order may hold. If even that cannot reach the
 * course subgraph, the order stays PENDING for the reconciler (a PENDING
 * reservation also expires by itself).
 */
async function compensate(deps: SagaDeps, order: Order): Promise<OrderPayload> {
  try {
    await deps.course.cancelReservation(order.id);
  } catch (error) {
    deps.log.error('compensation failed, leaving order to the reconciler', { orderId: order.id, error });
    return result(order, [unavailable()]);
  }
  return fail(deps, order, unavailable());
}

export async function cancelOrder(deps: SagaDeps, viewer: Viewer | null, orderId: string): Promise<OrderPayload> {
  if (!viewer) throw unauthenticated();
  const invalid = checkId(orderId, 'input.orderId');
  if (invalid) return result(null, [invalid]);
  const order = await findOrder(deps.dataSource, orderId);
  if (!order) return result(null, [userError('NOT_FOUND', 'No such order.', 'input.orderId')]);
  if (order.studentId !== viewer.userId && !viewer.roles.includes('ADMIN')) {
    throw forbidden('Only the student who placed an order, or an admin, can cancel it.');
  }
  if (order.status === 'CANCELLED') return result(order);
  if (order.status !== 'CONFIRMED') {
    return result(order, [userError('ILLEGAL_TRANSITION', `A ${order.status.toLowerCase()} order cannot be cancelled.`, 'input.orderId')]);
  }
  try {
    const cancelled = await deps.course.cancelReservation(order.id);
    if (cancelled.reservation?.status !== 'CANCELLED') {
      deps.log.error('reservation of a confirmed order could not be cancelled', { orderId, cancelled });
      return result(order, [unavailable()]);
    }
  } catch (error) {
    if (!(error instanceof CourseUnavailableError)) throw error;
    return result(order, [unavailable()]);
  }
  return result(await transition(deps.dataSource.manager, order, 'CONFIRMED', 'CANCELLED'));
}
