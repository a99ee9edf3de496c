/**
 * The order process of the two-process Express reference: the workflow of
 * the system coursegraph grew from, in memory. `POST /graphql` takes the
 * same body and bearer token as the gateway, checks them and the
 * idempotency key and the one active order per student and course as the
 * one-process reference does (reference-books.ts, reference-http.ts), then
 * for each new order calls the course process (reference-course.ts) over
 * HTTP keep-alive: GET the course (refused as the course would refuse it),
 * POST the reservation, POST its confirmation. A refused order is forgotten
 * (its key and course free again); a failed call answers UNAVAILABLE.
 *
 * Env: OrderProcessEnv; prints `listening <base URL>` (reference-http.ts).
 */
import http from 'node:http';
import express from 'express';
import { OrderBook, refusal, type Course, type Order } from './reference-books';
import { placed, placeOrderInput, runReference, serve, studentOf, userError, type PlaceOrderInput } from './reference-http';

/** What the order process reads from its environment. */
export interface OrderProcessEnv {
  /** The course process's base URL, `http://127.0.0.1:<port>`. */
  COURSE_URL: string;
  /** The secret its students' bearer tokens are signed with. */
  JWT_SECRET: string;
  /** Its port on 127.0.0.1; 0 = any. */
  PORT: string;
}

// Keep-alive sockets, as many as the load has requests in flight: no connection per call, no queue in the agent.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One JSON call to the course process: its status and parsed body; rejects on a transport error. */
function call<T>(base: string, method: 'GET' | 'POST', path: string, body?: object): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const request = http.request(`${base}${path}`, {
      method,
      agent,
      headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T }));
      response.on('error', reject);
    });
    request.end(payload);
  });
}

/** get-course, reserve, confirm: the refusal that stopped the order, or null when its seat is sold. */
async function sell(courseUrl: string, order: Order, input: PlaceOrderInput): Promise<string | null> {
  const course = await call<Course>(courseUrl, 'GET', `/courses/${encodeURIComponent(order.courseId)}`);
  const refused = course.status === 404 ? 'NOT_FOUND' : refusal(course.body, input.expectedPrice);
  if (refused) return refused;
  const reserved = await call<{ code?: string }>(courseUrl, 'POST', '/reservations', {
    orderId: order.id,
    courseId: order.courseId,
    expectedPrice: input.expectedPrice,
  });
  if (reserved.status !== 200) return reserved.body.code ?? 'UNAVAILABLE';
  const confirmed = await call<{ code?: string }>(courseUrl, 'POST', `/reservations/${order.id}/confirm`);
  return confirmed.status === 200 ? null : 'UNAVAILABLE';
}

async function main(): Promise<void> {
  const env = process.env as NodeJS.ProcessEnv & OrderProcessEnv;
  const orders = new OrderBook();
  const app = express();
  app.use(express.json({ limit: '100kb' }));
  app.post('/graphql', async (req, res) => {
    const studentId = studentOf(env.JWT_SECRET, req, res);
    if (studentId === null) return;
    const input = placeOrderInput(req.body);
    if (!input) return void res.json(userError('VALIDATION'));
    const earlier = orders.earlier(studentId, input.idempotencyKey);
    if (earlier) return void res.json(placed(earlier));
    // Recorded before the first call, so a concurrent repeat finds it.
    const order = orders.open(studentId, input.courseId, input.idempotencyKey);
    if (!order) return void res.json(userError('ALREADY_ENROLLED'));
    const refused = await sell(env.COURSE_URL, order, input).catch(() => 'UNAVAILABLE');
    if (refused) {
      orders.drop(order, input.idempotencyKey);
      return void res.json(userError(refused));
    }
    order.status = 'CONFIRMED';
    res.json(placed(order));
  });
  serve(app, Number(env.PORT));
}

runReference(main);
