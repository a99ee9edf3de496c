/**
 * The yardstick for orders: a plain in-memory Express implementation
 * of the same workflow, run by bench/orders.ts as its own process so it is
 * measured on the same machine in the same run. One JSON POST takes the same
 * body the gateway takes (placeOrder's variables), verifies the same bearer
 * token, validates the input, reserves a seat, records the order and
 * confirms it, all in memory: nothing is durable, there is no federation and
 * no second service. Courses are read once from the course database at start.
 *
 * Env: ReferenceEnv; prints `listening <url>`. Started by express.ts.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import { Client } from 'pg';
import { verifyUserToken } from '@coursegraph/runtime';

/** What the reference reads from its environment. */
export interface ReferenceEnv {
  COURSE_DATABASE_URL: string;
  /** The secret its students' bearer tokens are signed with. */
  JWT_SECRET: string;
  /** Its port on 127.0.0.1; 0 = any. */
  PORT: string;
}

interface Course {
  priceAmount: number;
  priceCurrency: string;
  seatsAvailable: number;
  seatsHeld: number;
  seatsSold: number;
}

interface Order {
  id: string;
  courseId: string;
  studentId: string;
  status: 'PENDING' | 'CONFIRMED';
}

async function main(): Promise<void> {
  const env = process.env as NodeJS.ProcessEnv & ReferenceEnv;
  const secret = env.JWT_SECRET;
  const db = new Client({ connectionString: env.COURSE_DATABASE_URL });
  await db.connect();
  const { rows } = await db.query<{ id: string; price_amount: number; price_currency: string; seats_available: number }>(
    `SELECT id, price_amount, price_currency, seats_available FROM course WHERE status = 'PUBLISHED'`,
  );
  await db.end();
  const courses = new Map<string, Course>(
    rows.map((row) => [
      row.id,
      { priceAmount: row.price_amount, priceCurrency: row.price_currency.trim(), seatsAvailable: row.seats_available, seatsHeld: 0, seatsSold: 0 },
    ]),
  );
  const orders = new Map<string, Order>();
  const byStudentKey = new Map<string, Order>();
  const activeByStudentCourse = new Set<string>();
  const userError = (code: string) => ({ data: { placeOrder: { order: null, userErrors: [{ code }] } } });

  const app = express();
  app.use(express.json({ limit: '100kb' }));
  app.post('/graphql', (req, res) => {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    let studentId: string;
    try {
      studentId = verifyUserToken(secret, match![1]!).userId;
    } catch {
      res.status(401).json({ errors: [{ message: 'The access token is invalid or expired.', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    const input = req.body?.variables?.input as
      { courseId?: string; expectedPrice?: { amount?: number; currency?: string }; idempotencyKey?: string } | undefined;
    if (!input?.courseId || !input.expectedPrice || !input.idempotencyKey) return void res.json(userError('VALIDATION'));
    const replayKey = `${studentId}:${input.idempotencyKey}`;
    const earlier = byStudentKey.get(replayKey);
    if (earlier) return void res.json({ data: { placeOrder: { order: earlier, userErrors: [] } } });
    const course = courses.get(input.courseId);
    if (!course) return void res.json(userError('NOT_FOUND'));
    if (activeByStudentCourse.has(`${studentId}:${input.courseId}`)) return void res.json(userError('ALREADY_ENROLLED'));
    if (course.priceAmount !== input.expectedPrice.amount || course.priceCurrency !== input.expectedPrice.currency)
      return void res.json(userError('PRICE_CHANGED'));
    if (course.seatsAvailable < 1) return void res.json(userError('SOLD_OUT'));
    // reserve -> record -> confirm
    course.seatsAvailable--;
    course.seatsHeld++;
    const order: Order = { id: randomUUID(), courseId: input.courseId, studentId, status: 'PENDING' };
    orders.set(order.id, order);
    byStudentKey.set(replayKey, order);
    activeByStudentCourse.add(`${studentId}:${input.courseId}`);
    course.seatsHeld--;
    course.seatsSold++;
    order.status = 'CONFIRMED';
    res.json({ data: { placeOrder: { order: { id: order.id, status: order.status }, userErrors: [] } } });
  });
  const server = app.listen(Number(env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address() as { port: number };
    console.log(`listening http://127.0.0.1:${address.port}/graphql`);
  });
  server.keepAliveTimeout = 65_000;
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  process.on('disconnect', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
