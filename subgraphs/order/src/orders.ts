/** Order rows: creation under the unique constraints, and guarded status changes. */
import { randomUUID } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { checkId, findByIds } from '@coursegraph/runtime';
import { Order, type FailureReason, type OrderStatus } from './entities/order';
import { orderMetrics } from './metrics';

export interface NewOrder {
  courseId: string;
  studentId: string;
  idempotencyKey: string;
  priceAmount: number;
  priceCurrency: string;
}

/**
 * Records a PENDING order, or returns null when a unique constraint stopped
 * it (the key was used before, or the student already has an active order
 * for the course). The constraints decide, so concurrent requests cannot
 * both win.
 */
export async function insertPendingOrder(dataSource: DataSource, order: NewOrder): Promise<Order | null> {
  const now = new Date();
  const row = Object.assign(new Order(), {
    ...order,
    id: randomUUID(),
    status: 'PENDING',
    failureReason: null,
    createdAt: now,
    updatedAt: now,
  } satisfies Order);
  // One statement, written out: the saga's first step, on every order (issue 15: no query builder per order).
  const inserted = (await dataSource.query(
    `INSERT INTO orders (id, course_id, student_id, idempotency_key, status, price_amount, price_currency, failure_reason, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'PENDING', $5, $6, NULL, $7, $7)
     ON CONFLICT DO NOTHING RETURNING id`,
    [row.id, row.courseId, row.studentId, row.idempotencyKey, row.priceAmount, row.priceCurrency, now],
  )) as unknown[];
  const placed = inserted.length > 0;
  if (placed) orderMetrics(dataSource)?.placed();
  return placed ? row : null;
}

/** Moves an order from `from` to `to` if it is still in `from`; returns the order as it now is. */
export async function transition(
  manager: EntityManager,
  order: Order,
  from: OrderStatus,
  to: OrderStatus,
  failureReason: FailureReason | null = null,
): Promise<Order> {
  const metadata = manager.connection.getMetadata(Order);
  const returning = metadata.columns.map((column) => `${column.databaseName} AS "${column.propertyName}"`).join(', ');
  const [rows] = (await manager.query(
    `UPDATE orders SET status = $3, failure_reason = $4, updated_at = now()
      WHERE id = $1 AND status = $2
      RETURNING ${returning}`,
    [order.id, from, to, failureReason],
  )) as [Order[], number];
  if (!rows[0]) return manager.findOneByOrFail(Order, { id: order.id });
  orderMetrics(manager.connection)?.transitioned(to, failureReason);
  return Object.assign(new Order(), rows[0]);
}

/**
 * Claims up to `limit` orders in a non-final state (PENDING, CANCELLING)
 * untouched for `olderThanSeconds`, skipping rows another instance has
 * locked, and stamps them `updated_at = now()`: a lease, so another
 * reconciler leaves them alone for the next `olderThanSeconds`. Every change
 * made to a claimed order afterwards is still a guarded `transition`.
 */
export async function claimUnfinished(dataSource: DataSource, olderThanSeconds: number, limit: number): Promise<Order[]> {
  const metadata = dataSource.getMetadata(Order);
  const returning = metadata.columns.map((column) => `${column.databaseName} AS "${column.propertyName}"`).join(', ');
  const [rows] = (await dataSource.query(
    `UPDATE orders SET updated_at = now()
      WHERE id IN (SELECT id FROM orders
                    WHERE status IN ('PENDING', 'CANCELLING') AND updated_at <= now() - make_interval(secs => $1)
                    ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING ${returning}`,
    [olderThanSeconds, limit],
  )) as [Order[], number];
  return rows.map((row) => Object.assign(new Order(), row));
}

/** Removes an order the course refused before any seat was taken. */
export async function removePendingOrder(dataSource: DataSource, order: Order): Promise<void> {
  await dataSource.getRepository(Order).delete({ id: order.id, status: 'PENDING' });
}

export const findOrder = (dataSource: DataSource, id: string) =>
  checkId(id, 'id') ? Promise.resolve(null) : dataSource.getRepository(Order).findOneBy({ id });

export const loadOrders = (dataSource: DataSource, ids: readonly string[]) => findByIds(dataSource.getRepository(Order), ids);

export const findByKey = (dataSource: DataSource, studentId: string, idempotencyKey: string) =>
  dataSource.getRepository(Order).findOneBy({ studentId, idempotencyKey });

export const findActive = (dataSource: DataSource, studentId: string, courseId: string) =>
  dataSource.getRepository(Order).findOneBy({ studentId, courseId, status: In(['PENDING', 'CONFIRMED']) });

/**
 * `studentId`'s active order (PENDING or CONFIRMED) of each course asked, in
 * the order asked, null where there is none; one statement for any number of
 * courses. At most one per course, by the index order_one_active_per_course.
 */
export async function loadActiveOrders(dataSource: DataSource, studentId: string, courseIds: readonly string[]): Promise<(Order | null)[]> {
  const orders = await dataSource.getRepository(Order).findBy({
    studentId,
    courseId: In(courseIds.filter((id) => !checkId(id, 'id'))),
    status: In(['PENDING', 'CONFIRMED']),
  });
  const byCourse = new Map(orders.map((order) => [order.courseId, order]));
  return courseIds.map((id) => byCourse.get(id) ?? null);
}

/** Confirmed orders per course, for every id asked, in the order asked. */
export async function countEnrollments(dataSource: DataSource, courseIds: readonly string[]): Promise<number[]> {
  const rows = (await dataSource.query(
    `SELECT course_id AS "courseId", count(*)::int AS count FROM orders
      WHERE status = 'CONFIRMED' AND course_id = ANY($1::uuid[]) GROUP BY course_id`,
    [courseIds.filter((id) => !checkId(id, 'id'))],
  )) as { courseId: string; count: number }[];
  const counts = new Map(rows.map((row) => [row.courseId, row.count]));
  return courseIds.map((id) => counts.get(id) ?? 0);
}
