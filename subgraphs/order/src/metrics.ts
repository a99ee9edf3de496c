/**
 * The order subgraph's domain metrics (the shared ones are the runtime's
 * metrics.ts), each counted once, where the outcome is decided:
 * - coursegraph_orders_placed_total: orders recorded PENDING (orders.ts, insertPendingOrder);
 * - coursegraph_orders_confirmed_total, coursegraph_orders_cancelled_total:
 *   orders moved to CONFIRMED or CANCELLED (orders.ts, `transition`, whether
 *   by a request or the reconciler: the guarded UPDATE decides, so a race
 *   between them counts once);
 * - coursegraph_orders_failed_total{reason}: orders moved to FAILED, by
 *   their failure reason (UNAVAILABLE, RESERVATION_EXPIRED, ABANDONED), and
 *   orders the course refused and that were taken back, by the code the
 *   client got (SOLD_OUT, PRICE_CHANGED, COURSE_NOT_PUBLISHED, NOT_FOUND,
 *   UNAVAILABLE; saga.ts). So placed = confirmed + failed + those still in
 *   flight (and the rare order taken back before anything was sent);
 * - coursegraph_orders_reconciled_total{from, to}: orders the reconciler
 *   finished, by the status it found and the one it left (reconciler.ts).
 *
 * The counters belong to one running service, found from its data source,
 * which every domain path already carries: so each hook is one line and two
 * order services in one process (tests) keep their own figures. A data
 * source no service registered (a test's own) counts nothing.
 */
import type { DataSource } from 'typeorm';
import type { ServiceMetrics } from '@coursegraph/runtime';
import type { FailureReason, OrderStatus } from './entities/order';

export interface OrderMetrics {
  placed(): void;
  /** A transition this service made; only transitions to a final status are counted. */
  transitioned(to: OrderStatus, reason: FailureReason | null): void;
  /** An order the course refused, taken back; `code` is the user error the client got. */
  refused(code: string): void;
  reconciled(from: OrderStatus, to: OrderStatus): void;
}

const registered = new WeakMap<DataSource, OrderMetrics>();

/** Creates the order counters in `metrics` and ties them to `dataSource`. */
export function registerOrderMetrics(metrics: ServiceMetrics, dataSource: DataSource): void {
  const placed = metrics.counter('coursegraph_orders_placed_total', 'Orders recorded (PENDING).');
  const confirmed = metrics.counter('coursegraph_orders_confirmed_total', 'Orders confirmed: a seat sold.');
  const cancelled = metrics.counter(
    'coursegraph_orders_cancelled_total',
    'Confirmed orders cancelled by their student or an admin, the seat given back.',
  );
  const failed = metrics.counter('coursegraph_orders_failed_total', 'Orders that did not complete, by failure reason or refusal code.', ['reason']);
  const reconciled = metrics.counter(
    'coursegraph_orders_reconciled_total',
    'Unfinished orders the reconciler finished, by status found and status left.',
    ['from', 'to'],
  );
  registered.set(dataSource, {
    placed: () => placed.inc(),
    transitioned(to, reason) {
      if (to === 'CONFIRMED') confirmed.inc();
      else if (to === 'CANCELLED') cancelled.inc();
      else if (to === 'FAILED') failed.inc({ reason: reason ?? 'UNKNOWN' });
    },
    refused: (code) => failed.inc({ reason: code }),
    reconciled: (from, to) => reconciled.inc({ from, to }),
  });
}

/** The counters of the service that owns `dataSource`, if one registered them. */
export const orderMetrics = (dataSource: DataSource): OrderMetrics | undefined => registered.get(dataSource);
