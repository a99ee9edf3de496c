/**
 * The course subgraph's domain metrics (the shared ones are the runtime's
 * metrics.ts): seats moved by reservations, counted once per real move in
 * counters.ts, the one place seat counters move (a repeated call moves
 * nothing and counts nothing):
 * - coursegraph_seats_reserved_total: seats held for a buyer (reserveSeat);
 * - coursegraph_seats_confirmed_total: held seats sold (confirmReservation);
 * - coursegraph_seats_released_total: held or sold seats given back (cancelReservation);
 * - coursegraph_seats_expired_total: held seats returned by the expiry sweeper or a late confirm.
 * A capacity change is not a reservation and is not counted. A move is
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
}

const registered = new WeakMap<DataSource, SeatMetrics>();

/** Creates the seat counters in `metrics` and ties them to `dataSource`. */
export function registerSeatMetrics(metrics: ServiceMetrics, dataSource: DataSource): void {
  const counters: Partial<Record<SeatMoveReason, { inc(seats: number): void }>> = {
    RESERVED: metrics.counter('coursegraph_seats_reserved_total', 'Seats held for a buyer.'),
    CONFIRMED: metrics.counter('coursegraph_seats_confirmed_total', 'Held seats sold.'),
    CANCELLED: metrics.counter('coursegraph_seats_released_total', 'Held or sold seats given back on a cancellation.'),
    EXPIRED: metrics.counter('coursegraph_seats_expired_total', 'Held seats returned because their hold expired.'),
  };
  registered.set(dataSource, {
    // Every reservation move shifts this many seats: between available and held (reserve, expire),
    // held and sold (confirm), or held or sold and available (release).
    moved: (reason, move) => counters[reason]?.inc(Math.abs(move.available ?? move.sold ?? 0)),
  });
}

/** The counters of the service that owns `dataSource`, if one registered them. */
export const seatMetrics = (dataSource: DataSource): SeatMetrics | undefined => registered.get(dataSource);
