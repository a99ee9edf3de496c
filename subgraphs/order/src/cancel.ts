/** cancelOrder: a student (or an admin) gives a confirmed purchase back (saga.ts, rules). */
import { checkId, requireSelfOrAdmin, userError, type Viewer } from '@coursegraph/runtime';
import { answer, payload, type OrderPayload } from './answers';
import { planBudget } from './budget';
import { findOrder, transition } from './orders';
import type { SagaDeps } from './saga';
import { answerOrPending, settleCancelling } from './settle';

/**
 * Records CONFIRMED -> CANCELLING before the course subgraph is asked to give
 * the seat back, so a cancellation once accepted always completes.
 * Cancelling a CANCELLING order finishes it; a CANCELLED one is returned as
 * it is. `viewer` is signed in (the resolver checked); only the order's
 * student or an admin may cancel it (FORBIDDEN otherwise). Throws
 * SERVICE_UNAVAILABLE (through formatError) when the intent cannot be
 * recorded, in which case nothing changed.
 */
export async function cancelOrder(deps: SagaDeps, viewer: Viewer, orderId: string, callerDeadline: number | null = null): Promise<OrderPayload> {
  const invalid = checkId(orderId, 'input.orderId');
  if (invalid) return payload(null, [invalid]);
  const order = await findOrder(deps.dataSource, orderId);
  if (!order) return payload(null, [userError('NOT_FOUND', 'No such order.', 'input.orderId')]);
  requireSelfOrAdmin(viewer, order.studentId, 'Only the student who placed an order, or an admin, can cancel it.');
  if (order.status === 'CANCELLED') return payload(order);
  const cancellable = order.status === 'CONFIRMED' || (order.status === 'CANCELLING' && order.failureReason === null);
  if (!cancellable) {
    return payload(order, [userError('ILLEGAL_TRANSITION', `A ${order.status.toLowerCase()} order cannot be cancelled.`, 'input.orderId')]);
  }
  const marked = order.status === 'CONFIRMED' ? await transition(deps.dataSource.manager, order, 'CONFIRMED', 'CANCELLING') : order;
  if (marked.status !== 'CANCELLING') return answer(marked);
  const { end } = planBudget(deps, callerDeadline);
  return answerOrPending(deps.log, marked, () => settleCancelling(deps, marked, end));
}
