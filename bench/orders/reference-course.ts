/**
 * The course process of the two-process Express reference (the yardstick of
 * the orders benchmark, after the system coursegraph grew from: an order
 * service calling a course service over HTTP). In memory: the courses read
 * once from the course database at start, their seat counters and the
 * reservations keyed by order id (reference-books.ts). Its API, JSON over
 * HTTP keep-alive, called by reference-order.ts:
 *
 * - `GET /courses/:id`: 200 `{ status, price, seatsAvailable }`; 404 `{ code: 'NOT_FOUND' }`.
 * - `POST /reservations` `{ orderId, courseId, expectedPrice }`: holds a seat,
 *   200 `{ status: 'PENDING' }` (again for the same order); 409 `{ code }` with
 *   NOT_FOUND, COURSE_NOT_PUBLISHED, PRICE_CHANGED or SOLD_OUT.
 * - `POST /reservations/:orderId/confirm`: sells the held seat, 200
 *   `{ status: 'CONFIRMED' }`; 404 when the order holds none.
 *
 * Env: CourseProcessEnv; prints `listening <base URL>` (reference-http.ts).
 */
import express from 'express';
import { loadCourses, Seats, type Money } from './reference-books';
import { runReference, serve } from './reference-http';

/** What the course process reads from its environment. */
export interface CourseProcessEnv {
  /** Its courses are read from there once, at start. */
  COURSE_DATABASE_URL: string;
  /** Its port on 127.0.0.1; 0 = any. */
  PORT: string;
}

async function main(): Promise<void> {
  const env = process.env as NodeJS.ProcessEnv & CourseProcessEnv;
  const seats = new Seats(await loadCourses(env.COURSE_DATABASE_URL));
  const app = express();
  app.use(express.json({ limit: '100kb' }));
  app.get('/courses/:id', (req, res) => {
    const course = seats.course(req.params.id);
    if (!course) return void res.status(404).json({ code: 'NOT_FOUND' });
    res.json({ status: course.status, price: course.price, seatsAvailable: course.seatsAvailable });
  });
  app.post('/reservations', (req, res) => {
    const { orderId, courseId, expectedPrice } = req.body as { orderId: string; courseId: string; expectedPrice: Money };
    const refused = seats.reserve(orderId, courseId, expectedPrice);
    if (refused) return void res.status(409).json({ code: refused });
    res.json({ status: 'PENDING' });
  });
  app.post('/reservations/:orderId/confirm', (req, res) => {
    if (!seats.confirm(req.params.orderId)) return void res.status(404).json({ code: 'NOT_FOUND' });
    res.json({ status: 'CONFIRMED' });
  });
  serve(app, Number(env.PORT));
}

runReference(main);
