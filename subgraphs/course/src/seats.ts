/**
 * Seat reservations, the internal API the order saga calls. Every transition
 * (PENDING -> CONFIRMED | CANCELLED | EXPIRED, CONFIRMED -> CANCELLED) happens
 * exactly once under a row lock; repeating a call returns the current state
 * and moves no counter.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { checkId, userError } from '@coursegraph/runtime';
import { checkMoney, type Money } from '@coursegraph/domain';
import type { UserError } from './__generated__/resolvers-types';
import { Course } from './entities/course';
import { Reservation, type ReservationStatus } from './entities/reservation';
import { moveSeatsWith, type SeatMove } from './counters';
import type { SeatMoveReason } from './seat-event';

export interface ReserveSeatRequest {
  courseId: string;
  expectedPrice: Money;
  key: string;
  holderId: string;
}

export interface ReservationResult {
  reservation: Reservation | null;
  course: Course | null;
  userErrors: UserError[];
}

const ok = (reservation: Reservation, course: Course | null = null): ReservationResult => ({
  reservation,
  course,
  userErrors: [],
});

const failed = (error: UserError, reservation: Reservation | null = null, course: Course | null = null): ReservationResult => ({
  reservation,
  course,
  userErrors: [error],
});

/** The request's ids, price and key, each a VALIDATION error naming its field. */
function checkRequest(request: ReserveSeatRequest): UserError | null {
  return (
    checkId(request.courseId, 'input.courseId') ??
    checkId(request.holderId, 'input.holderId') ??
    checkMoney(request.expectedPrice, 'input.expectedPrice') ??
    (request.key.length < 1 || request.key.length > 100 ? userError('VALIDATION', 'Key must be 1 to 100 characters.', 'input.key') : null)
  );
}

/** A repeated reserveSeat with the same key must be the same request. */
function replay(existing: Reservation, request: ReserveSeatRequest): ReservationResult {
  if (existing.courseId !== request.courseId || existing.holderId !== request.holderId) {
    return failed(userError('IDEMPOTENCY_KEY_REUSED', 'This key was already used to reserve a different seat.', 'input.key'));
  }
  return ok(existing);
}

/** Why the locked course cannot sell this seat now, if it cannot. */
function refusal(course: Course | null, request: ReserveSeatRequest): UserError | null {
  if (!course) return userError('NOT_FOUND', 'No such course.', 'input.courseId');
  if (course.status !== 'PUBLISHED') return userError('COURSE_NOT_PUBLISHED', 'This course is not on sale.', 'input.courseId');
  const price = { amount: course.priceAmount, currency: course.priceCurrency };
  if (price.amount !== request.expectedPrice.amount || price.currency !== request.expectedPrice.currency) {
    return { ...userError('PRICE_CHANGED', 'The price of this course has changed.', 'input.expectedPrice'), currentPrice: price };
  }
  if (course.seatsAvailable < 1) return userError('SOLD_OUT', 'This course is sold out.', 'input.courseId');
  return null;
}

/**
 * Holds one seat: one transaction that locks the course row
 * (SELECT ... FOR UPDATE), checks it is published, priced as the buyer saw
 * and not sold out, then inserts the reservation and moves the seat from
 * available to held in one statement. The lock is held for two round trips:
 * that statement and COMMIT.
 *
 * Idempotent on `key`. A repeat of a request (the saga retrying after a
 * timeout) for the same course queues on the course lock behind the first
 * attempt, so by then the first attempt's reservation is committed: the
 * insert sees it (its NOT EXISTS runs in a snapshot taken after the lock was
 * granted) and inserts nothing, and the repeat answers with it, also when
 * the first attempt took the last seat. Checking before inserting, rather
 * than relying on the unique index, matters: an insert that conflicts with a
 * reservation a confirm is changing would wait on that confirm, which waits
 * on the course lock held here, a deadlock. ON CONFLICT DO NOTHING is left
 * for a key reused on another course at the same moment.
 */
export async function reserveSeat(dataSource: DataSource, request: ReserveSeatRequest, ttlSeconds: number): Promise<ReservationResult> {
  const invalid = checkRequest(request);
  if (invalid) return { reservation: null, course: null, userErrors: [invalid] };
  return dataSource.transaction(async (manager) => {
    const course = await manager.findOne(Course, {
      where: { id: request.courseId },
      lock: { mode: 'pessimistic_write' },
    });
    const refused = refusal(course, request);
    if (refused || !course) {
      const existing = await manager.findOneBy(Reservation, { key: request.key });
      return existing ? replay(existing, request) : failed(refused!);
    }
    const moved = await moveSeatsWith(
      manager,
      (param) =>
        `INSERT INTO reservation (id, key, course_id, holder_id, status, price_amount, price_currency, expires_at, created_at, updated_at)
         SELECT ${param(randomUUID())}::uuid, ${param(request.key)}::varchar, ${param(course.id)}::uuid, ${param(request.holderId)}::uuid, 'PENDING',
                ${param(course.priceAmount)}::int, ${param(course.priceCurrency)}::char(3),
                now() + make_interval(secs => ${param(ttlSeconds)}::int), now(), now()
          WHERE NOT EXISTS (SELECT 1 FROM reservation WHERE key = ${param(request.key)})
         ON CONFLICT (key) DO NOTHING`,
      { available: -1, held: +1 },
      'RESERVED',
    );
    if (moved) return ok(moved.reservation, moved.course);
    return replay(await manager.findOneByOrFail(Reservation, { key: request.key }), request);
  });
}

