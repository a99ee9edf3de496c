/**
 * The one place seat counters move. Every change is a single statement that
 * updates the row, bumps seats_version, returns the new row and queues the
 * seat event with the new counts (seat-event.ts): PostgreSQL delivers it only if the transaction
 * commits, to every listening instance, in commit order. So a caller holding
 * the course row lock pays one round trip for all of it. The CHECK
 * constraints reject any move that would break
 * seats_available + seats_held + seats_sold = capacity or go negative.
 *
 * A reservation change (insert, status change) that goes with a move runs in
 * the same statement (`moveSeatsWith`), and the course moves only if the
 * reservation changed: one round trip instead of two, and none while the
 * change does not apply.
 */
import type { EntityManager } from 'typeorm';
import { Course } from './entities/course';
import { Reservation } from './entities/reservation';
import { notifySeatEventSql, type SeatMoveReason } from './seat-event';
import { seatMetrics } from './metrics';

export interface SeatMove {
  available?: number;
  held?: number;
  sold?: number;
  capacity?: number;
}

/** Adds a value to the statement's parameters and returns its placeholder. */
export type Param = (value: unknown) => string;

const RESERVATION_PREFIX = 'reservation.';

/** `alias.column AS "prefix+property"` for every column of an entity. */
function selectColumns(manager: EntityManager, entity: typeof Course | typeof Reservation, alias: string, prefix = ''): string {
  return manager.connection
    .getMetadata(entity)
    .columns.map((column) => `${alias}.${column.databaseName} AS "${prefix}${column.propertyName}"`)
    .join(', ');
}

async function runMove(
  manager: EntityManager,
  move: SeatMove,
  reason: SeatMoveReason,
  target: (param: Param) => { cte: string; courseId: string; select: string; from: string },
): Promise<Record<string, unknown> | undefined> {
  const params: unknown[] = [];
  const param: Param = (value) => `$${params.push(value)}`;
  const { cte, courseId, select, from } = target(param);
  const rows = (await manager.query(
    `WITH ${cte}updated AS (
       UPDATE course
          SET seats_available = seats_available + ${param(move.available ?? 0)},
              seats_held = seats_held + ${param(move.held ?? 0)},
              seats_sold = seats_sold + ${param(move.sold ?? 0)},
              capacity = capacity + ${param(move.capacity ?? 0)},
              seats_version = seats_version + 1,
              updated_at = now()
        WHERE id = ${courseId}
        RETURNING *
     )
     SELECT ${select}, ${notifySeatEventSql('updated', param(reason))} AS notified
       FROM ${from}`,
    params,
  )) as Record<string, unknown>[];
  if (rows[0]) seatMetrics(manager.connection)?.moved(reason, move);
  return rows[0];
}

export async function moveSeats(manager: EntityManager, courseId: string, move: SeatMove, reason: SeatMoveReason): Promise<Course> {
  const row = await runMove(manager, move, reason, (param) => ({
    cte: '',
    courseId: param(courseId),
    select: selectColumns(manager, Course, 'updated'),
    from: 'updated',
  }));
  const { notified: _notified, ...course } = row!;
  return Object.assign(new Course(), course);
}

/**
 * Runs `change`, a data-modifying statement on one reservation (without its
 * RETURNING), and moves its course's seats in the same statement. Null when
 * the change touched no row: then nothing moved.
 */
export async function moveSeatsWith(
  manager: EntityManager,
  change: (param: Param) => string,
  move: SeatMove,
  reason: SeatMoveReason,
): Promise<{ reservation: Reservation; course: Course } | null> {
  const row = await runMove(manager, move, reason, (param) => ({
    cte: `changed AS (${change(param)} RETURNING *), `,
    courseId: '(SELECT course_id FROM changed)',
    select: `${selectColumns(manager, Course, 'updated')}, ${selectColumns(manager, Reservation, 'changed', RESERVATION_PREFIX)}`,
    from: 'updated, changed',
  }));
  if (!row) return null;
  const course = new Course();
  const reservation = new Reservation();
  for (const [name, value] of Object.entries(row)) {
    if (name.startsWith(RESERVATION_PREFIX)) Object.assign(reservation, { [name.slice(RESERVATION_PREFIX.length)]: value });
    else if (name !== 'notified') Object.assign(course, { [name]: value });
  }
  return { reservation, course };
}
