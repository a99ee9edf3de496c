/**
 * The one-process Express reference, the upper bound of the orders
 * benchmark: the same workflow as the stack in one in-memory process, run by
 * bench/orders/references.ts as its own process so it is measured on the
 * same machine in the same rounds. `POST /graphql` takes the same body the
 * gateway takes (placeOrder's variables) and the same bearer token, checks
 * the input, replays a repeated idempotency key, refuses a second active
 * order of a student for a course, then reserves a seat, records the order
 * and confirms it, all in memory (reference-books.ts): nothing is durable,
 * there is no federation, no second service and no HTTP hop.
 *
 * Env: OneProcessEnv; prints `listening <base URL>` (reference-http.ts).
 */
import express from 'express';
import { loadCourses, OrderBook, Seats } from './reference-books';
import { placed, placeOrderInput, runReference, serve, studentOf, userError } from './reference-http';

/** What the one-process reference reads from its environment. */
export interface OneProcessEnv {
  /** Its courses are read from there once, at start. */
  COURSE_DATABASE_URL: string;
  /** The secret its students' bearer tokens are signed with. */
  JWT_SECRET: string;
  /** Its port on 127.0.0.1; 0 = any. */
  PORT: string;
}

async function main(): Promise<void> {
  const env = process.env as NodeJS.ProcessEnv & OneProcessEnv;
  const seats = new Seats(await loadCourses(env.COURSE_DATABASE_URL));
  const orders = new OrderBook();
  const app = express();
  app.use(express.json({ limit: '100kb' }));
  app.post('/graphql', (req, res) => {
    const studentId = studentOf(env.JWT_SECRET, req, res);
    if (studentId === null) return;
    const input = placeOrderInput(req.body);
    if (!input) return void res.json(userError('VALIDATION'));
    const earlier = orders.earlier(studentId, input.idempotencyKey);
    if (earlier) return void res.json(placed(earlier));
    const order = orders.open(studentId, input.courseId, input.idempotencyKey);
    if (!order) return void res.json(userError('ALREADY_ENROLLED'));
    const refused = seats.reserve(order.id, input.courseId, input.expectedPrice);
    if (refused) {
      orders.drop(order, input.idempotencyKey);
      return void res.json(userError(refused));
    }
    seats.confirm(order.id);
    order.status = 'CONFIRMED';
    res.json(placed(order));
  });
  serve(app, Number(env.PORT));
}

runReference(main);
