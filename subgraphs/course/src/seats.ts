/**
 * Seat reservations, the internal API the order saga calls. A seat is taken
 * sold at once (purchaseSeat, the saga's call) or held (reserveSeat), then
 * confirmed or given back. Every transition (PENDING -> CONFIRMED |
 * CANCELLED | EXPIRED, CONFIRMED -> CANCELLED) happens exactly once under a
 * row lock; repeating a call returns the current state and moves no counter.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { checkId, userError } from '@coursegraph/runtime';
import { checkMoney, type Money } from '@coursegraph/domain';
import type { UserError } from './__generated__/resolvers-types';
import type { Course } from './entities/course';
import { Reservation, type ReservationStatus } from './entities/reservation';
import { lockedMoveStatement, moveSeatsLocked, moveSeatsWith, type SeatMove, type Statement } from './counters';
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

/** How a seat is taken: held until confirmed (reserveSeat) or sold at once (purchaseSeat). */
const TAKE = {
  hold: { status: 'PENDING', move: { available: -1, held: +1 }, reason: 'RESERVED' },
  sell: { status: 'CONFIRMED', move: { available: -1, sold: +1 }, reason: 'PURCHASED' },
} as const satisfies Record<string, { status: ReservationStatus; move: SeatMove; reason: SeatMoveReason }>;

/**
 * takeSeat's statement (counters.ts, lockedMoveStatement): the reservation
 * (id `id`) is inserted from the locked course row only if it is published,
 * priced as the buyer saw and not sold out, and only if no reservation with
 * the key is in the statement's snapshot.
 */
function takeSeatStatement(
  manager: EntityManager,
  request: ReserveSeatRequest,
  how: keyof typeof TAKE,
  ttlSeconds: number,
  id: string = randomUUID(),
) {
  const { status, move, reason } = TAKE[how];
  return lockedMoveStatement(
    manager,
    request.courseId,
    (param) =>
      `INSERT INTO reservation (id, key, course_id, holder_id, status, price_amount, price_currency, expires_at, created_at, updated_at)
       SELECT ${param(id)}::uuid, ${param(request.key)}::varchar, locked.id, ${param(request.holderId)}::uuid, ${param(status)}::varchar,
              locked.price_amount, locked.price_currency, now() + make_interval(secs => ${param(ttlSeconds)}::int), now(), now()
         FROM locked
        WHERE locked.status = 'PUBLISHED' AND locked.seats_available >= 1
          AND locked.price_amount = ${param(request.expectedPrice.amount)}::int
          AND locked.price_currency = ${param(request.expectedPrice.currency)}::char(3)
          AND NOT EXISTS (SELECT 1 FROM reservation WHERE key = ${param(request.key)}::varchar)
       ON CONFLICT (key) DO NOTHING`,
    move,
    reason,
  );
}

/**
 * purchaseSeat's one statement for `request` and reservation id `id`, built
 * but not run (`sql` with `params` $1..$n): what the orders benchmark's SQL
 * baselines run, so they measure the service's own statement.
 */
export const purchaseSeatStatement = (manager: EntityManager, request: ReserveSeatRequest, id?: string): Statement =>
  takeSeatStatement(manager, request, 'sell', 0, id);

/**
 * Takes one seat for `request`, `how` says which way, in one statement
 * (counters.ts, moveSeatsLocked): it locks the course row
 * (SELECT ... FOR UPDATE), inserts the reservation only if the locked row
 * is published, priced as the buyer saw and not sold out, and moves the
 * seat; it commits on its own, so the lock is held for that one round trip.
 * A refusal is read from the same locked row.
 *
 * Idempotent on `key`: a key in the statement's snapshot inserts nothing,
 * and a key committed while the statement waited for the lock (a retry of a
 * request still at work) makes ON CONFLICT DO NOTHING; either way the
 * answer is the existing reservation, read afterwards. The NOT EXISTS check
 * matters: an insert that conflicts with a reservation a cancel is changing
 * would wait on that cancel, which waits on the course lock held here.
 * That wait can still happen to a key committed while this statement
 * waited, then being cancelled; PostgreSQL ends that deadlock with 40P01,
 * a transient error (SERVICE_UNAVAILABLE), and the caller's retry finds the
 * reservation.
 */
