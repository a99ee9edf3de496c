/**
 * The one place seat counters move. Every change is a single statement that
 * updates the row, bumps seats_version, returns the new row and queues a
 * NOTIFY with the new counts: PostgreSQL delivers it only if the transaction
 * commits, to every listening instance, in commit order. So a caller holding
 * the course row lock pays one round trip for all of it. The CHECK
 * constraints reject any move that would break
 * seats_available + seats_held + seats_sold = capacity or go negative.
 */
import type { EntityManager } from 'typeorm';
import { Course } from './entities/course';

export const SEAT_EVENTS_CHANNEL = 'course_seats';

export type SeatChangeReason = 'RESERVED' | 'CONFIRMED' | 'CANCELLED' | 'EXPIRED' | 'CAPACITY_CHANGED';

export interface SeatMove {
  available?: number;
  held?: number;
  sold?: number;
  capacity?: number;
}

export async function moveSeats(manager: EntityManager, courseId: string, move: SeatMove, reason: SeatChangeReason): Promise<Course> {
  const metadata = manager.connection.getMetadata(Course);
  const columns = metadata.columns.map((column) => `updated.${column.databaseName} AS "${column.propertyName}"`).join(', ');
  const rows = (await manager.query(
    `WITH updated AS (
       UPDATE course
          SET seats_available = seats_available + $2,
              seats_held = seats_held + $3,
              seats_sold = seats_sold + $4,
              capacity = capacity + $5,
              seats_version = seats_version + 1,
              updated_at = now()
        WHERE id = $1
        RETURNING *
     )
     SELECT ${columns},
            pg_notify('${SEAT_EVENTS_CHANNEL}', json_build_object(
              'courseId', updated.id,
              'seatsAvailable', updated.seats_available,
              'seatsHeld', updated.seats_held,
              'seatsSold', updated.seats_sold,
              'capacity', updated.capacity,
              'version', updated.seats_version,
              'reason', $6::text,
              'changedAt', clock_timestamp()
            )::text) AS notified
       FROM updated`,
    [courseId, move.available ?? 0, move.held ?? 0, move.sold ?? 0, move.capacity ?? 0, reason],
  )) as (Course & { notified: unknown })[];
  const { notified: _notified, ...course } = rows[0]!;
  return Object.assign(new Course(), course);
}
