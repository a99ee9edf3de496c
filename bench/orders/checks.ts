/**
 * What must hold after each phase, once no seat is held and no order is
 * PENDING any more (at most 30 s: the last requests of a load may still be
 * in their saga when the load ends): no PENDING reservation; on every course seats_sold = its
 * CONFIRMED reservations, and its CONFIRMED reservations of orders (all but
 * pgbench's) = its CONFIRMED orders in the order database. Counts, per run.
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
  pendingOrders: number;
  coursesDisagreeing: number;
  ok: boolean;
}

const count = async (db: Client, sql: string): Promise<number> => Number((await db.query<{ n: string }>(sql)).rows[0]!.n);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Waits (at most 30 s) until no seat is held and no order is PENDING; the seats still held then, and how long it took. */
async function settle(courseDb: Client, orderDb: Client): Promise<{ held: number; settledWithinMs: number }> {
  const started = Date.now();
  for (;;) {
    const held = await count(courseDb, 'SELECT coalesce(sum(seats_held), 0) AS n FROM course');
    const pending = await count(orderDb, `SELECT count(*) AS n FROM orders WHERE status = 'PENDING'`);
    if ((held === 0 && pending === 0) || Date.now() - started > 30_000) return { held, settledWithinMs: Date.now() - started };
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
  const pendingOrders = await count(orderDb, `SELECT count(*) AS n FROM orders WHERE status = 'PENDING'`);
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
    pendingOrders,
    coursesDisagreeing: disagreeing,
  };
  return {
    ...result,
    ok: pendingReservations === 0 && held === 0 && disagreeing === 0 && result.confirmedReservationsOfOrders === result.confirmedOrders,
  };
}
