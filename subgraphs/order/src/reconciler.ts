/**
 * Finishes orders left in a non-final state (PENDING, CANCELLING) because a
 * process died between steps or a dependency did not answer: the course
 * subgraph's reservation, the truth about seats, decides (saga.ts,
 * settlePending and settleCancelling). Orders are claimed with FOR UPDATE
 * SKIP LOCKED and leased by their `updated_at`, so several instances can run
 * it; every change is a guarded transition and every course call idempotent,
 * so racing a live request is harmless.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from '@coursegraph/runtime';
import type { CourseClient } from './course-client';
import { claimUnfinished } from './orders';
import { settleCancelling, settlePending } from './settle';
import { orderMetrics } from './metrics';

/**
 * One pass over up to `batchSize` orders untouched for `olderThanSeconds`.
 * Returns how many it claimed. Each order is tried even if another fails;
 * afterwards, throws if any could not be finished (they are tried again on a
 * later pass, once their lease ran out).
 */
export async function reconcileOnce(
  dataSource: DataSource,
  course: CourseClient,
  olderThanSeconds: number,
  batchSize = 50,
  log?: Logger,
): Promise<number> {
  const claimed = await claimUnfinished(dataSource, olderThanSeconds, batchSize);
  const failures: unknown[] = [];
  for (const order of claimed) {
    try {
      const settled =
        order.status === 'PENDING' ? await settlePending({ dataSource, course }, order) : await settleCancelling({ dataSource, course }, order);
      log?.info('order reconciled', { orderId: order.id, from: order.status, to: settled.status });
      orderMetrics(dataSource)?.reconciled(order.status, settled.status);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length) throw new AggregateError(failures, `${failures.length} of ${claimed.length} unfinished orders could not be finished`);
  return claimed.length;
}
