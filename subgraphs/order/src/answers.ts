/**
 * What placeOrder and cancelOrder tell a client: final states as they are,
 * anything else ORDER_PENDING, a FAILED order with the public reason of its
 * failure (saga.ts, "An answer never claims an outcome that is not known"),
 * and which of the course's refusals placeOrder passes on.
 */
import { userError } from '@coursegraph/runtime';
import type { UserError, UserErrorCode } from './__generated__/resolvers-types';
import type { ReservationResult } from './course-client';
import type { FailureReason, Order, OrderStatus } from './entities/order';

export interface OrderPayload {
  order: Order | null;
  userErrors: UserError[];
}

export const payload = (order: Order | null, userErrors: UserError[] = []): OrderPayload => ({ order, userErrors });

export const FINAL: ReadonlySet<OrderStatus> = new Set(['CONFIRMED', 'FAILED', 'CANCELLED']);

export const unavailable = () => userError('UNAVAILABLE', 'The seat service could not complete the order. Nothing was charged; please try again.');

export const orderPending = () =>
  userError('ORDER_PENDING', 'The outcome is not known yet. Retry with the same idempotency key (or cancel again) to get the final outcome.');

/** The user error a failed order reports. */
function failureError(reason: FailureReason | null): UserError {
  return reason === 'RESERVATION_EXPIRED'
    ? userError('RESERVATION_EXPIRED', 'The seat hold expired before the order was confirmed.', 'input.courseId')
    : unavailable();
}

/** What a client is told about an order as it stands: final states as they are, the others ORDER_PENDING. */
export function answer(order: Order): OrderPayload {
  if (!FINAL.has(order.status)) return payload(order, [orderPending()]);
  return payload(order, order.status === 'FAILED' ? [failureError(order.failureReason)] : []);
}

/**
 * The course's refusals of a seat (`refusal` in the course subgraph's
 * seats.ts) that placeOrder answers as they are: each is about the course or
 * the price the buyer saw, fields placeOrder's input has too. Any other
 * refusal (a VALIDATION of the reservation's own key or holder, a reused
 * reservation key, a code this schema does not list) is about the internal
 * call, not the buyer's input: UNAVAILABLE, as no seat was taken.
 */
const REFUSALS: ReadonlySet<string> = new Set(['NOT_FOUND', 'COURSE_NOT_PUBLISHED', 'SOLD_OUT', 'PRICE_CHANGED'] satisfies UserErrorCode[]);
const isRefusal = (code: string): code is UserErrorCode => REFUSALS.has(code);

/** A refusal of purchaseSeat as placeOrder's own answer. */
export function passedOn(refusal: ReservationResult['userErrors'][number]): UserError {
  const { code } = refusal;
  return isRefusal(code) ? { ...refusal, code } : unavailable();
}
