/**
 * The in-memory state of the Express references (bench/orders/reference-*.ts),
 * shared by the one-process reference and the two-process one's order and
 * course processes, so that both apply the very same rules:
 *
 * - Seats: the courses read once from the course database at start, each
 *   with its seat counters (available / held / sold, in seats) and the
 *   reservations keyed by order id. A reservation is refused as the course
 *   subgraph refuses it (subgraphs/course/src/seats.ts): NOT_FOUND,
 *   COURSE_NOT_PUBLISHED, PRICE_CHANGED, SOLD_OUT.
 * - OrderBook: the orders, one per (student, idempotency key), and at most
 *   one active (PENDING or CONFIRMED) order per student and course, as the
 *   order subgraph's unique constraints have it (subgraphs/order/src/orders.ts).
 *
 * Nothing is durable: a reference process that ends forgets everything.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

export interface Money {
  amount: number;
  currency: string;
}

export interface Course {
  status: string;
  price: Money;
  seatsAvailable: number;
  seatsHeld: number;
  seatsSold: number;
}

export type Refusal = 'NOT_FOUND' | 'COURSE_NOT_PUBLISHED' | 'PRICE_CHANGED' | 'SOLD_OUT';

export interface Order {
  id: string;
  courseId: string;
  studentId: string;
  status: 'PENDING' | 'CONFIRMED';
}

/** Every course of the course database (`url`), by id, with its seats available as the database has them and none held or sold. */
export async function loadCourses(url: string): Promise<Map<string, Course>> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string; status: string; price_amount: number; price_currency: string; seats_available: number }>(
      'SELECT id, status, price_amount, price_currency, seats_available FROM course',
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          status: row.status,
          price: { amount: row.price_amount, currency: row.price_currency.trim() },
          seatsAvailable: row.seats_available,
          seatsHeld: 0,
          seatsSold: 0,
        },
      ]),
    );
  } finally {
    await db.end();
  }
}

/** Why `course` cannot be sold at `expected` now, or null when a seat can be held. */
export function refusal(course: Course | undefined, expected: Money): Refusal | null {
  if (!course) return 'NOT_FOUND';
  if (course.status !== 'PUBLISHED') return 'COURSE_NOT_PUBLISHED';
  if (course.price.amount !== expected.amount || course.price.currency !== expected.currency) return 'PRICE_CHANGED';
  return course.seatsAvailable < 1 ? 'SOLD_OUT' : null;
}

/** The seat counters and reservations of every course. */
export class Seats {
  private readonly reservations = new Map<string, { courseId: string; status: 'PENDING' | 'CONFIRMED' }>();

  constructor(private readonly courses: Map<string, Course>) {}

  course(id: string): Course | undefined {
    return this.courses.get(id);
  }

  /** Holds a seat of `courseId` for `orderId` (again: the same answer); the refusal otherwise. */
  reserve(orderId: string, courseId: string, expected: Money): Refusal | null {
    if (this.reservations.has(orderId)) return null;
    const course = this.courses.get(courseId);
    const refused = refusal(course, expected);
    if (refused) return refused;
    course!.seatsAvailable--;
    course!.seatsHeld++;
    this.reservations.set(orderId, { courseId, status: 'PENDING' });
    return null;
  }

  /** Sells the seat `orderId` holds (again: true); false when it holds none. */
  confirm(orderId: string): boolean {
    const reservation = this.reservations.get(orderId);
    if (!reservation) return false;
    if (reservation.status === 'PENDING') {
      const course = this.courses.get(reservation.courseId)!;
      course.seatsHeld--;
      course.seatsSold++;
      reservation.status = 'CONFIRMED';
    }
    return true;
  }
}

/** The orders: one per student and idempotency key, at most one active per student and course. */
export class OrderBook {
  private readonly byKey = new Map<string, Order>();
  private readonly active = new Set<string>();

  /** The order `studentId` already placed with `idempotencyKey`, if any: a repeated request gets it again. */
  earlier(studentId: string, idempotencyKey: string): Order | undefined {
    return this.byKey.get(`${studentId}:${idempotencyKey}`);
  }

  /** Records a PENDING order, or null when the student already has an active order for the course (ALREADY_ENROLLED). */
  open(studentId: string, courseId: string, idempotencyKey: string): Order | null {
    const active = `${studentId}:${courseId}`;
    if (this.active.has(active)) return null;
    const order: Order = { id: randomUUID(), courseId, studentId, status: 'PENDING' };
    this.active.add(active);
    this.byKey.set(`${studentId}:${idempotencyKey}`, order);
    return order;
  }

  /** Forgets an order that was refused before a seat was sold, so the key and the course are free again. */
  drop(order: Order, idempotencyKey: string): void {
    this.active.delete(`${order.studentId}:${order.courseId}`);
    this.byKey.delete(`${order.studentId}:${idempotencyKey}`);
  }
}
