/**
 * Recommendations through the gateway against real PostgreSQL (issue 12,
 * item 5): Course.related (course subgraph) in the order of its rules, each
 * rule deciding one pair; Course.alsoBought (order subgraph) by buyers of
 * confirmed orders; the exclusions of both (the course itself, drafts and
 * archived courses, what a signed-in student already owns); `first` out of
 * 1..20 is BAD_USER_INPUT; and a page of 20 courses each with both lists
 * costs each subgraph as many SQL statements as a page of 5.
 */
import { randomUUID } from 'node:crypto';
import type { Viewer } from '@coursegraph/runtime';
import {
  AlsoBoughtDocument,
  ArchiveCourseDocument,
  CancelOrderDocument,
  CatalogWithRecommendationsDocument,
  CreateCategoryDocument,
  PlaceOrderDocument,
  RelatedDocument,
  SetCourseCategoriesDocument,
} from '@coursegraph/client';
import { statementsDuring } from '@coursegraph/devkit/sql';
import { createCourse, expectSeatInvariant, newUser } from '@coursegraph/devkit/fixtures';
import { bearer, graphql, startStack, type Stack } from '@coursegraph/devkit/stack';

let stack: Stack;
const admin = newUser('ADMIN');

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

type Course = Awaited<ReturnType<typeof createCourse>>;

async function newCategory(): Promise<string> {
  const slug = `reco-${randomUUID().slice(0, 8)}`;
  const created = await stack.call(CreateCategoryDocument, { input: { slug, name: slug } }, admin);
  return created.data!.createCategory.category!.id;
}

async function inCategories(course: Course, categoryIds: string[]) {
  const set = await stack.call(SetCourseCategoriesDocument, { input: { courseId: course.id, categoryIds } }, admin);
  expect(set.data?.setCourseCategories.userErrors).toEqual([]);
}

/** A confirmed order of `course` by `student`, through the gateway; returns the order id. */
async function buy(student: Viewer, course: Course): Promise<string> {
  const input = { courseId: course.id, expectedPrice: { amount: 1_000, currency: 'USD' }, idempotencyKey: `reco-${randomUUID()}` };
  const placed = await stack.call(PlaceOrderDocument, { input }, student);
  expect(placed.data?.placeOrder.order?.status).toBe('CONFIRMED');
  return placed.data!.placeOrder.order!.id;
}

const related = async (course: Course, viewer: Viewer | null = null, first?: number) => {
  const answer = await stack.call(RelatedDocument, { id: course.id, first }, viewer);
  expect(answer.errors).toBeUndefined();
  return answer.data!.course!.related.map((c) => c.id);
};

const alsoBought = async (course: Course, viewer: Viewer | null = null, first?: number) => {
  const answer = await stack.call(AlsoBoughtDocument, { id: course.id, first }, viewer);
  expect(answer.errors).toBeUndefined();
  expect(answer.data!.course!.alsoBought.every((c) => c.status === 'PUBLISHED')).toBe(true);
  return answer.data!.course!.alsoBought.map((c) => c.id);
};

const errorCodes = (answer: { errors?: { extensions?: { code?: string } }[] }) => answer.errors?.map((e) => e.extensions?.code);

