/**
 * The order saga: record the order (PENDING) -> reserve the seat -> confirm
 * it -> order CONFIRMED; and cancelling: CONFIRMED -> CANCELLING -> give the
 * seat back -> CANCELLED.
 *
 * Rules (DESIGN.md, "The order saga"; issue 9):
 * - Every step that changes the course database is preceded by a committed
 *   record of the intent in the order database: PENDING before a seat is
 *   reserved or confirmed, CANCELLING before one is given back (a purchase
 *   that could not complete keeps its `failureReason` and ends FAILED; a
 *   student's cancellation ends CANCELLED). Whatever dies between steps,
 *   the reconciler finishes every PENDING and CANCELLING order from the
 *   reservation's real state in the course subgraph.
 * - An answer never claims an outcome that is not known. UNAVAILABLE ("nothing
 *   was charged") only comes with a FAILED order whose seat is certainly back;
 *   when the outcome is open the answer is ORDER_PENDING with the order as it
 *   stands (PENDING or CANCELLING), and the same idempotency key (or another
 *   cancelOrder) returns the final outcome.
 * - Time nests: the saga's steps end before the caller's budget (the
 *   x-coursegraph-budget-ms the gateway sent, less a margin for answering),
 *   forward steps leave time for compensation, and a repeated request waits
 *   for the first at most until the same end (budget.ts).
 */
import {
  checkId,
  checkMoney,
  requireRole,
  requireSelfOrAdmin,
  requireSignedIn,
  serviceUnavailable,
  userError,
  type Logger,
  type Money,
  type UserError,
  type Viewer,
} from '@coursegraph/runtime';
import type { DataSource } from 'typeorm';
import { planBudget, type Budget, type BudgetLimits } from './budget';
import type { FailureReason, Order, OrderStatus } from './entities/order';
import type { CourseClient, ReservationResult } from './course-client';
import { findActive, findByKey, findOrder, insertPendingOrder, removePendingOrder, transition } from './orders';

export interface OrderPayload {
  order: Order | null;
  userErrors: UserError[];
}

export interface SagaDeps extends BudgetLimits {
  dataSource: DataSource;
  course: CourseClient;
  log: Logger;
}

export interface PlaceOrderInput {
  courseId: string;
  expectedPrice: Money;
  idempotencyKey: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,100}$/;
const unavailable = () => userError('UNAVAILABLE', 'The seat service could not complete the order. Nothing was charged; please try again.');
const orderPending = () =>
  userError(
    'ORDER_PENDING',
    'The outcome is not known yet. Retry with the same idempotency key (or cancel again) to get the final outcome.',
  );
const payload = (order: Order | null, userErrors: UserError[] = []): OrderPayload => ({ order, userErrors });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FINAL: ReadonlySet<OrderStatus> = new Set(['CONFIRMED', 'FAILED', 'CANCELLED']);

const requireStudent = (viewer: Viewer | null) => requireRole(viewer, ['STUDENT'], 'Only students can place orders.');

function checkPlaceOrder(input: PlaceOrderInput): UserError | null {
  return (
    checkId(input.courseId, 'input.courseId') ??
    checkMoney(input.expectedPrice, 'input.expectedPrice') ??
    (IDEMPOTENCY_KEY.test(input.idempotencyKey)
      ? null
      : userError('VALIDATION', 'The idempotency key must be 8 to 100 printable characters without spaces.', 'input.idempotencyKey'))
  );
}

/** The user error a failed order reports. */
function failureError(reason: FailureReason | null): UserError {
  return reason === 'RESERVATION_EXPIRED'
    ? userError('RESERVATION_EXPIRED', 'The seat hold expired before the order was confirmed.', 'input.courseId')
    : unavailable();
}

/** What a client is told about an order as it stands: final states as they are, the others ORDER_PENDING. */
function answer(order: Order): OrderPayload {
  if (!FINAL.has(order.status)) return payload(order, [orderPending()]);
  return payload(order, order.status === 'FAILED' ? [failureError(order.failureReason)] : []);
}

/**
 * placeOrder. Throws only GraphQL errors: UNAUTHENTICATED/FORBIDDEN, and
 * SERVICE_UNAVAILABLE (through formatError) when the order database cannot
 * record the order, in which case nothing was done.
 */
