/**
 * What must hold after each phase, once no seat is held and no order is
 * unfinished (PENDING or CANCELLING) any more: no PENDING reservation; on
 * every course seats_sold = its CONFIRMED reservations, and its CONFIRMED
 * reservations of orders (all but pgbench's) = its CONFIRMED orders in the
 * order database. Counts, per run.
 *
 * The last requests of a load may still be in their saga when it ends, and
 * under overload a saga whose course call timed out leaves its order to the
 * reconciler, which takes an order over after RECONCILE_AFTER_SECONDS (60)
 * and runs every RECONCILE_INTERVAL_SECONDS (30; the services' defaults,
 * subgraphs/order/src/config.ts): so the wait lasts up to SETTLE_MS.
 */
import type { Client } from 'pg';
import { sleep } from '@coursegraph/devkit/timing';

export interface Checks {
  courses: number;
  pendingReservations: number;
  heldAfterSettling: number;
  settledWithinMs: number;
  seatsSold: number;
  confirmedReservations: number;
  confirmedReservationsOfOrders: number;
  confirmedOrders: number;
  /** Orders PENDING or CANCELLING when the checks ran. */
  unfinishedOrders: number;
  coursesDisagreeing: number;
  ok: boolean;
}

const count = async (db: Client, sql: string): Promise<number> => Number((await db.query<{ n: string }>(sql)).rows[0]!.n);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The longest wait for the seats and orders to settle: the reconciler's delay and interval, and some slack. */
const SETTLE_MS = 120_000;
const UNFINISHED_ORDERS = `SELECT count(*) AS n FROM orders WHERE status IN ('PENDING', 'CANCELLING')`;

/**
 * Waits (at most 10 s) until no order saga is in flight: no PENDING or
 * CANCELLING order changed within the gateway's SUBGRAPH_TIMEOUT_MS (20 s,
 * the longest a saga's request lasts; older ones wait for the reconciler).
 * Before each measurement (outside its PostgreSQL counters), so that the
 * requests a load left running when it stopped do not load the next one
 * (with 100 connections and a p99 of seconds, as much as a short measurement).
 */
export async function sagasDone(orderDb: Client): Promise<void> {
  const deadline = Date.now() + 10_000;
  const inFlight = `SELECT count(*) AS n FROM orders WHERE status IN ('PENDING', 'CANCELLING') AND updated_at > now() - interval '20 seconds'`;
  while ((await count(orderDb, inFlight)) > 0 && Date.now() < deadline) await sleep(100);
}

/** Waits (at most SETTLE_MS) until no seat is held and no order is unfinished; the seats still held then, and how long it took. */
async function settle(courseDb: Client, orderDb: Client): Promise<{ held: number; settledWithinMs: number }> {
  const started = Date.now();
  for (;;) {
    const held = await count(courseDb, 'SELECT coalesce(sum(seats_held), 0) AS n FROM course');
    const unfinished = await count(orderDb, UNFINISHED_ORDERS);
    if ((held === 0 && unfinished === 0) || Date.now() - started > SETTLE_MS) return { held, settledWithinMs: Date.now() - started };
    await sleep(500);
  }
}

export async function check(courseDb: Client, orderDb: Client): Promise<Checks> {
  const { held, settledWithinMs } = await settle(courseDb, orderDb);
  // The counters' own sum is a CHECK constraint; what can disagree is a counter and the rows behind it.
  const courses = (await courseDb.query<{ id: string; sold: number }>('SELECT id, seats_sold AS sold FROM course')).rows;
  const pendingReservations = await count(courseDb, `SELECT count(*) AS n FROM reservation WHERE status = 'PENDING'`);
  const reservations = (
    await courseDb.query<{ course_id: string; all: string; of_orders: string }>(
      `SELECT course_id, count(*) AS all, count(*) FILTER (WHERE key NOT LIKE 'pgbench-%') AS of_orders FROM reservation WHERE status = 'CONFIRMED' GROUP BY course_id`,
    )
  ).rows;
  const orders = (
    await orderDb.query<{ course_id: string; confirmed: string }>(
      `SELECT course_id, count(*) AS confirmed FROM orders WHERE status = 'CONFIRMED' GROUP BY course_id`,
    )
  ).rows;
  const unfinishedOrders = await count(orderDb, UNFINISHED_ORDERS);
  const reservedBy = new Map(reservations.map((row) => [row.course_id, { all: Number(row.all), ofOrders: Number(row.of_orders) }]));
  const orderedBy = new Map(orders.map((row) => [row.course_id, Number(row.confirmed)]));
  let disagreeing = 0;
  for (const course of courses) {
    const reserved = reservedBy.get(course.id) ?? { all: 0, ofOrders: 0 };
    if (course.sold !== reserved.all || reserved.ofOrders !== (orderedBy.get(course.id) ?? 0)) disagreeing++;
  }
  const result = {
    courses: courses.length,
    pendingReservations,
    heldAfterSettling: held,
    settledWithinMs,
    seatsSold: sum(courses.map((course) => course.sold)),
    confirmedReservations: sum([...reservedBy.values()].map((value) => value.all)),
    confirmedReservationsOfOrders: sum([...reservedBy.values()].map((value) => value.ofOrders)),
    confirmedOrders: sum([...orderedBy.values()]),
    unfinishedOrders,
    coursesDisagreeing: disagreeing,
  };
  return {
    ...result,
    ok: pendingReservations === 0 && held === 0 && disagreeing === 0 && result.confirmedReservationsOfOrders === result.confirmedOrders,
  };
}
