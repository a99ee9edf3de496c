/**
 * Returns the seats of reservations nobody confirmed in time. Overdue
 * PENDING reservations are claimed in batches with FOR UPDATE SKIP LOCKED,
 * so any number of course-subgraph instances can sweep at once without
 * releasing a seat twice or waiting on each other.
 */
import { LessThanOrEqual, type DataSource } from 'typeorm';
import { Reservation } from './entities/reservation';
import { moveSeats } from './counters';

/** Expires one batch of overdue reservations; returns how many it expired. */
export async function sweepOnce(dataSource: DataSource, batchSize: number): Promise<number> {
  return dataSource.transaction(async (manager) => {
    const overdue = await manager.find(Reservation, {
      select: { id: true, courseId: true },
      where: { status: 'PENDING', expiresAt: LessThanOrEqual(new Date()) },
      order: { expiresAt: 'ASC' },
      take: batchSize,
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
    });
    if (overdue.length === 0) return 0;
    await manager.update(
      Reservation,
      overdue.map(({ id }) => id),
      { status: 'EXPIRED', updatedAt: new Date() },
    );
    const perCourse = new Map<string, number>();
    for (const { courseId } of overdue) perCourse.set(courseId, (perCourse.get(courseId) ?? 0) + 1);
    // Courses in id order, so two sweepers never lock the same rows in opposite orders.
    for (const courseId of [...perCourse.keys()].sort()) {
      const count = perCourse.get(courseId)!;
      await moveSeats(manager, courseId, { held: -count, available: +count }, 'EXPIRED');
    }
    return overdue.length;
  });
}

/** Sweeps until no full batch is left. */
export async function sweepAll(dataSource: DataSource, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await sweepOnce(dataSource, batchSize);
    total += expired;
    if (expired < batchSize) return total;
  }
}
