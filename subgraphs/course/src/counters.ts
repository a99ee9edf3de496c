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
 * change does not apply. Taking a seat (`moveSeatsLocked`) also locks the
 * course row in that statement, so the lock lasts one round trip.
 */
import { performance } from 'node:perf_hooks';
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
const LOCKED_PREFIX = 'locked.';
/** A statement row's column: whether the counters moved. */
const MOVED = 'moved.';

/** selectColumns' lists, made once per entity, alias and prefix (the columns are fixed once the data source is built). */
const columnLists = new Map<string, string>();

/** `alias.column AS "prefix+property"` for every column of an entity. */
function selectColumns(manager: EntityManager, entity: typeof Course | typeof Reservation, alias: string, prefix = ''): string {
  const key = `${entity.name} ${alias} ${prefix}`;
  let list = columnLists.get(key);
  if (list === undefined) {
    list = manager.connection
      .getMetadata(entity)
      .columns.map((column) => `${alias}.${column.databaseName} AS "${prefix}${column.propertyName}"`)
      .join(', ');
    columnLists.set(key, list);
  }
  return list;
}

/** The parts of a counter-moving statement its callers vary (see runMove). */
interface MoveTarget {
  /** CTEs before `updated`, each followed by a comma. */
  cte: string;
  /** SQL of the id of the course to move. */
  courseId: string;
  select: string;
  from: string;
  /** SQL that is true when `updated` holds the moved row; the event is sent only then. Default: always (FROM includes `updated`). */
  moved?: string;
  /**
   * A CTE holding the course row, locked, to compute the new counters from
   * (default: the row the UPDATE reads). See lockedMoveStatement for why.
   */
  base?: string;
}

/** A statement and its parameters ($1, $2, ...), as pg and TypeORM's `query` take them. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** A counter-moving statement, with MoveTarget's `moved` when the statement may move nothing. */
type MoveStatement = Statement & { moved?: string };

/**
 * The one statement that moves a course's counters: `target`'s CTEs, then
 * `updated` (the counters' UPDATE), then the seat event, selected from the
 * moved row so it commits with it.
 */
function moveStatement(move: SeatMove, reason: SeatMoveReason, target: (param: Param) => MoveTarget): MoveStatement {
  const params: unknown[] = [];
  const param: Param = (value) => `$${params.push(value)}`;
  const { cte, courseId, select, from, moved, base } = target(param);
  const notify = notifySeatEventSql('updated', param(reason));
  const row = base ? `${base}.` : 'course.';
  const fromBase = base ? ` FROM ${base}` : '';
  const sql = `WITH ${cte}updated AS (
       UPDATE course
          SET seats_available = ${row}seats_available + ${param(move.available ?? 0)},
              seats_held = ${row}seats_held + ${param(move.held ?? 0)},
              seats_sold = ${row}seats_sold + ${param(move.sold ?? 0)},
              capacity = ${row}capacity + ${param(move.capacity ?? 0)},
              seats_version = ${row}seats_version + 1,
              updated_at = now()${fromBase}
        WHERE course.id = ${courseId}${base ? ` AND course.id = ${base}.id` : ''}
        RETURNING course.*
     )
     SELECT ${select}, ${moved ? `CASE WHEN ${moved} THEN ${notify} END` : notify} AS notified
       FROM ${from}`;
  return { sql, params, moved };
}

/** Runs a moveStatement; returns its one row, or undefined when it has none. */
async function runMove(manager: EntityManager, move: SeatMove, reason: SeatMoveReason, statement: MoveStatement) {
  const rows = (await manager.query(statement.sql, statement.params)) as Record<string, unknown>[];
  if (rows[0] && (!statement.moved || rows[0][MOVED] === true)) seatMetrics(manager.connection)?.moved(reason, move);
  return rows[0];
}

export async function moveSeats(manager: EntityManager, courseId: string, move: SeatMove, reason: SeatMoveReason): Promise<Course> {
  const statement = moveStatement(move, reason, (param) => ({
    cte: '',
    courseId: param(courseId),
    select: selectColumns(manager, Course, 'updated'),
    from: 'updated',
  }));
  const row = await runMove(manager, move, reason, statement);
  const { notified: _notified, ...course } = row!;
  return Object.assign(new Course(), course);
}

