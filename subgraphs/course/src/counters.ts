/**
 * The one place seat counters move. Every change is a single UPDATE that
 * bumps seats_version and returns the new row, so a caller never needs a
 * second round trip while it holds the course row lock. The CHECK
 * constraints reject any move that would break
 * seats_available + seats_held + seats_sold = capacity or go negative.
 */
import type { EntityManager } from 'typeorm';
import { Course } from './entities/course';

export interface SeatMove {
  available?: number;
  held?: number;
  sold?: number;
  capacity?: number;
}

export async function moveSeats(manager: EntityManager, courseId: string, move: SeatMove): Promise<Course> {
  const metadata = manager.connection.getMetadata(Course);
  const returning = metadata.columns.map((column) => `${column.databaseName} AS "${column.propertyName}"`).join(', ');
  const [rows] = (await manager.query(
    `UPDATE course
        SET seats_available = seats_available + $2,
            seats_held = seats_held + $3,
            seats_sold = seats_sold + $4,
            capacity = capacity + $5,
            seats_version = seats_version + 1,
            updated_at = now()
      WHERE id = $1
      RETURNING ${returning}`,
    [courseId, move.available ?? 0, move.held ?? 0, move.sold ?? 0, move.capacity ?? 0],
  )) as [Course[], number];
  return Object.assign(new Course(), rows[0]);
}