export async function placeOrder(
  deps: SagaDeps,
  viewer: Viewer | null,
  input: PlaceOrderInput,
  callerDeadline: number | null = null,
): Promise<OrderPayload> {
  const student = requireStudent(viewer);
  const invalid = checkPlaceOrder(input);
  if (invalid) return payload(null, [invalid]);
  const budget = planBudget(deps, callerDeadline);
  const newOrder = {
    courseId: input.courseId,
    studentId: student.userId,
    idempotencyKey: input.idempotencyKey,
    priceAmount: input.expectedPrice.amount,
    priceCurrency: input.expectedPrice.currency,
  };
  for (let tries = 0; tries < 3; tries++) {
    const order = await insertPendingOrder(deps.dataSource, newOrder);
    if (order) return runSaga(deps, order, budget);
    const earlier = await findByKey(deps.dataSource, student.userId, input.idempotencyKey);
    const replayed = earlier && (await replay(deps, earlier, input, budget.end));
    if (replayed) return replayed;
    if (!earlier && (await findActive(deps.dataSource, student.userId, input.courseId))) break;
    // The order that blocked the insert was refused and removed, or failed, in the meantime: try again.
  }
  return payload(null, [userError('ALREADY_ENROLLED', 'You already have an order for this course.', 'input.courseId')]);
}

/**
 * A repeated request: the same order, once it is final, or ORDER_PENDING
 * when it is not final by `end` (the request's budget); null when that
 * request's order was refused and removed.
 */
async function replay(deps: SagaDeps, order: Order, input: PlaceOrderInput, end: number): Promise<OrderPayload | null> {
  const same =
    order.courseId === input.courseId &&
    order.priceAmount === input.expectedPrice.amount &&
    order.priceCurrency === input.expectedPrice.currency;
  if (!same) {
    return payload(null, [
      userError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different order.', 'input.idempotencyKey'),
    ]);
  }
  let current: Order | null = order;
  while (current && !FINAL.has(current.status) && Date.now() + 50 < end) {
    await sleep(50);
    current = await findOrder(deps.dataSource, order.id);
  }
  return current && answer(current);
}

async function runSaga(deps: SagaDeps, order: Order, budget: Budget): Promise<OrderPayload> {
  if (Date.now() >= budget.forwardEnd) {
    // Recording the order used up the caller's budget (a slow or locked database): nothing was
    // sent to the course subgraph, so take the order back and let a retry start afresh.
    await removePendingOrder(deps.dataSource, order);
    throw serviceUnavailable('The order could not be recorded in time; nothing was done. Retry with the same idempotency key.');
  }
  let reserved: ReservationResult;
  try {
    reserved = await deps.course.reserveSeat(
      {
        courseId: order.courseId,
        expectedPrice: { amount: order.priceAmount, currency: order.priceCurrency },
        key: order.id,
        holderId: order.studentId,
      },
      budget.forwardEnd,
    );
  } catch (error) {
    return compensate(deps, order, budget, error);
  }
  if (reserved.userErrors[0]) {
    // Refused outright (sold out, price changed, not on sale, no such course): no seat was
    // taken, so no order was placed either; the request changes nothing. If the row cannot be
    // removed now, the reconciler finds no reservation and fails it.
    await removePendingOrder(deps.dataSource, order).catch((error: unknown) =>
      deps.log.warn('refused order not removed, left to the reconciler', { orderId: order.id, error }),
    );
    return payload(null, reserved.userErrors);
  }
  let confirmed: ReservationResult;
  try {
    confirmed = await deps.course.confirmReservation(order.id, budget.forwardEnd);
  } catch (error) {
    return compensate(deps, order, budget, error);
  }
  const confirmedStatus = confirmed.reservation?.status ?? null;
  const refused = confirmed.userErrors[0];
  if (confirmedStatus !== 'CONFIRMED' && (!refused || confirmedStatus === 'PENDING')) {
    // Neither a sold seat nor a refusal with no seat held: not an answer the course gives. Give the seat back.
    return compensate(deps, order, budget, new Error(`unexpected confirm answer: ${JSON.stringify(confirmed)}`));
  }
  try {
    if (confirmedStatus !== 'CONFIRMED') {
      // Refused: the hold expired or was given back, so no seat is held. The answer is the order's, as a
      // repeat with the same key gets it: placeOrder's own codes and failure reasons, never the course's
      // internal ones (ILLEGAL_TRANSITION, NOT_FOUND, fields of the reservation API).
      const reason: FailureReason = refused!.code === 'RESERVATION_EXPIRED' ? 'RESERVATION_EXPIRED' : 'UNAVAILABLE';
      return answer(await transition(deps.dataSource.manager, order, 'PENDING', 'FAILED', reason));
    }
    const recorded = await transition(deps.dataSource.manager, order, 'PENDING', 'CONFIRMED');
    if (recorded.status === 'FAILED') await releaseGivenUp(deps, recorded, budget.end);
    return answer(recorded);
  } catch (error) {
    // The seat's fate is settled in the course subgraph; only the order row is behind. The reconciler records it.
    deps.log.warn('order outcome not recorded, left to the reconciler', { orderId: order.id, error });
    return payload(order, [orderPending()]);
  }
}