async function takeSeat(dataSource: DataSource, request: ReserveSeatRequest, how: keyof typeof TAKE, ttlSeconds: number): Promise<ReservationResult> {
  const invalid = checkRequest(request);
  if (invalid) return failed(invalid);
  const { move, reason } = TAKE[how];
  const statement = takeSeatStatement(dataSource.manager, request, how, ttlSeconds);
  const { locked, moved } = await moveSeatsLocked(dataSource.manager, move, reason, statement);
  if (moved) return ok(moved.reservation, moved.course);
  const existing = await findReservation(dataSource, request.key);
  if (existing) return replay(existing, request);
  const refused = refusal(locked, request);
  // The insert's conditions are refusal()'s; a row it skipped without a refusal had a key, found above.
  if (!refused) throw new Error(`seat for ${request.key} neither taken nor refused`);
  return failed(refused);
}

/**
 * Holds one seat until confirmReservation, cancelReservation or its expiry
 * (`ttlSeconds`): available -> held, a PENDING reservation. For checkouts
 * that need a hold (e.g. a payment between reserving and selling).
 */
export const reserveSeat = (dataSource: DataSource, request: ReserveSeatRequest, ttlSeconds: number): Promise<ReservationResult> =>
  takeSeat(dataSource, request, 'hold', ttlSeconds);

/**
 * Sells one seat at once: available -> sold, a CONFIRMED reservation, one
 * seat event (PURCHASED). reserveSeat and confirmReservation in one call,
 * one statement and one commit: the order saga's call (issue 15).
 */
export const purchaseSeat = (dataSource: DataSource, request: ReserveSeatRequest): Promise<ReservationResult> =>
  takeSeat(dataSource, request, 'sell', 0);

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

/** For whom a key was meant: the course and the holder a reservation with it would have. */
export interface KeyOwner {
  courseId: string;
  holderId: string;
}

/**
 * PENDING or CONFIRMED -> CANCELLED: the seat goes back on sale.
 *
 * With `owner`, a key that has no reservation yet is cancelled before it is
 * used: a CANCELLED reservation is recorded for it (no seat moves), so a
 * purchaseSeat or reserveSeat with this key still on its way (sent before
 * the caller gave up, queued on the course lock) finds the key taken and
 * takes no seat. Without it, a late purchase would sell a seat under an
 * order its buyer was told had failed (red team, issue 15). NOT_FOUND when
 * there is no reservation and no `owner`, or no such course.
 */
export async function cancelReservation(dataSource: DataSource, key: string, owner?: KeyOwner): Promise<ReservationResult> {
  const cancelled = await cancelExisting(dataSource, key);
  if (!owner || cancelled.userErrors[0]?.code !== 'NOT_FOUND' || checkId(owner.courseId, 'courseId') || checkId(owner.holderId, 'holderId')) {
    return cancelled;
  }
  const [recorded] = (await dataSource.query(
    // The course row first (FOR KEY SHARE, as the foreign key check would take it, but before the key's index
    // entry): the lock order of purchaseSeat, so a purchase with this key queued on the course cannot deadlock with it.
    `WITH owner AS (SELECT id, price_amount, price_currency FROM course WHERE id = $4 FOR KEY SHARE)
     INSERT INTO reservation (id, key, course_id, holder_id, status, price_amount, price_currency, expires_at, created_at, updated_at)
     SELECT $1, $2, id, $3, 'CANCELLED', price_amount, price_currency, now(), now(), now() FROM owner
     ON CONFLICT (key) DO NOTHING RETURNING key`,
    [randomUUID(), key, owner.holderId, owner.courseId],
  )) as { key: string }[];
  // Recorded, or the key was taken meanwhile (a purchase committed first): then that reservation is cancelled.
  return recorded ? ok((await findReservation(dataSource, key))!) : cancelExisting(dataSource, key);
}

/** cancelReservation of a reservation that exists; NOT_FOUND when there is none. */
function cancelExisting(dataSource: DataSource, key: string): Promise<ReservationResult> {
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
