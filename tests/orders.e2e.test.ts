import { randomUUID } from 'node:crypto';
import { CancelOrderDocument, PlaceOrderDocument, UpdateCoursePriceDocument } from '@coursegraph/client';
import { createCourse, expectSeatInvariant, newUser } from '@coursegraph/devkit/fixtures';
import { startStack, type Stack } from '@coursegraph/devkit/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const price = (amount = 1_000) => ({ amount, currency: 'USD' });
const key = () => `key-${randomUUID()}`;

describe('placeOrder through the gateway', () => {
  test('200 students race for 10 seats: exactly 10 confirmed, 190 sold out, invariant holds', async () => {
    const course = await createCourse(stack, { capacity: 10 });
    const students = Array.from({ length: 200 }, () => newUser('STUDENT'));
    const results = await Promise.all(
      students.map((student) =>
        stack.call(PlaceOrderDocument, { input: { courseId: course.id, expectedPrice: price(), idempotencyKey: key() } }, student),
      ),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    const confirmed = results.filter((r) => r.data?.placeOrder.order?.status === 'CONFIRMED');
    const soldOut = results.filter((r) => r.data?.placeOrder.userErrors.map((e) => e.code).join() === 'SOLD_OUT');
    expect(confirmed).toHaveLength(10);
    expect(soldOut).toHaveLength(190);
    expect(soldOut.every((r) => r.data!.placeOrder.order === null)).toBe(true);
    const state = await expectSeatInvariant(stack, course.id);
    expect(state).toMatchObject({ available: 0, held: 0, sold: 10, confirmedOrders: 10, pendingOrders: 0 });
  });

  test('20 concurrent orders from one student: one order, one seat', async () => {
    const course = await createCourse(stack, { capacity: 5 });
    const student = newUser('STUDENT');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        stack.call(PlaceOrderDocument, { input: { courseId: course.id, expectedPrice: price(), idempotencyKey: key() } }, student),
      ),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    const orders = results.filter((r) => r.data?.placeOrder.order);
    expect(orders).toHaveLength(1);
    expect(orders[0]!.data!.placeOrder.order!.status).toBe('CONFIRMED');
    const codes = results.flatMap((r) => r.data!.placeOrder.userErrors.map((e) => e.code));
    expect(codes).toEqual(Array(19).fill('ALREADY_ENROLLED'));
    const rows = await stack.orderDb.query('SELECT count(*)::int AS n FROM orders WHERE course_id = $1', [course.id]);
    expect(rows.rows[0].n).toBe(1);
    expect(await expectSeatInvariant(stack, course.id)).toMatchObject({ sold: 1, available: 4 });
  });

  test('the same idempotency key, sent twice in a row and concurrently, is one order and one seat', async () => {
    const course = await createCourse(stack, { capacity: 5 });
    const student = newUser('STUDENT');
    const input = { courseId: course.id, expectedPrice: price(), idempotencyKey: key() };
    const first = await stack.call(PlaceOrderDocument, { input }, student);
    const again = await stack.call(PlaceOrderDocument, { input }, student);
    expect(first.data!.placeOrder.order!.status).toBe('CONFIRMED');
    expect(again.data!.placeOrder.order!.id).toBe(first.data!.placeOrder.order!.id);

    const other = newUser('STUDENT');
    const concurrentInput = { courseId: course.id, expectedPrice: price(), idempotencyKey: key() };
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => stack.call(PlaceOrderDocument, { input: concurrentInput }, other)));
    const ids = new Set(concurrent.map((r) => r.data?.placeOrder.order?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toEqual(expect.any(String));
    expect(concurrent.map((r) => r.data?.placeOrder.order?.status)).toEqual(Array(10).fill('CONFIRMED'));
    expect(await expectSeatInvariant(stack, course.id)).toMatchObject({ sold: 2, available: 3 });
  });

  test('the same key for a different course is refused', async () => {
    const [a, b] = [await createCourse(stack), await createCourse(stack)];
    const student = newUser('STUDENT');
    const idempotencyKey = key();
    await stack.call(PlaceOrderDocument, { input: { courseId: a.id, expectedPrice: price(), idempotencyKey } }, student);
    const reused = await stack.call(PlaceOrderDocument, { input: { courseId: b.id, expectedPrice: price(), idempotencyKey } }, student);
    expect(reused.data!.placeOrder).toMatchObject({ order: null, userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED' }] });
    expect(await expectSeatInvariant(stack, b.id)).toMatchObject({ sold: 0, held: 0 });
  });

  test('the same key with a different price (amount or currency) is refused, and the first order stays as it was', async () => {
    const course = await createCourse(stack, { capacity: 5 });
    const student = newUser('STUDENT');
    const idempotencyKey = key();
    const first = await stack.call(PlaceOrderDocument, { input: { courseId: course.id, expectedPrice: price(), idempotencyKey } }, student);
    expect(first.data!.placeOrder.order!.status).toBe('CONFIRMED');
    const orderId = first.data!.placeOrder.order!.id;
    for (const expectedPrice of [price(1_500), { amount: 1_000, currency: 'EUR' }]) {
      const reused = await stack.call(PlaceOrderDocument, { input: { courseId: course.id, expectedPrice, idempotencyKey } }, student);
      expect(reused.errors).toBeUndefined();
      expect(reused.data!.placeOrder.order).toBeNull();
      expect(reused.data!.placeOrder.userErrors).toMatchObject([{ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey' }]);
    }
    const rows = await stack.orderDb.query('SELECT id, status, price_amount, price_currency FROM orders WHERE student_id = $1', [student.userId]);
    expect(rows.rows).toEqual([{ id: orderId, status: 'CONFIRMED', price_amount: 1_000, price_currency: 'USD' }]);
    expect(await expectSeatInvariant(stack, course.id)).toMatchObject({ sold: 1, held: 0, available: 4 });
  });

  test('a price changed after the buyer saw it: PRICE_CHANGED with the current price, no seat taken', async () => {
    const course = await createCourse(stack, { amount: 1_000 });
    const repriced = await stack.call(
      UpdateCoursePriceDocument,
      { input: { courseId: course.id, price: { amount: 1_500, currency: 'USD' } } },
      course.instructor,
    );
    expect(repriced.data!.updateCoursePrice.course!.price.amount).toBe(1_500);
    const result = await stack.call(
      PlaceOrderDocument,
      { input: { courseId: course.id, expectedPrice: price(1_000), idempotencyKey: key() } },
      newUser('STUDENT'),
    );
    expect(result.data!.placeOrder.userErrors).toEqual([
      { code: 'PRICE_CHANGED', field: 'input.expectedPrice', message: expect.any(String), currentPrice: { amount: 1_500, currency: 'USD' } },
    ]);
    expect(result.data!.placeOrder.order).toBeNull();
    const stored = await stack.orderDb.query('SELECT count(*)::int AS n FROM orders WHERE course_id = $1', [course.id]);
    expect(stored.rows[0].n).toBe(0);
    expect(await expectSeatInvariant(stack, course.id)).toMatchObject({ available: 10, held: 0, sold: 0, version: 0 });
  });

  test('cancelOrder gives the seat back once; the course can then be bought again', async () => {
    const course = await createCourse(stack, { capacity: 1 });
    const student = newUser('STUDENT');
    const placed = await stack.call(PlaceOrderDocument, { input: { courseId: course.id, expectedPrice: price(), idempotencyKey: key() } }, student);
    const orderId = placed.data!.placeOrder.order!.id;
    const cancels = await Promise.all(Array.from({ length: 5 }, () => stack.call(CancelOrderDocument, { input: { orderId } }, student)));
    expect(cancels.map((r) => r.data?.cancelOrder.order?.status)).toEqual(Array(5).fill('CANCELLED'));
    expect(await expectSeatInvariant(stack, course.id)).toMatchObject({ available: 1, sold: 0 });
    const again = await stack.call(PlaceOrderDocument, { input: { courseId: course.id, expectedPrice: price(), idempotencyKey: key() } }, student);
    expect(again.data!.placeOrder.order!.status).toBe('CONFIRMED');
    expect(await expectSeatInvariant(stack, course.id)).toMatchObject({ available: 0, sold: 1 });
  });
});
