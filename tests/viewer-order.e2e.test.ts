/**
 * Course.viewerOrder through the gateway (issue 14: what the storefront's
 * course page needed to say "you have a seat" instead of selling one): the
 * signed-in user's own active order of the course, PENDING or CONFIRMED; null
 * for anyone else, when signed out, and after a cancel; and a catalog page
 * asking it for every course costs the order subgraph one statement whatever
 * the page size.
 */
import { randomUUID } from 'node:crypto';
import type { Viewer } from '@coursegraph/runtime';
import { CancelOrderDocument, PlaceOrderDocument, ViewerOrdersDocument } from '@coursegraph/client';
import { statementsDuring } from '@coursegraph/devkit/sql';
import { createCourse, newUser } from '@coursegraph/devkit/fixtures';
import { startStack, type Stack } from '@coursegraph/devkit/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** viewerOrder of each course of `instructor`'s, by course id, as `viewer` sees it. */
async function viewerOrders(instructor: Viewer, viewer: Viewer | null, first = 50) {
  const answer = await stack.call(ViewerOrdersDocument, { first, filter: { instructorId: instructor.userId } }, viewer);
  expect(answer.errors).toBeUndefined();
  return Object.fromEntries(answer.data!.courses.edges.map(({ node }) => [node.id, node.viewerOrder]));
}

async function buy(student: Viewer, courseId: string): Promise<string> {
  const input = { courseId, expectedPrice: { amount: 1_000, currency: 'USD' }, idempotencyKey: `viewer-order-${randomUUID()}` };
  const placed = await stack.call(PlaceOrderDocument, { input }, student);
  expect(placed.data?.placeOrder.order?.status).toBe('CONFIRMED');
  return placed.data!.placeOrder.order!.id;
}

test("the signed-in user's own active order of each course, and nobody else's", async () => {
  const instructor = newUser('INSTRUCTOR');
  const [bought, other] = [await createCourse(stack, { instructor }), await createCourse(stack, { instructor })];
  const student = newUser('STUDENT');
  const someoneElse = newUser('STUDENT');
  expect(await viewerOrders(instructor, student)).toEqual({ [bought.id]: null, [other.id]: null });

  const orderId = await buy(student, bought.id);
  expect(await viewerOrders(instructor, student)).toEqual({ [bought.id]: { id: orderId, status: 'CONFIRMED' }, [other.id]: null });
  expect(await viewerOrders(instructor, someoneElse)).toEqual({ [bought.id]: null, [other.id]: null });
  expect(await viewerOrders(instructor, null)).toEqual({ [bought.id]: null, [other.id]: null });
  // The instructor and an admin see their own orders here too (none), not the student's.
  expect(await viewerOrders(instructor, instructor)).toEqual({ [bought.id]: null, [other.id]: null });
  expect(await viewerOrders(instructor, newUser('ADMIN'))).toEqual({ [bought.id]: null, [other.id]: null });

  // A pending order counts: it holds the seat.
  await stack.orderDb.query(`UPDATE orders SET status = 'PENDING' WHERE id = $1`, [orderId]);
  expect((await viewerOrders(instructor, student))[bought.id]).toEqual({ id: orderId, status: 'PENDING' });
  await stack.orderDb.query(`UPDATE orders SET status = 'CONFIRMED' WHERE id = $1`, [orderId]);

  const cancelled = await stack.call(CancelOrderDocument, { input: { orderId } }, student);
  expect(cancelled.data?.cancelOrder.order?.status).toBe('CANCELLED');
  expect(await viewerOrders(instructor, student)).toEqual({ [bought.id]: null, [other.id]: null });
  const again = await buy(student, bought.id);
  expect(await viewerOrders(instructor, student)).toEqual({ [bought.id]: { id: again, status: 'CONFIRMED' }, [other.id]: null });
});

test('a page of 20 courses with viewerOrder costs the order subgraph as many statements as a page of 5', async () => {
  const instructor = newUser('INSTRUCTOR');
  const courses = [];
  for (let index = 0; index < 20; index += 1) courses.push(await createCourse(stack, { instructor }));
  const student = newUser('STUDENT');
  for (const course of courses.slice(0, 3)) await buy(student, course.id);
  const statements = async (first: number) => {
    let orders: Record<string, unknown> = {};
    const seen = await statementsDuring({ order: stack.orderDatabaseUrl }, async () => {
      orders = await viewerOrders(instructor, student, first);
    });
    // Oldest first: the three bought courses lead both pages.
    expect(Object.values(orders).filter(Boolean)).toHaveLength(3);
    return seen.order.length;
  };
  const five = await statements(5);
  expect(five).toBeGreaterThan(0);
  expect(await statements(20)).toBe(five);
});