describe('Course.related', () => {
  test('same instructor, then shared categories, then seats sold, then newest, then id; never itself, drafts, archived or owned', async () => {
    const teacher = newUser('INSTRUCTOR');
    const [a, b] = [await newCategory(), await newCategory()];
    const source = await createCourse(stack, { instructor: teacher });
    await inCategories(source, [a, b]);
    // Created in this order, so created_at says r1 < r2 < r5 < r3 < r4.
    const r1 = await createCourse(stack, { instructor: teacher });
    const r2 = await createCourse(stack);
    const r5 = await createCourse(stack);
    const r6 = await createCourse(stack);
    const r3 = await createCourse(stack);
    const r4 = await createCourse(stack);
    await inCategories(r2, [a, b]);
    for (const course of [r3, r4, r5, r6]) await inCategories(course, [b]);
    // Seats sold: r2 1, r3 2, r4 1, r5 1, r6 1 (r1 none).
    const buyers = [newUser('STUDENT'), newUser('STUDENT')];
    for (const course of [r2, r3, r4, r5, r6]) await buy(buyers[0]!, course);
    await buy(buyers[1]!, r3);
    // r5 and r6 alike in everything but their id.
    await stack.courseDb.query('UPDATE course SET created_at = (SELECT created_at FROM course WHERE id = $1) WHERE id = $2', [r5.id, r6.id]);
    const [tieFirst, tieSecond] = [r5, r6].sort((x, y) => (x.id < y.id ? -1 : 1));
    // Not shown, though each would come first: a draft and an archived course of the same teacher in both categories.
    const draft = await createCourse(stack, { instructor: teacher, publish: false });
    const archived = await createCourse(stack, { instructor: teacher });
    await inCategories(draft, [a, b]);
    await inCategories(archived, [a, b]);
    await stack.call(ArchiveCourseDocument, { input: { courseId: archived.id } }, teacher);

    // Each adjacent pair is decided by one rule: r1/r2 instructor (r2 shares more, sold more, is newer),
    // r2/r3 shared categories (r3 sold more, is newer), r3/r4 seats sold (r4 is newer), r4/r5 newest, r5/r6 id.
    const expected = [r1.id, r2.id, r3.id, r4.id, tieFirst!.id, tieSecond!.id];
    expect(await related(source, null, 6)).toEqual(expected);
    expect(await related(source)).toEqual(expected.slice(0, 5));
    // Each rule decides which courses make a short list too, not only their order.
    expect(await related(source, null, 3)).toEqual(expected.slice(0, 3));
    const long = await related(source, null, 20);
    expect(long.slice(0, 6)).toEqual(expected);
    expect(long).not.toContain(source.id);
    expect(long).not.toContain(draft.id);
    expect(long).not.toContain(archived.id);
    // Not even to their instructor or an admin.
    expect(await related(source, teacher, 20)).not.toContain(draft.id);
    expect(await related(source, admin, 20)).not.toContain(archived.id);
    // A student does not see what they own: buyers[1] holds r3; buyers[0] everything but r1.
    expect(await related(source, buyers[1]!, 5)).toEqual([r1.id, r2.id, r4.id, tieFirst!.id, tieSecond!.id]);
    const owner = await related(source, buyers[0]!, 20);
    expect(owner[0]).toBe(r1.id);
    for (const course of [r2, r3, r4, r5, r6]) expect(owner).not.toContain(course.id);
    // A seat given back is no longer owned.
    const refunded = newUser('STUDENT');
    const order = await buy(refunded, r1);
    expect((await related(source, refunded, 1))[0]).toBe(r2.id);
    await stack.call(CancelOrderDocument, { input: { orderId: order } }, refunded);
    expect(await related(source, refunded, 1)).toEqual([r1.id]);
    await expectSeatInvariant(stack, r1.id);
  });
});

describe('Course.alsoBought', () => {
  test('courses bought by its buyers, most buyers first then id; never itself, unpublished, or owned by the viewer', async () => {
    const [source, b, c, d, e, f, g, h] = await Promise.all(Array.from({ length: 8 }, () => createCourse(stack, { capacity: 20 })));
    const [s1, s2, s3, s4, quitter] = Array.from({ length: 5 }, () => newUser('STUDENT'));
    for (const [student, courses] of [
      [s1, [source, b, c, g]],
      [s2, [source, b, c, g]],
      [s3, [source, b, d, e, g]],
      [s4, [h, c]], // did not buy the source: h is never shown, and c counts 2, not 3
    ] as const) {
      for (const course of courses) await buy(student!, course!);
    }
    // A buyer who cancelled the source counts for nothing.
    const cancelled = await buy(quitter!, source!);
    await buy(quitter!, f!);
    await stack.call(CancelOrderDocument, { input: { orderId: cancelled } }, quitter);
    // g (3 buyers) is archived; a draft with a (forged) confirmed order of s1 is not published either.
    await stack.call(ArchiveCourseDocument, { input: { courseId: g!.id } }, g!.instructor);
    const draft = await createCourse(stack, { publish: false });
    await stack.orderDb.query(
      `INSERT INTO orders (id, course_id, student_id, idempotency_key, status, price_amount, price_currency)
       VALUES ($1, $2, $3, $4, 'CONFIRMED', 1000, 'USD')`,
      [randomUUID(), draft.id, s1!.userId, `forged-${randomUUID()}`],
    );
    const [tieFirst, tieSecond] = [d!, e!].sort((x, y) => (x.id < y.id ? -1 : 1));

    expect(await alsoBought(source!, null, 20)).toEqual([b!.id, c!.id, tieFirst!.id, tieSecond!.id]);
    expect(await alsoBought(source!, null, 2)).toEqual([b!.id, c!.id]);
    expect(await alsoBought(source!)).toEqual([b!.id, c!.id, tieFirst!.id, tieSecond!.id]);
    // The viewer's own courses are left out: confirmed ones, and pending ones too.
    expect(await alsoBought(source!, s1, 20)).toEqual([tieFirst!.id, tieSecond!.id]);
    const waiting = newUser('STUDENT');
    await stack.orderDb.query(
      `INSERT INTO orders (id, course_id, student_id, idempotency_key, status, price_amount, price_currency)
       VALUES ($1, $2, $3, $4, 'PENDING', 1000, 'USD')`,
      [randomUUID(), b!.id, waiting.userId, `pending-${randomUUID()}`],
    );
    expect(await alsoBought(source!, waiting, 20)).toEqual([c!.id, tieFirst!.id, tieSecond!.id]);
    // Seen from b (bought by s1, s2, s3): the source 3, c 2, d and e 1; g (3) archived, the draft (1) never published.
    expect(await alsoBought(b!, null, 20)).toEqual([source!.id, c!.id, tieFirst!.id, tieSecond!.id]);
    expect(await alsoBought(h!, null, 20)).toEqual([c!.id]);
  });
});

