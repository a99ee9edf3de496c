/** The seat ledger the order subgraph's audit reads (audit.ts there): counters and reservation keys of one course. */
import type { DataSource } from 'typeorm';
import { badInput, checkId } from '@coursegraph/runtime';

/** A course's counters and the keys of the reservations behind its held and sold seats. */
export interface SeatLedger {
  courseId: string;
  capacity: number;
  seatsAvailable: number;
  seatsHeld: number;
  seatsSold: number;
  confirmedKeys: string[];
  pendingKeys: string[];
}

/**
 * The seat ledger of one course for the order subgraph's audit, in one
 * statement (one snapshot, so counters and keys agree with each other); null
 * for an unknown course. At most capacity keys (MAX_CAPACITY) come back.
 * Throws BAD_USER_INPUT for a malformed id.
 */
export async function seatLedger(dataSource: DataSource, courseId: string): Promise<SeatLedger | null> {
  if (checkId(courseId, 'courseId')) throw badInput('`courseId` is not a valid course id.');
  const rows = (await dataSource.query(
    `SELECT c.id AS "courseId", c.capacity, c.seats_available AS "seatsAvailable", c.seats_held AS "seatsHeld", c.seats_sold AS "seatsSold",
            coalesce(array_agg(r.key) FILTER (WHERE r.status = 'CONFIRMED'), '{}') AS "confirmedKeys",
            coalesce(array_agg(r.key) FILTER (WHERE r.status = 'PENDING'), '{}') AS "pendingKeys"
       FROM course c LEFT JOIN reservation r ON r.course_id = c.id AND r.status IN ('PENDING', 'CONFIRMED')
      WHERE c.id = $1
      GROUP BY c.id`,
    [courseId],
  )) as SeatLedger[];
  return rows[0] ?? null;
}
