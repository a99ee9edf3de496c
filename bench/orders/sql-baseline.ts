/**
 * The spread scenario's baseline: the services' statements for one order as
 * raw SQL from a node `pg` script, `connections` clients (each one connection
 * to the order db and one to the course db) in a closed loop for `seconds`,
 * on the run's own migrated databases: the order INSERT, the course
 * subgraph's own purchaseSeat statement (`purchaseSeatStatement`), the order
 * UPDATE. Orders/s = completed orders / wall seconds; latency per order (all
 * 3 statements), ms. So stack / baseline is
 * what the Node layers (gateway, HTTP, GraphQL, TypeORM) cost on top of the
 * same database work.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { createCourseDataSource, purchaseSeatStatement } from '@coursegraph/course';
import { distribution, round } from '../runner/stats';
import { connect } from '../runner/postgres';
import type { LoadResult } from './measurement';
import { PRICE } from './options';

/** One order as the services run it: order PENDING; purchaseSeat's one statement (the course subgraph's own); order CONFIRMED. */
async function placeOrder(course: Client, order: Client, manager: EntityManager, courseId: string): Promise<void> {
  const orderId = randomUUID();
  const studentId = randomUUID();
  await order.query(
    `INSERT INTO orders (id, course_id, student_id, idempotency_key, status, price_amount, price_currency) VALUES ($1, $2, $3, $4, 'PENDING', $5, $6)`,
    [orderId, courseId, studentId, `bench-${randomUUID()}`, PRICE.amount, PRICE.currency],
  );
  const purchase = purchaseSeatStatement(manager, { courseId, expectedPrice: PRICE, key: orderId, holderId: studentId });
  const { rows } = await course.query<{ moved: boolean }>(purchase.sql, purchase.params);
  if (!rows[0]?.['moved.' as 'moved']) throw new Error(`no seat sold on ${courseId}`);
  await order.query(`UPDATE orders SET status = 'CONFIRMED', updated_at = now() WHERE id = $1`, [orderId]);
}

/** The services' statements for one order as raw SQL, `connections` clients per database, closed loop, for `seconds`. */
export async function runSqlBaseline(
  courseUrl: string,
  orderUrl: string,
  courses: string[],
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  // Only for the entity metadata the statement's column lists come from: it runs no query of its own.
  const metadata = await createCourseDataSource(courseUrl, 1).initialize();
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => ({ course: await connect(courseUrl), order: await connect(orderUrl) })),
  );
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  let sample: string | null = null;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    clients.map(async ({ course, order }) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await placeOrder(course, order, metadata.manager, courses[next++ % courses.length]!);
          latencies.push(performance.now() - t0);
        } catch (error) {
          failures++;
          sample ??= String(error);
        }
      }
    }),
  );
  const wallS = (performance.now() - started) / 1000;
  await Promise.all([...clients.flatMap(({ course, order }) => [course.end(), order.end()]), metadata.destroy()]);
  const d = distribution(latencies);
  return {
    method: `node pg, ${connections} clients × (course db + order db), 3 statements per order, each its own transaction: order PENDING, purchaseSeat's statement, order CONFIRMED`,
    durationS: round(wallS, 2),
    ordersPerSecond: round(latencies.length / wallS),
    confirmed: latencies.length,
    latencyMs: { p50: round(d.p50, 2), p99: round(d.p99, 2), mean: d.mean, max: round(d.max, 2) },
    errors: { non2xx: 0, transport: failures, timeouts: 0, graphqlErrors: 0, userErrors: {}, sample },
  };
}
