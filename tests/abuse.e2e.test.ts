/**
 * The standing abuse suite: every hostile request of tests/abuse/*.ts against
 * one stack. Each must get its exact client-facing code, a bounded answer
 * with nothing internal in it, bounded memory growth in the process serving
 * it, and leave every database as it was.
 */
import type { Pool } from 'pg';
import { OrderDocument, PlaceOrderDocument } from '@coursegraph/client';
import { ABUSE_CASES } from './abuse';
import type { AbuseFixtures } from './abuse/types';
import { createCourse, expectSeatInvariant, newUser } from '@coursegraph/devkit/fixtures';
import { startStack } from '@coursegraph/devkit/stack';

const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024;
/** Heap growth allowed across one case, after the case's garbage is collectable. */
const MAX_HEAP_GROWTH_BYTES = 64 * 1024 * 1024;
/** Tables whose rows a refused request may legitimately change (counted limits). */
const COUNTER_TABLES = new Set(['rate_limit', 'migrations']);
/** What an internal failure would leak into an answer. */
const LEAKS = /\bat [\w.<>]+ \(|node_modules|QueryFailedError|syntax error at|relation "|\/src\/|TypeORM/i;

let fx: AbuseFixtures;

/** A fingerprint of every row of every domain table of a database. */
async function fingerprint(pool: Pool): Promise<Record<string, string>> {
  const tables = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const prints: Record<string, string> = {};
  for (const { name } of tables.rows) {
    if (COUNTER_TABLES.has(name)) continue;
    const { rows } = await pool.query<{ md5: string | null; count: number }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS md5, count(*)::int AS count FROM "${name}" t`,
    );
    prints[name] = `${rows[0]!.count}:${rows[0]!.md5 ?? ''}`;
  }
  return prints;
}

const fingerprints = async () => ({
  accounts: await fingerprint(fx.stack.accountsDb),
  course: await fingerprint(fx.stack.courseDb),
  order: await fingerprint(fx.stack.orderDb),
});

beforeAll(async () => {
  const stack = await startStack();
  const student = newUser('STUDENT');
  const instructor = newUser('INSTRUCTOR');
  const admin = newUser('ADMIN');
  const published = await createCourse(stack, { capacity: 5, instructor });
  const draft = await createCourse(stack, { publish: false, instructor });
  const placed = await stack.call(
    PlaceOrderDocument,
    { input: { courseId: published.id, expectedPrice: published.price, idempotencyKey: 'abuse-suite-order-1' } },
    student,
  );
  const orderId = placed.data?.placeOrder.order?.id;
  if (!orderId) throw new Error(`placeOrder failed: ${JSON.stringify(placed)}`);
  // The order is readable: the fixtures are what the cases believe them to be.
  expect((await stack.call(OrderDocument, { id: orderId }, student)).data?.order?.status).toBe('CONFIRMED');
  fx = { stack, student, instructor, admin, publishedCourseId: published.id, draftCourseId: draft.id, orderId };
});

afterAll(async () => {
  await fx?.stack.stop();
});

test('the table has at least 30 cases, each named once', () => {
  const names = ABUSE_CASES.map((c) => c.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names.length).toBeGreaterThanOrEqual(30);
});

describe.each(ABUSE_CASES.map((c) => [c.name, c] as const))('%s', (_name, abuse) => {
  test(`answers ${abuse.expectCode}, bounded, leaking nothing, changing nothing`, async () => {
    const before = await fingerprints();
    const heapBefore = process.memoryUsage().heapUsed;
    const outcome = await abuse.send(fx);
    expect(outcome.codes).toContain(abuse.expectCode);
    expect(outcome.codes).not.toContain('INTERNAL_SERVER_ERROR');
    expect(outcome.responseBytes).toBeLessThanOrEqual(abuse.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    expect(outcome.text).not.toMatch(LEAKS);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
    expect(await fingerprints()).toEqual(before);
    await expectSeatInvariant(fx.stack, fx.publishedCourseId);
  });
});