/** Locks the reservation, then applies `transition` to it; NOT_FOUND when there is none. */
async function withLockedReservation(
  dataSource: DataSource,
  key: string,
  transition: (manager: EntityManager, reservation: Reservation) => Promise<ReservationResult>,
): Promise<ReservationResult> {
  return dataSource.transaction(async (manager) => {
    const reservation = await manager.findOne(Reservation, { where: { key }, lock: { mode: 'pessimistic_write' } });
    if (!reservation) return failed(userError('NOT_FOUND', 'No reservation with this key.', 'input.key'));
    return transition(manager, reservation);
  });
}

/**
 * Moves a reservation from `from` to `to` and its course's seats by `move`,
 * in one statement; null when the reservation was not in `from` (or failed
 * `condition`), and then nothing changed.
 */
function changeStatus(
  manager: EntityManager,
  key: string,
  [from, to]: [ReservationStatus, ReservationStatus],
  move: SeatMove,
  reason: SeatMoveReason,
  condition = '',
) {
  return moveSeatsWith(
    manager,
    (param) => `UPDATE reservation SET status = ${param(to)}, updated_at = now() WHERE key = ${param(key)} AND status = ${param(from)}${condition}`,
    move,
    reason,
  );
}

const changed = (moved: { reservation: Reservation; course: Course } | null): ReservationResult => ok(moved!.reservation, moved!.course);

const illegal = (reservation: Reservation, action: string): ReservationResult =>
  failed(userError('ILLEGAL_TRANSITION', `A ${reservation.status.toLowerCase()} reservation cannot be ${action}.`, 'input.key'), reservation);

const expired = (reservation: Reservation | null, course: Course | null = null): ReservationResult =>
  failed(userError('RESERVATION_EXPIRED', 'The reservation expired before it was confirmed.', 'input.key'), reservation, course);

/**
 * PENDING -> CONFIRMED: the held seat becomes sold. A reservation past its
 * expiry expires instead.
 *
 * The saga's usual call, a PENDING reservation within its hold, is one
 * statement without an explicit transaction: the UPDATE locks the
 * reservation row, then the course row, the same order as the locked path.
 * Every other case is sorted out under the reservation lock.
 */
export async function confirmReservation(dataSource: DataSource, key: string): Promise<ReservationResult> {
  const sell = { held: -1, sold: +1 };
  const confirmed = await changeStatus(dataSource.manager, key, ['PENDING', 'CONFIRMED'], sell, 'CONFIRMED', ' AND expires_at > now()');
  if (confirmed) return changed(confirmed);
  return withLockedReservation(dataSource, key, async (manager, reservation) => {
    if (reservation.status === 'CONFIRMED') return ok(reservation);
    if (reservation.status === 'EXPIRED') return expired(reservation);
    if (reservation.status !== 'PENDING') return illegal(reservation, 'confirmed');
    if (reservation.expiresAt.getTime() > Date.now()) {
      return changed(await changeStatus(manager, key, ['PENDING', 'CONFIRMED'], sell, 'CONFIRMED'));
    }
    // The sweeper has not reached it yet; expire it here rather than sell a seat past its hold.
    const moved = await changeStatus(manager, key, ['PENDING', 'EXPIRED'], { held: -1, available: +1 }, 'EXPIRED');
    return expired(moved!.reservation, moved!.course);
  });
}

/** PENDING or CONFIRMED -> CANCELLED: the seat goes back on sale. */
export function cancelReservation(dataSource: DataSource, key: string): Promise<ReservationResult> {
  return withLockedReservation(dataSource, key, async (manager, reservation) => {
    if (reservation.status === 'CANCELLED') return ok(reservation);
    if (reservation.status === 'EXPIRED') return illegal(reservation, 'cancelled');
    const from = reservation.status === 'PENDING' ? { held: -1 } : { sold: -1 };
    return changed(await changeStatus(manager, key, [reservation.status, 'CANCELLED'], { ...from, available: +1 }, 'CANCELLED'));
  });
}

export function findReservation(dataSource: DataSource, key: string): Promise<Reservation | null> {
  return dataSource.getRepository(Reservation).findOneBy({ key });
}
