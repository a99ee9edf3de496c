/**
 * The spread scenario's baseline: the services' statements for one order as
 * raw SQL from a node `pg` script, `connections` clients (each one connection
 * to the order db and one to the course db) in a closed loop for `seconds`,
 * on the run's own migrated databases. Orders/s = completed orders / wall
 * seconds; latency per order (all 7 statements), ms. So stack / baseline is
 * what the Node layers (gateway, HTTP, GraphQL, TypeORM) cost on top of the
 * same database work.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import { notifySeatEventSql, type SeatMoveReason } from '@coursegraph/course';
import { distribution, round } from '../runner/stats';
import { connect } from '../runner/postgres';
import type { LoadResult } from './measurement';
import { PRICE } from './options';

/**
 * The rest of a statement that moves a course's seats after a reservation
 * change (a CTE `changed` returning course_id) and queues the seat event, as
 * subgraphs/course/src/counters.ts does.
 */
export const MOVE_AND_NOTIFY = (set: string, reason: SeatMoveReason) => `updated AS (
    UPDATE course SET ${set}, seats_version = seats_version + 1, updated_at = now()
     WHERE id = (SELECT course_id FROM changed) RETURNING *
  )
  SELECT ${notifySeatEventSql('updated', `'${reason}'`)}
    FROM updated`;

/** One order as the services run it: order PENDING; reserve (locked transaction, 4 statements); confirm; order CONFIRMED. */
async function placeOrder(course: Client, order: Client, courseId: string): Promise<void> {
  const orderId = randomUUID();
  await order.query(
    `INSERT INTO orders (id, course_id, student_id, idempotency_key, status, price_amount, price_currency) VALUES ($1, $2, $3, $4, 'PENDING', $5, $6)`,
    [orderId, courseId, randomUUID(), `bench-${randomUUID()}`, PRICE.amount, PRICE.currency],
  );
  await course.query('BEGIN');
  await course.query('SELECT status, price_amount, price_currency, seats_available FROM course WHERE id = $1 FOR UPDATE', [courseId]);
  await course.query(
    `WITH changed AS (
       INSERT INTO reservation (id, key, course_id, holder_id, status, price_amount, price_currency, expires_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'PENDING', $5, $6, now() + interval '15 minutes', now(), now()) RETURNING course_id
     ), ${MOVE_AND_NOTIFY('seats_available = seats_available - 1, seats_held = seats_held + 1', 'RESERVED')}`,
    [randomUUID(), orderId, courseId, randomUUID(), PRICE.amount, PRICE.currency],
  );
  await course.query('COMMIT');
  await course.query(
    `WITH changed AS (
       UPDATE reservation SET status = 'CONFIRMED', updated_at = now() WHERE key = $1 AND status = 'PENDING' AND expires_at > now() RETURNING course_id
     ), ${MOVE_AND_NOTIFY('seats_held = seats_held - 1, seats_sold = seats_sold + 1', 'CONFIRMED')}`,
    [orderId],
  );
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
          await placeOrder(course, order, courses[next++ % courses.length]!);
          latencies.push(performance.now() - t0);
        } catch (error) {
          failures++;
          sample ??= String(error);
          await course.query('ROLLBACK').catch(() => undefined);
        }
      }
    }),
  );
  const wallS = (performance.now() - started) / 1000;
  await Promise.all(clients.flatMap(({ course, order }) => [course.end(), order.end()]));
  const d = distribution(latencies);
  return {
    method: `node pg, ${connections} clients × (course db + order db), the services' 7 statements per order: 4 in the reserve transaction, 3 autocommit`,
    durationS: round(wallS, 2),
    ordersPerSecond: round(latencies.length / wallS),
    confirmed: latencies.length,
    latencyMs: { p50: round(d.p50, 2), p99: round(d.p99, 2), mean: d.mean, max: round(d.max, 2) },
    errors: { non2xx: 0, transport: failures, timeouts: 0, graphqlErrors: 0, userErrors: {}, sample },
  };
}
