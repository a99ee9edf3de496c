/**
 * The course subgraph's domain metrics (the shared ones are the runtime's
 * metrics.ts): seats moved by reservations, counted once per real move in
 * counters.ts, the one place seat counters move (a repeated call moves
 * nothing and counts nothing):
 * - coursegraph_seats_purchased_total: seats sold at once, without a hold (purchaseSeat);
 * - coursegraph_seats_reserved_total: seats held for a buyer (reserveSeat);
 * - coursegraph_seats_confirmed_total: held seats sold (confirmReservation);
 * - coursegraph_seats_released_total: held or sold seats given back (cancelReservation);
 * - coursegraph_seats_expired_total: held seats returned by the expiry sweeper or a late confirm.
 * A capacity change is not a reservation and is not counted. And
 * coursegraph_seat_lock_statement_seconds: the duration of each statement
 * that locks a course row to take a seat (counters.ts, moveSeatsLocked),
 * from sending it to its answer: the wait for the lock plus the time it is
 * held (that statement and its commit). Without contention (one buyer per
 * course at a time) it is an upper bound of the hold time, which caps the
 * sales per course (DESIGN.md, reserveSeat).
 * A move is
 * counted when its statement succeeds; in the rare transaction that fails
 * at COMMIT afterwards, it is counted although it was rolled back.
 *
 * The counters belong to one running service, found from its data source,
 * which every seat path already carries: so the hook is one line and two
 * course services in one process (tests) keep their own figures. A data
 * source no service registered (a test's own) counts nothing.
 */
import type { DataSource } from 'typeorm';
import type { ServiceMetrics } from '@coursegraph/runtime';
import type { SeatMoveReason } from './seat-event';

export interface SeatMetrics {
  /** A move of `reason` that changed the counters (counters.ts's SeatMove). */
  moved(reason: SeatMoveReason, move: { available?: number; sold?: number }): void;
  /** A statement that locked a course row to take a seat took `seconds`. */
  locked(seconds: number): void;
}

const registered = new WeakMap<DataSource, SeatMetrics>();

/** Creates the seat counters in `metrics` and ties them to `dataSource`. */
export function registerSeatMetrics(metrics: ServiceMetrics, dataSource: DataSource): void {
  const counters: Partial<Record<SeatMoveReason, { inc(seats: number): void }>> = {
    PURCHASED: metrics.counter('coursegraph_seats_purchased_total', 'Seats sold at once, without a hold.'),
    RESERVED: metrics.counter('coursegraph_seats_reserved_total', 'Seats held for a buyer.'),
    CONFIRMED: metrics.counter('coursegraph_seats_confirmed_total', 'Held seats sold.'),
    CANCELLED: metrics.counter('coursegraph_seats_released_total', 'Held or sold seats given back on a cancellation.'),
    EXPIRED: metrics.counter('coursegraph_seats_expired_total', 'Held seats returned because their hold expired.'),
  };
  const lockStatement = metrics.histogram(
    'coursegraph_seat_lock_statement_seconds',
    'Duration of each statement that locks a course row to take a seat: the wait for the lock plus its hold, in seconds.',
    [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
  );
  registered.set(dataSource, {
    locked: (seconds) => lockStatement.observe(seconds),
    // Every reservation move shifts this many seats: between available and held (reserve, expire),
    // available and sold (purchase), held and sold (confirm), or held or sold and available (release).
    moved: (reason, move) => counters[reason]?.inc(Math.abs(move.available ?? move.sold ?? 0)),
  });
}

/** The counters of the service that owns `dataSource`, if one registered them. */
export const seatMetrics = (dataSource: DataSource): SeatMetrics | undefined => registered.get(dataSource);
