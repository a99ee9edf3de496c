/**
 * The seat event: a committed change of one course's seat counters, as every
 * course instance hears it and subscribers receive it (SeatsChangedEvent in
 * schema.graphql). The statement that moves the counters (counters.ts) also
 * queues a NOTIFY on SEAT_EVENTS_CHANNEL whose payload `notifySeatEventSql`
 * builds in SQL, so PostgreSQL delivers it only if the transaction commits,
 * to every listener, in commit order (https://www.postgresql.org/docs/current/sql-notify.html).
 * The listener (seat-listener.ts) reads it back with `parseSeatEvent`.
 */
import type { SeatChangeReason } from './__generated__/resolvers-types';
import type { Course } from './entities/course';

export type { SeatChangeReason };

/** The NOTIFY channel of seat events. */
export const SEAT_EVENTS_CHANNEL = 'course_seats';

/** What a counter move may be made for; CURRENT and RESYNC are states read, not changes. */
export type SeatMoveReason = Exclude<SeatChangeReason, 'CURRENT' | 'RESYNC'>;

export interface SeatEvent {
  courseId: string;
  seatsAvailable: number;
  seatsHeld: number;
  seatsSold: number;
  capacity: number;
  /** The course's seats_version after the change: strictly increasing per course. */
  version: number;
  reason: SeatChangeReason;
  /** When the change was made (PostgreSQL's clock_timestamp(), ISO 8601 with an offset). */
  changedAt: string;
  /** The course row, when the event was made from one (CURRENT, RESYNC). */
  course?: Course;
}

/**
 * SQL: `pg_notify` of the seat event for the course row `alias` as it is after
 * the change (its counters and seats_version). `reason` is a placeholder of a
 * text parameter holding a SeatMoveReason. Selected from the statement that
 * makes the change, so the event and the change commit together.
 */
export function notifySeatEventSql(alias: string, reason: string): string {
  return `pg_notify('${SEAT_EVENTS_CHANNEL}', json_build_object(
    'courseId', ${alias}.id,
    'seatsAvailable', ${alias}.seats_available,
    'seatsHeld', ${alias}.seats_held,
    'seatsSold', ${alias}.seats_sold,
    'capacity', ${alias}.capacity,
    'version', ${alias}.seats_version,
    'reason', ${reason}::text,
    'changedAt', clock_timestamp()
  )::text)`;
}

const MOVE_REASONS: ReadonlySet<string> = new Set<SeatMoveReason>(['PURCHASED', 'RESERVED', 'CONFIRMED', 'CANCELLED', 'EXPIRED', 'CAPACITY_CHANGED']);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * The seat event of a NOTIFY payload (`notifySeatEventSql`'s JSON), or null
 * when the payload is not one (not JSON, a field missing or of another type,
 * an unknown reason): anything may NOTIFY on a channel.
 */
export function parseSeatEvent(payload: string): SeatEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const event = value as Record<string, unknown>;
  const { courseId, seatsAvailable, seatsHeld, seatsSold, capacity, version, reason, changedAt } = event;
  if (typeof courseId !== 'string' || typeof reason !== 'string' || !MOVE_REASONS.has(reason)) return null;
  if (typeof changedAt !== 'string' || Number.isNaN(Date.parse(changedAt))) return null;
  if (![seatsAvailable, seatsHeld, seatsSold, capacity, version].every(isCount)) return null;
  return { courseId, seatsAvailable, seatsHeld, seatsSold, capacity, version, reason, changedAt } as SeatEvent;
}

/** The state of a course row as a seat event: CURRENT when a subscription starts, RESYNC after the listener reconnected. */
export function seatEventOf(course: Course, reason: 'CURRENT' | 'RESYNC'): SeatEvent {
  return {
    courseId: course.id,
    seatsAvailable: course.seatsAvailable,
    seatsHeld: course.seatsHeld,
    seatsSold: course.seatsSold,
    capacity: course.capacity,
    version: course.seatsVersion,
    reason,
    changedAt: course.updatedAt.toISOString(),
    course,
  };
}
