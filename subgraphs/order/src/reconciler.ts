/**
 * Finishes orders whose saga stopped half way (the process died, or neither
 * the saga nor its compensation could reach the course subgraph). For each
 * PENDING order untouched for a while, the reservation decides: a sold seat
 * confirms the order; anything else fails it, cancelling a seat still held.
 * Claimed with FOR UPDATE SKIP LOCKED, so several instances can run it.
 */
import type { DataSource } from 'typeorm';
import { LessThan } from 'typeorm';
import { Order } from './entities/order';
import type { CourseClient } from './course-client';
import { transition } from './orders';

export async function reconcileOnce(dataSource: DataSource, course: CourseClient, olderThanSeconds: number, batchSize = 50): Promise<number> {
  return dataSource.transaction(async (manager) => {
    const stale = await manager.find(Order, {
      where: { status: 'PENDING', updatedAt: LessThan(new Date(Date.now() - olderThanSeconds * 1000)) },
      order: { updatedAt: 'ASC' },
      take: batchSize,
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
    });
    for (const order of stale) {
      let reservation = await course.findReservation(order.id);
      if (reservation?.status === 'PENDING') reservation = (await course.cancelReservation(order.id)).reservation;
      if (reservation?.status === 'CONFIRMED') await transition(manager, order, 'PENDING', 'CONFIRMED');
      else await transition(manager, order, 'PENDING', 'FAILED', 'ABANDONED');
    }
    return stale.length;
  });
}
