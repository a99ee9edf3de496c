/**
 * What placeOrder and cancelOrder tell a client: final states as they are,
 * anything else ORDER_PENDING, and a FAILED order with the public reason of
 * its failure (saga.ts, "An answer never claims an outcome that is not known").
 */
import { userError } from '@coursegraph/runtime';
import type { UserError } from './__generated__/resolvers-types';
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
