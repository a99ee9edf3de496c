/**
 * The demo orders of `npm start` (scripts/demo-orders.ts) on the demo catalog
 * and accounts: every basket bought through the gateway, the small courses
 * sold out, POPULAR led by the most bought course, the seat invariant in both
 * databases for every course, and a second run (a restart) changes nothing.
 */
import { DEMO_USERS, demoCourseId } from '@coursegraph/domain';
import { startStack, type Stack } from '@coursegraph/devkit/stack';
import { expectSeatInvariant } from '@coursegraph/devkit/fixtures';
import { DEMO_BASKETS, placeDemoOrders } from '../scripts/demo-orders';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ accounts: { demoData: true }, course: { demoData: true } });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

/** Orders, reservations and course counters: all a second run could change. */
async function snapshot() {
  const orders = await stack.orderDb.query('SELECT id, course_id, student_id, idempotency_key, status, price_amount FROM orders ORDER BY id');
  const reservations = await stack.courseDb.query('SELECT key, course_id, status FROM reservation ORDER BY key');
  const courses = await stack.courseDb.query('SELECT id, seats_available, seats_held, seats_sold, seats_version FROM course ORDER BY id');
  return { orders: orders.rows, reservations: reservations.rows, courses: courses.rows };
}

test('the demo buyers buy their baskets once: sold-out courses, POPULAR, the seat invariant, and a rerun adds nothing', async () => {
  const planned = Object.values(DEMO_BASKETS).reduce((sum, basket) => sum + basket.length, 0);
  expect(await placeDemoOrders(stack.gatewayUrl)).toEqual({ confirmed: planned, refused: {}, skipped: [] });
  const first = await snapshot();
  expect(first.orders).toHaveLength(planned);
  expect(first.orders.every((order: { status: string }) => order.status === 'CONFIRMED')).toBe(true);
  // The student whose token npm start prints has bought nothing, and the last seat is left for them.
  expect(first.orders.filter((order: { student_id: string }) => order.student_id === DEMO_USERS.student.userId)).toEqual([]);

  const soldOut = await stack.courseDb.query(`SELECT id FROM course WHERE status = 'PUBLISHED' AND seats_available = 0 ORDER BY id`);
  expect(soldOut.rows.map((row: { id: string }) => row.id)).toEqual([8, 13, 33, 38].map(demoCourseId));

  const popular = await stack.call('{ courses(first: 3, sort: POPULAR) { edges { node { id title seatsSold } } } }', {});
  const top = (popular.data as { courses: { edges: { node: { id: string; seatsSold: number } }[] } }).courses.edges.map((edge) => edge.node);
  expect(top[0]).toMatchObject({ id: demoCourseId(21), seatsSold: 7 });
  expect(top[1]!.seatsSold).toBeLessThan(7);

  for (const { id } of first.courses) await expectSeatInvariant(stack, id);

  // A restart places the same orders again: the saga answers those it has, and nothing changes.
  expect(await placeDemoOrders(stack.gatewayUrl)).toEqual({ confirmed: planned, refused: {}, skipped: [] });
  expect(await snapshot()).toEqual(first);
}, 120_000);
