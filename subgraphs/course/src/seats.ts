/**
 * Seat reservations, the internal API the order saga calls. Every transition
 * (PENDING -> CONFIRMED | CANCELLED | EXPIRED, CONFIRMED -> CANCELLED) happens
 * exactly once under a row lock; repeating a call returns the current state
 * and moves no counter.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { userError, type Money, type UserError } from '@coursegraph/runtime';
import { Course } from './entities/course';
import { Reservation, type ReservationStatus } from './entities/reservation';
import { moveSeats } from './counters';

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

/** A repeated reserveSeat with the same key must be the same request. */
function replay(existing: Reservation, request: ReserveSeatRequest): ReservationResult {
  if (existing.courseId !== request.courseId || existing.holderId !== request.holderId) {
    return failed(userError('IDEMPOTENCY_KEY_REUSED', 'This key was already used to reserve a different seat.', 'input.key'));
  }
  return ok(existing);
}

/**
 * Holds one seat: one transaction that locks the course row
 * (SELECT ... FOR UPDATE), checks it is published, priced as the buyer saw
 * and not sold out, then inserts the reservation and moves the seat from
 * available to held. Idempotent on `key`.
 *
 * Calls with the same key (the saga retrying after a timeout while its first
 * attempt still runs) queue on a transaction advisory lock on the key, before
 * the course lock, and the later one finds the earlier one's reservation. So a
 * late attempt never takes the course lock to insert a key that exists: that
 * insert would wait on a confirm of the same key, which waits on the course
 * lock, a deadlock.
 */
export async function reserveSeat(dataSource: DataSource, request: ReserveSeatRequest, ttlSeconds: number): Promise<ReservationResult> {
  return dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [request.key]);
    const existing = await manager.findOneBy(Reservation, { key: request.key });
    if (existing) return replay(existing, request);
    const course = await manager.findOne(Course, {
      where: { id: request.courseId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!course) return failed(userError('NOT_FOUND', 'No such course.', 'input.courseId'));
    if (course.status !== 'PUBLISHED') {
      return failed(userError('COURSE_NOT_PUBLISHED', 'This course is not on sale.', 'input.courseId'));
    }
    const price = { amount: course.priceAmount, currency: course.priceCurrency };
    if (price.amount !== request.expectedPrice.amount || price.currency !== request.expectedPrice.currency) {
      const error = userError('PRICE_CHANGED', 'The price of this course has changed.', 'input.expectedPrice');
      return failed({ ...error, currentPrice: price });
    }
    if (course.seatsAvailable < 1) return failed(userError('SOLD_OUT', 'This course is sold out.', 'input.courseId'));
    const now = new Date();
    const reservation = Object.assign(new Reservation(), {
      id: randomUUID(),
      key: request.key,
      courseId: course.id,
      holderId: request.holderId,
      status: 'PENDING',
      priceAmount: price.amount,
      priceCurrency: price.currency,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
      createdAt: now,
      updatedAt: now,
    } satisfies Reservation);
    await manager.insert(Reservation, reservation);
    return ok(reservation, await moveSeats(manager, course.id, { available: -1, held: +1 }, 'RESERVED'));
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

async function setStatus(manager: EntityManager, reservation: Reservation, status: ReservationStatus): Promise<Reservation> {
  reservation.status = status;
  reservation.updatedAt = new Date();
  await manager.update(Reservation, { id: reservation.id }, { status, updatedAt: reservation.updatedAt });
  return reservation;
}

const illegal = (reservation: Reservation, action: string): ReservationResult =>
  failed(userError('ILLEGAL_TRANSITION', `A ${reservation.status.toLowerCase()} reservation cannot be ${action}.`, 'input.key'), reservation);

/** PENDING -> CONFIRMED: the held seat becomes sold. A reservation past its expiry expires instead. */
export function confirmReservation(dataSource: DataSource, key: string): Promise<ReservationResult> {
  return withLockedReservation(dataSource, key, async (manager, reservation) => {
    if (reservation.status === 'CONFIRMED') return ok(reservation);
    if (reservation.status === 'EXPIRED') {
      return failed(userError('RESERVATION_EXPIRED', 'The reservation expired before it was confirmed.', 'input.key'), reservation);
    }
    if (reservation.status !== 'PENDING') return illegal(reservation, 'confirmed');
    if (reservation.expiresAt.getTime() <= Date.now()) {
      // The sweeper has not reached it yet; expire it here rather than sell a seat past its hold.
      await setStatus(manager, reservation, 'EXPIRED');
      const course = await moveSeats(manager, reservation.courseId, { held: -1, available: +1 }, 'EXPIRED');
      return failed(userError('RESERVATION_EXPIRED', 'The reservation expired before it was confirmed.', 'input.key'), reservation, course);
    }
    await setStatus(manager, reservation, 'CONFIRMED');
    return ok(reservation, await moveSeats(manager, reservation.courseId, { held: -1, sold: +1 }, 'CONFIRMED'));
  });
}

/** PENDING or CONFIRMED -> CANCELLED: the seat goes back on sale. */
export function cancelReservation(dataSource: DataSource, key: string): Promise<ReservationResult> {
  return withLockedReservation(dataSource, key, async (manager, reservation) => {
    if (reservation.status === 'CANCELLED') return ok(reservation);
    if (reservation.status === 'EXPIRED') return illegal(reservation, 'cancelled');
    const from = reservation.status === 'PENDING' ? { held: -1 } : { sold: -1 };
    await setStatus(manager, reservation, 'CANCELLED');
    return ok(reservation, await moveSeats(manager, reservation.courseId, { ...from, available: +1 }, 'CANCELLED'));
  });
}

export function findReservation(dataSource: DataSource, key: string): Promise<Reservation | null> {
  return dataSource.getRepository(Reservation).findOneBy({ key });
}
