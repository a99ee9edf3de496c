import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { CancelOrderDocument, PlaceOrderDocument, SeatsChangedDocument, SeatsChangedWithCourseDocument } from '../schema/__generated__/operations';
import { createCourse, expectSeatInvariant, newUser } from './support/fixtures';
import { startStack, type Stack } from './support/stack';
import { collect, connect } from './support/ws';

let stack: Stack;
const clients: Client[] = [];
beforeAll(async () => {
  stack = await startStack();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});
afterAll(() => stack?.stop());

const price = { amount: 1_000, currency: 'USD' };
const buy = (courseId: string, student = newUser('STUDENT')) =>
  stack.call(PlaceOrderDocument, { input: { courseId, expectedPrice: price, idempotencyKey: `key-${randomUUID()}` } }, student);
const client = (params?: Record<string, unknown>) => {
  const created = connect(stack.gatewayUrl, params);
  clients.push(created);
  return created;
};

test('federated fields selected in the subscription arrive with each event', async () => {
  const course = await createCourse(stack, { capacity: 3 });
  const events = collect(client(), SeatsChangedWithCourseDocument, { courseIds: [course.id] });
  await events.until(1);
  await buy(course.id);
  const [current, reserved, confirmed] = await events.until(3);
  expect(current!.data!.seatsChanged).toMatchObject({ reason: 'CURRENT', seatsAvailable: 3, course: { id: course.id, title: 'Course under test', price, enrollmentCount: 0 } });
  expect(reserved!.data!.seatsChanged).toMatchObject({ reason: 'RESERVED', seatsAvailable: 2 });
  expect(confirmed!.data!.seatsChanged).toMatchObject({ reason: 'CONFIRMED', seatsAvailable: 2, course: { enrollmentCount: 1 } });
  await expectSeatInvariant(stack, course.id);
});