/** The row's columns selected under `prefix` as `entity`'s properties; prefix '' takes the unprefixed ones (the course's). */
function pick<T extends object>(entity: T, row: Record<string, unknown>, prefix: string): T {
  for (const [name, value] of Object.entries(row)) {
    const taken = prefix ? name.startsWith(prefix) : !name.includes('.') && name !== 'notified';
    if (taken) Object.assign(entity, { [name.slice(prefix.length)]: value });
  }
  return entity;
}

/** The moved course and the changed reservation of a statement's row (selected with RESERVATION_PREFIX). */
const movedPair = (row: Record<string, unknown>) => ({
  reservation: pick(new Reservation(), row, RESERVATION_PREFIX),
  course: pick(new Course(), row, ''),
});

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
  const statement = moveStatement(move, reason, (param) => ({
    cte: `changed AS (${change(param)} RETURNING *), `,
    courseId: '(SELECT course_id FROM changed)',
    select: `${selectColumns(manager, Course, 'updated')}, ${selectColumns(manager, Reservation, 'changed', RESERVATION_PREFIX)}`,
    from: 'updated, changed',
  }));
  const row = await runMove(manager, move, reason, statement);
  return row ? movedPair(row) : null;
}

/** What `moveSeatsLocked` found and did. */
export interface LockedMove {
  /** The course row as locked, before any move; null when there is no such course. */
  locked: Course | null;
  /** The reservation changed and the course after the move; null when `change` touched no row (nothing moved). */
  moved: { reservation: Reservation; course: Course } | null;
}

/**
 * The statement of `moveSeatsLocked`, built but not run: it locks course
 * `courseId` (SELECT ... FOR UPDATE, as `locked`), runs `change` (a
 * data-modifying statement on one reservation, without its RETURNING, that
 * may read `locked`, e.g. to insert only when the course can sell a seat),
 * and moves the course's seats when it touched a row. The new counters are
 * `locked`'s, moved: the UPDATE's own read of the row comes from the
 * statement's snapshot, taken before the lock wait, and PostgreSQL checks
 * the CHECK constraints on the row built from it before it finds the row
 * changed and re-reads it, so a seat freed while the statement waited on a
 * sold-out course would fail course_seats_not_negative (red team, issue 15).
 * Exported through seats.ts so the benchmarks run the very statement the
 * service runs.
 */
export function lockedMoveStatement(
  manager: EntityManager,
  courseId: string,
  change: (param: Param) => string,
  move: SeatMove,
  reason: SeatMoveReason,
): MoveStatement {
  return moveStatement(move, reason, (param) => ({
    cte: `locked AS (SELECT * FROM course WHERE id = ${param(courseId)}::uuid FOR UPDATE), changed AS (${change(param)} RETURNING *), `,
    courseId: '(SELECT course_id FROM changed)',
    select: [
      selectColumns(manager, Course, 'updated'),
      selectColumns(manager, Reservation, 'changed', RESERVATION_PREFIX),
      selectColumns(manager, Course, 'locked', LOCKED_PREFIX),
      `updated.id IS NOT NULL AS "${MOVED}"`,
    ].join(', '),
    from: 'locked LEFT JOIN (updated CROSS JOIN changed) ON true',
    moved: 'updated.id IS NOT NULL',
    base: 'locked',
  }));
}

/**
 * Runs a lockedMoveStatement: one statement, so the course row lock is held
 * for one round trip. Run outside an explicit transaction, the statement
 * commits on its own and the lock ends with it. In READ COMMITTED, `locked`
 * is the row's latest committed version once the lock is granted
 * (PostgreSQL docs, "Read Committed Isolation Level"), but the rest of the
 * statement reads the snapshot taken when it started: `change` must not rely
 * on seeing rows committed while it waited.
 */
export async function moveSeatsLocked(manager: EntityManager, move: SeatMove, reason: SeatMoveReason, statement: MoveStatement): Promise<LockedMove> {
  const started = performance.now();
  const row = await runMove(manager, move, reason, statement);
  seatMetrics(manager.connection)?.locked((performance.now() - started) / 1000);
  if (!row) return { locked: null, moved: null };
  return { locked: pick(new Course(), row, LOCKED_PREFIX), moved: row[MOVED] === true ? movedPair(row) : null };
}