/**
 * The reconciler gave the order up (FAILED, ABANDONED) while this request was
 * still at work, so a seat this request reserved or confirmed may be held or
 * sold under a final order: give it back (idempotent). If that fails, the
 * audit (audit.ts) releases it; the order stays FAILED either way.
 */
async function releaseGivenUp(deps: SagaDeps, order: Order, end: number): Promise<void> {
  await deps.course.cancelReservation(order.id, end).catch((error: unknown) =>
    deps.log.error('seat of a given-up order not released; the audit will release it', { orderId: order.id, error }),
  );
}

/**
 * A forward step failed or its outcome is unknown: record the intent to give
 * the seat back (PENDING -> CANCELLING, failure UNAVAILABLE), then give it
 * back. Unless all of that is done, the answer is ORDER_PENDING.
 */
async function compensate(deps: SagaDeps, order: Order, budget: Budget, cause: unknown): Promise<OrderPayload> {
  deps.log.warn('order saga failed, giving the seat back', { orderId: order.id, error: cause });
  let marked: Order;
  try {
    marked = await transition(deps.dataSource.manager, order, 'PENDING', 'CANCELLING', 'UNAVAILABLE');
  } catch (error) {
    deps.log.warn('intent to give the seat back not recorded, left to the reconciler', { orderId: order.id, error });
    return payload(order, [orderPending()]);
  }
  if (marked.status === 'FAILED') await releaseGivenUp(deps, marked, budget.end);
  if (marked.status !== 'CANCELLING') return answer(marked);
  return answerOrPending(deps, marked, () => settleCancelling(deps, marked, budget.end));
}

/** Runs `settle`; when it cannot finish (a dependency failed), the order as it stands with ORDER_PENDING. */
async function answerOrPending(deps: SagaDeps, order: Order, settle: () => Promise<Order>): Promise<OrderPayload> {
  try {
    return answer(await settle());
  } catch (error) {
    deps.log.warn('order not finished, left to the reconciler', { orderId: order.id, status: order.status, error });
    return payload(order, [orderPending()]);
  }
}

/**
 * Finishes a CANCELLING order: gives the seat back (idempotent), then moves
 * the order to FAILED (a purchase given up, `failureReason` set) or CANCELLED.
 * Returns the order as it then stands; throws when the course subgraph or the
 * database could not be reached by `deadline` (the order stays CANCELLING).
 */
export async function settleCancelling(deps: Pick<SagaDeps, 'dataSource' | 'course'>, order: Order, deadline?: number): Promise<Order> {
  const cancelled = await deps.course.cancelReservation(order.id, deadline);
  const status = cancelled.reservation?.status ?? null;
  const released =
    status === 'CANCELLED' || status === 'EXPIRED' || (status === null && cancelled.userErrors[0]?.code === 'NOT_FOUND');
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
export async function settlePending(deps: Pick<SagaDeps, 'dataSource' | 'course'>, order: Order, deadline?: number): Promise<Order> {
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

/**
 * cancelOrder. Records CONFIRMED -> CANCELLING before the course subgraph is
 * asked to give the seat back, so a cancellation once accepted always
 * completes. Cancelling a CANCELLING order finishes it; a CANCELLED one is
 * returned as it is. Throws SERVICE_UNAVAILABLE (through formatError) when
 * the intent cannot be recorded, in which case nothing changed.
 */
export async function cancelOrder(
  deps: SagaDeps,
  viewer: Viewer | null,
  orderId: string,
  callerDeadline: number | null = null,
): Promise<OrderPayload> {
  const signedIn = requireSignedIn(viewer);
  const invalid = checkId(orderId, 'input.orderId');
  if (invalid) return payload(null, [invalid]);
  const order = await findOrder(deps.dataSource, orderId);
  if (!order) return payload(null, [userError('NOT_FOUND', 'No such order.', 'input.orderId')]);
  requireSelfOrAdmin(signedIn, order.studentId, 'Only the student who placed an order, or an admin, can cancel it.');
  if (order.status === 'CANCELLED') return payload(order);
  const cancellable = order.status === 'CONFIRMED' || (order.status === 'CANCELLING' && order.failureReason === null);
  if (!cancellable) {
    return payload(order, [userError('ILLEGAL_TRANSITION', `A ${order.status.toLowerCase()} order cannot be cancelled.`, 'input.orderId')]);
  }
  const marked = order.status === 'CONFIRMED' ? await transition(deps.dataSource.manager, order, 'CONFIRMED', 'CANCELLING') : order;
  if (marked.status !== 'CANCELLING') return answer(marked);
  const { end } = planBudget(deps, callerDeadline);
  return answerOrPending(deps, marked, () => settleCancelling(deps, marked, end));
}