describe('publishedCourseIds, the internal call behind alsoBought', () => {
  const QUERY = `query ($ids: [ID!]!) { publishedCourseIds(ids: $ids) }`;

  test('answers the order subgraph only: the published ones of the ids, in order; not part of the public API', async () => {
    const [one, two] = [await createCourse(stack), await createCourse(stack)];
    const draft = await createCourse(stack, { publish: false });
    const archived = await createCourse(stack);
    await stack.call(ArchiveCourseDocument, { input: { courseId: archived.id } }, archived.instructor);
    const ids = [two.id, draft.id, randomUUID(), 'not-an-id', archived.id, one.id.toUpperCase(), two.id];
    const answer = await stack.callCourseAsService<{ publishedCourseIds: string[] }>(QUERY, { ids });
    expect(answer.data?.publishedCourseIds).toEqual([two.id, one.id]);
    const tooMany = await stack.callCourseAsService(QUERY, { ids: Array.from({ length: 2_001 }, () => randomUUID()) });
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await graphql(stack.courseUrl, QUERY, { ids }, bearer(stack.token(admin))))).toEqual(['FORBIDDEN']);
    const publicly = await graphql(stack.gatewayUrl, QUERY, { ids }, bearer(stack.token(admin)));
    expect(publicly.errors?.[0]?.message).toMatch(/Cannot query field "publishedCourseIds"/);
  });
});

describe('bad input and batching', () => {
  test('`first` outside 1..20 is BAD_USER_INPUT for both', async () => {
    const course = await createCourse(stack);
    for (const first of [0, -1, 21]) {
      expect(errorCodes(await stack.call(RelatedDocument, { id: course.id, first }))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await stack.call(AlsoBoughtDocument, { id: course.id, first }))).toEqual(['BAD_USER_INPUT']);
    }
    for (const first of [1, 20]) {
      await related(course, null, first);
      await alsoBought(course, null, first);
    }
  });

  test('a page of 20 courses with related and alsoBought costs each subgraph as many statements as a page of 5', async () => {
    const teacher = newUser('INSTRUCTOR');
    const courses: Course[] = [];
    for (let i = 0; i < 20; i++) courses.push(await createCourse(stack, { instructor: teacher }));
    for (const student of [newUser('STUDENT'), newUser('STUDENT')]) {
      for (const course of courses) await buy(student, course);
    }
    const statementCounts = async (work: () => Promise<unknown>) => {
      const { course, order } = await statementsDuring({ course: stack.courseDatabaseUrl, order: stack.orderDatabaseUrl }, work);
      return { course: course.length, order: order.length };
    };
    const page = (first: number) =>
      statementCounts(async () => {
        const answer = await stack.call(CatalogWithRecommendationsDocument, {
          first,
          filter: { instructorId: teacher.userId },
          relatedFirst: 5,
          alsoBoughtFirst: 5,
        });
        expect(answer.errors).toBeUndefined();
        const edges = answer.data!.courses.edges;
        expect(edges).toHaveLength(first);
        for (const { node } of edges) {
          expect(node.related).toHaveLength(5);
          expect(node.alsoBought).toHaveLength(5);
        }
      });
    const five = await page(5);
    const twenty = await page(20);
    expect(twenty).toEqual(five);
    // Order: the alsoBought statement. Course: the page, related, its courses, publishedCourseIds, the alsoBought references.
    expect(five).toEqual({ course: 5, order: 1 });
  });
});
