/**
 * The order saga: record the order (PENDING) -> sell the seat (the course
 * subgraph's purchaseSeat: one call, one locked statement, one commit) ->
 * order CONFIRMED (placeOrder, here); and cancelling: CONFIRMED ->
 * CANCELLING -> give the seat back -> CANCELLED (cancel.ts). What a client is
 * told is in answers.ts; finishing an order that stopped half-way, in
 * settle.ts. The rules below hold for all of them.
 *
 * Rules (DESIGN.md, "The order saga"; issue 9):
 * - Every step that changes the course database is preceded by a committed
 *   record of the intent in the order database: PENDING before a seat is
 *   sold, CANCELLING before one is given back (a purchase
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
import { checkId, inSpan, serviceUnavailable, userError, type Logger, type Viewer } from '@coursegraph/runtime';
import { checkMoney, type Money } from '@coursegraph/domain';
import type { UserError } from './__generated__/resolvers-types';
import type { DataSource } from 'typeorm';
import { answer, FINAL, orderPending, passedOn, payload, type OrderPayload } from './answers';
import { planBudget, type Budget, type BudgetLimits } from './budget';
import type { Order } from './entities/order';
import type { CourseClient, ReservationResult } from './course-client';
import { findActive, findByKey, findOrder, insertPendingOrder, removePendingOrder, transition } from './orders';
import { answerOrPending, keyOf, settleCancelling } from './settle';
import { orderMetrics } from './metrics';

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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function checkPlaceOrder(input: PlaceOrderInput): UserError | null {
  return (
    checkId(input.courseId, 'input.courseId') ??
    checkMoney(input.expectedPrice, 'input.expectedPrice') ??
    (IDEMPOTENCY_KEY.test(input.idempotencyKey)
      ? null
      : userError('VALIDATION', 'The idempotency key must be 8 to 100 printable characters without spaces.', 'input.idempotencyKey'))
  );
}

/**
 * placeOrder for `student` (the resolver checked the role). Throws only
 * SERVICE_UNAVAILABLE (through formatError) when the order database cannot
 * record the order, in which case nothing was done.
 */
export async function placeOrder(
  deps: SagaDeps,
  student: Viewer,
  input: PlaceOrderInput,
  callerDeadline: number | null = null,
): Promise<OrderPayload> {
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
    order.courseId === input.courseId && order.priceAmount === input.expectedPrice.amount && order.priceCurrency === input.expectedPrice.currency;
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
  let sold: ReservationResult;
  try {
    sold = await inSpan('order.saga purchase', { 'order.id': order.id }, () =>
      deps.course.purchaseSeat(
        {
          courseId: order.courseId,
          expectedPrice: { amount: order.priceAmount, currency: order.priceCurrency },
          key: order.id,
          holderId: order.studentId,
        },
        budget.forwardEnd,
      ),
    );
  } catch (error) {
    return compensate(deps, order, budget, error);
  }
  const refused = sold.userErrors[0];
  if (!sold.reservation && refused) {
    // Refused outright (sold out, price changed, not on sale, no such course): no seat was
    // taken, so no order was placed either; the request changes nothing. If the row cannot be
    // removed now, the reconciler finds no reservation and fails it.
    await removePendingOrder(deps.dataSource, order).then(
      () => orderMetrics(deps.dataSource)?.refused(passedOn(refused).code),
      (error: unknown) => deps.log.warn('refused order not removed, left to the reconciler', { orderId: order.id, error }),
    );
    return payload(null, sold.userErrors.map(passedOn));
  }
  if (sold.reservation?.status !== 'CONFIRMED') {
    // Neither a sold seat nor a refusal without one: not an answer purchaseSeat gives. Give whatever it holds back.
    // (A sold seat is a sale, even with a userError beside it: the seat must never outlive its order.)
    return compensate(deps, order, budget, new Error(`unexpected purchase answer: ${JSON.stringify(sold)}`));
  }
  try {
    const recorded = await transition(deps.dataSource.manager, order, 'PENDING', 'CONFIRMED');
    if (recorded.status === 'FAILED') await releaseGivenUp(deps, recorded, budget.end);
    return answer(recorded);
  } catch (error) {
    // The seat is sold in the course subgraph; only the order row is behind. The reconciler records it.
    deps.log.warn('order outcome not recorded, left to the reconciler', { orderId: order.id, error });
    return payload(order, [orderPending()]);
  }
}

/**
 * The reconciler gave the order up (FAILED, ABANDONED) while this request was
 * still at work, so a seat this request bought may be sold under a final
 * order: give it back (idempotent). If that fails, the
 * audit (audit.ts) releases it; the order stays FAILED either way.
 */
async function releaseGivenUp(deps: SagaDeps, order: Order, end: number): Promise<void> {
  await deps.course
    .cancelReservation(keyOf(order), end)
    .catch((error: unknown) => deps.log.error('seat of a given-up order not released; the audit will release it', { orderId: order.id, error }));
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
  return answerOrPending(deps.log, marked, () => settleCancelling(deps, marked, budget.end));
}
