/**
 * The catalog and its management against a fresh PostgreSQL database:
 * validation changes nothing, capacity changes keep the seat invariant,
 * status transitions, ownership, cursor paging, and the Course entity as
 * the gateway resolves it (`_entities` over HTTP).
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { IDENTITY_HEADER, openDatabase, signIdentity, type RunningServer, type Viewer } from '@coursegraph/runtime';
import { createTestDatabases, type TestDatabases } from '@coursegraph/devkit/databases';
import { expectCourseInvariant } from '@coursegraph/devkit/invariant';
import { createCourseDataSource } from '../src/data-source';
import { listCourses, loadCourses } from '../src/catalog';
import {
  archiveCourse,
  createCourse,
  deleteCourse,
  publishCourse,
  updateCapacity,
  updateCourse,
  updatePrice,
  type CreateCourseInput,
} from '../src/courses';
import { Course } from '../src/entities/course';
import { confirmReservation, reserveSeat } from '../src/seats';
import { startCourseSubgraph } from '../src/server';
import { SECRETS, testConfig } from '@coursegraph/devkit/stack';

const price = { amount: 1_000, currency: 'USD' };
const viewer = (role: Viewer['roles'][number]): Viewer => ({ userId: randomUUID(), roles: [role] });

let databases: TestDatabases;
let dataSource: DataSource;
let db: Client;
const instructor = viewer('INSTRUCTOR');

beforeAll(async () => {
  databases = await createTestDatabases('course', 'catalog');
  dataSource = await openDatabase(createCourseDataSource(databases.urls.course!, 10));
  db = new Client({ connectionString: databases.urls.course });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await dataSource?.destroy();
  await databases?.drop();
});

const validInput = (overrides: Partial<CreateCourseInput> = {}): CreateCourseInput => ({
  title: 'A course under test',
  description: 'Made by a test.',
  price,
  capacity: 10,
  ...overrides,
});

async function newCourse(overrides: Partial<CreateCourseInput> = {}, publish = true, owner = instructor): Promise<string> {
  const created = await createCourse(dataSource, owner, validInput(overrides));
  expect(created.userErrors).toEqual([]);
  if (publish) expect((await publishCourse(dataSource, owner, created.course!.id)).userErrors).toEqual([]);
  return created.course!.id;
}

/** The whole stored row, to prove a refused call changed nothing at all. */
async function row(courseId: string): Promise<Record<string, unknown>> {
  return (await db.query('SELECT * FROM course WHERE id = $1', [courseId])).rows[0];
}

async function courseCount(): Promise<number> {
  return (await db.query('SELECT count(*)::int AS n FROM course')).rows[0].n;
}

const expectInvariant = (courseId: string) => expectCourseInvariant(db, courseId);

async function reserveOne(courseId: string) {
  const key = `order-${randomUUID()}`;
  return { key, result: await reserveSeat(dataSource, { courseId, expectedPrice: price, key, holderId: randomUUID() }, 600) };
}

/** Runs `work`, which must throw a GraphQLError with this extensions.code. */
async function expectGraphQLError(work: () => Promise<unknown>, code: string): Promise<void> {
  const error = await work().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).extensions.code).toBe(code);
}

describe('createCourse', () => {
  const long = (n: number) => 'x'.repeat(n);
  test.each<[string, Partial<CreateCourseInput>, string]>([
    ['empty title', { title: '' }, 'input.title'],
    ['blank title', { title: '   \t ' }, 'input.title'],
    ['overlong title', { title: long(201) }, 'input.title'],
    ['overlong description', { description: long(5_001) }, 'input.description'],
    ['negative capacity', { capacity: -1 }, 'input.capacity'],
    ['fractional capacity', { capacity: 2.5 }, 'input.capacity'],
    ['capacity 0', { capacity: 0 }, 'input.capacity'],
    ['capacity above the maximum', { capacity: 100_001 }, 'input.capacity'],
    ['lower-case currency', { price: { amount: 1_000, currency: 'usd' } }, 'input.price.currency'],
    ['two-letter currency', { price: { amount: 1_000, currency: 'US' } }, 'input.price.currency'],
    ['four-letter currency', { price: { amount: 1_000, currency: 'EURO' } }, 'input.price.currency'],
    ['empty currency', { price: { amount: 1_000, currency: '' } }, 'input.price.currency'],
    ['negative price', { price: { amount: -1, currency: 'USD' } }, 'input.price.amount'],
    ['fractional price', { price: { amount: 9.99, currency: 'USD' } }, 'input.price.amount'],
    ['price above the maximum', { price: { amount: 100_000_001, currency: 'USD' } }, 'input.price.amount'],
  ])('%s is a VALIDATION user error and inserts nothing', async (_name, overrides, field) => {
    const before = await courseCount();
    const result = await createCourse(dataSource, instructor, validInput(overrides));
    expect(result).toEqual({ course: null, userErrors: [{ code: 'VALIDATION', field, message: expect.any(String) }] });
    expect(await courseCount()).toBe(before);
  });

  test('a title containing a NUL character is a VALIDATION user error, not an internal error', async () => {
    const before = await courseCount();
    const result = await createCourse(dataSource, instructor, validInput({ title: 'Intro\u0000duction' })).catch((error: unknown) => error);
    expect(result).toEqual({ course: null, userErrors: [{ code: 'VALIDATION', field: 'input.title', message: expect.any(String) }] });
    expect(await courseCount()).toBe(before);
  });

  test('the limits themselves are accepted; the title is stored trimmed; the course starts as a DRAFT with all seats available', async () => {
    const title = long(200);
    const result = await createCourse(
      dataSource,
      instructor,
      validInput({ title: `  ${title}  `, capacity: 100_000, price: { amount: 0, currency: 'EUR' } }),
    );
    expect(result.userErrors).toEqual([]);
    expect(await row(result.course!.id)).toMatchObject({
      title,
      status: 'DRAFT',
      instructor_id: instructor.userId,
      capacity: 100_000,
      seats_available: 100_000,
      seats_held: 0,
      seats_sold: 0,
      seats_version: 0,
      price_amount: 0,
      price_currency: 'EUR',
    });
  });
});

describe('updateCourseCapacity', () => {
  test('below the seats held and sold is CAPACITY_BELOW_TAKEN and changes nothing', async () => {
    const courseId = await newCourse({ capacity: 10 });
    const taken = await Promise.all([reserveOne(courseId), reserveOne(courseId), reserveOne(courseId)]);
    expect((await confirmReservation(dataSource, taken[0]!.key)).userErrors).toEqual([]);
    expect((await confirmReservation(dataSource, taken[1]!.key)).userErrors).toEqual([]);
    // 1 held + 2 sold
    const before = await row(courseId);
    for (const capacity of [2, 1]) {
      const result = await updateCapacity(dataSource, instructor, courseId, capacity);
      expect(result).toEqual({ course: null, userErrors: [{ code: 'CAPACITY_BELOW_TAKEN', field: 'input.capacity', message: expect.any(String) }] });
    }
    expect(await row(courseId)).toEqual(before);
    await expectInvariant(courseId);
  });

  test('raising and lowering keep the invariant; exactly held + sold is allowed; the same capacity is a no-op', async () => {
    const courseId = await newCourse({ capacity: 10 });
    const taken = await Promise.all([reserveOne(courseId), reserveOne(courseId), reserveOne(courseId)]);
    await confirmReservation(dataSource, taken[0]!.key);
    const start = await expectInvariant(courseId);
    expect(start).toMatchObject({ capacity: 10, available: 7, held: 2, sold: 1 });

    const raised = await updateCapacity(dataSource, instructor, courseId, 25);
    expect(raised.userErrors).toEqual([]);
    expect(raised.course).toMatchObject({ capacity: 25, seatsAvailable: 22, seatsHeld: 2, seatsSold: 1 });
    expect(await expectInvariant(courseId)).toEqual({ capacity: 25, available: 22, held: 2, sold: 1, version: start.version + 1 });

    const lowered = await updateCapacity(dataSource, instructor, courseId, 3);
    expect(lowered.userErrors).toEqual([]);
    expect(await expectInvariant(courseId)).toEqual({ capacity: 3, available: 0, held: 2, sold: 1, version: start.version + 2 });

    const same = await updateCapacity(dataSource, instructor, courseId, 3);
    expect(same.userErrors).toEqual([]);
    expect(await expectInvariant(courseId)).toMatchObject({ capacity: 3, version: start.version + 2 });

    // Sold out now: a new reservation is refused, the invariant still holds.
    expect((await reserveOne(courseId)).result.userErrors).toMatchObject([{ code: 'SOLD_OUT' }]);
  });

  test.each([0, -5, 1.5, 100_001])('capacity %p is a VALIDATION user error and changes nothing', async (capacity) => {
    const courseId = await newCourse({ capacity: 4 });
    const before = await row(courseId);
    const result = await updateCapacity(dataSource, instructor, courseId, capacity);
    expect(result.userErrors).toMatchObject([{ code: 'VALIDATION', field: 'input.capacity' }]);
    expect(await row(courseId)).toEqual(before);
  });

  test('a capacity cut waits for the course lock, so it judges the seats a reservation in progress takes: CAPACITY_BELOW_TAKEN, nothing changed', async () => {
    const courseId = await newCourse({ capacity: 10 });
    await reserveOne(courseId);
    await reserveOne(courseId);
    const holder = new Client({ connectionString: databases.urls.course });
    await holder.connect();
    try {
      // Reservations in progress: five more seats held, under the course lock, not yet committed.
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM course WHERE id = $1 FOR UPDATE', [courseId]);
      for (let i = 0; i < 5; i++) {
        await holder.query(
          `INSERT INTO reservation (id, key, course_id, holder_id, status, price_amount, price_currency, expires_at)
           VALUES ($1, $2, $3, $4, 'PENDING', 1000, 'USD', now() + interval '10 minutes')`,
          [randomUUID(), `order-${randomUUID()}`, courseId, randomUUID()],
        );
      }
      await holder.query('UPDATE course SET seats_available = seats_available - 5, seats_held = seats_held + 5 WHERE id = $1', [courseId]);
      // 4 is above the 2 seats committed so far, below the 7 there will be.
      const cut = updateCapacity(dataSource, instructor, courseId, 4);
      // It queues on the course lock before reading the counters.
      const deadline = Date.now() + 15_000;
      for (;;) {
        const { rows } = await db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%FROM "course"%FOR UPDATE%'`,
        );
        if (rows[0].n === 1) break;
        if (Date.now() > deadline) throw new Error('the capacity change never waited on the course lock');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await holder.query('COMMIT');
      expect(await cut).toEqual({
        course: null,
        userErrors: [{ code: 'CAPACITY_BELOW_TAKEN', field: 'input.capacity', message: expect.stringContaining('7 seats') }],
      });
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    expect(await expectInvariant(courseId)).toMatchObject({ capacity: 10, available: 3, held: 7 });
  });

  test('a capacity cut racing 40 reservations: the invariant holds and never more seats are taken than exist', async () => {
    const courseId = await newCourse({ capacity: 20 });
    const [cut, ...reservations] = await Promise.all([
      updateCapacity(dataSource, instructor, courseId, 12),
      ...Array.from({ length: 40 }, () => reserveOne(courseId)),
    ]);
    const held = reservations.filter((r) => r.result.userErrors.length === 0).length;
    const state = await expectInvariant(courseId);
    expect(state.held).toBe(held);
    if (cut!.userErrors.length === 0) {
      expect(state.capacity).toBe(12);
      expect(held).toBe(12);
    } else {
      expect(cut!.userErrors).toMatchObject([{ code: 'CAPACITY_BELOW_TAKEN' }]);
      expect(state.capacity).toBe(20);
      expect(held).toBe(20);
    }
    expect(reservations.filter((r) => r.result.userErrors[0]?.code === 'SOLD_OUT')).toHaveLength(40 - held);
  });
});

describe('publishCourse and archiveCourse', () => {
  test('DRAFT -> PUBLISHED -> ARCHIVED; repeats are no-ops; ARCHIVED -> PUBLISHED is ILLEGAL_TRANSITION', async () => {
    const courseId = await newCourse({}, false);
    const published = await publishCourse(dataSource, instructor, courseId);
    expect(published.userErrors).toEqual([]);
    expect(published.course!.status).toBe('PUBLISHED');
    const afterPublish = await row(courseId);
    expect(afterPublish.status).toBe('PUBLISHED');

    const again = await publishCourse(dataSource, instructor, courseId);
    expect(again.userErrors).toEqual([]);
    expect(again.course!.status).toBe('PUBLISHED');
    expect(await row(courseId)).toEqual(afterPublish);

    const archived = await archiveCourse(dataSource, instructor, courseId);
    expect(archived.userErrors).toEqual([]);
    expect(archived.course!.status).toBe('ARCHIVED');
    const afterArchive = await row(courseId);
    expect(afterArchive.status).toBe('ARCHIVED');

    expect((await archiveCourse(dataSource, instructor, courseId)).userErrors).toEqual([]);
    expect(await row(courseId)).toEqual(afterArchive);

    const republish = await publishCourse(dataSource, instructor, courseId);
    expect(republish).toEqual({ course: null, userErrors: [{ code: 'ILLEGAL_TRANSITION', field: 'input.courseId', message: expect.any(String) }] });
    expect(await row(courseId)).toEqual(afterArchive);
  });

  test('a draft can be archived directly', async () => {
    const courseId = await newCourse({}, false);
    expect((await archiveCourse(dataSource, instructor, courseId)).course!.status).toBe('ARCHIVED');
    expect((await row(courseId)).status).toBe('ARCHIVED');
  });

  test('another instructor gets FORBIDDEN on a published course and changes nothing; an admin may manage it', async () => {
    const courseId = await newCourse({ capacity: 5 });
    const before = await row(courseId);
    const stranger = viewer('INSTRUCTOR');
    await expectGraphQLError(() => publishCourse(dataSource, stranger, courseId), 'FORBIDDEN');
    await expectGraphQLError(() => archiveCourse(dataSource, stranger, courseId), 'FORBIDDEN');
    await expectGraphQLError(() => updatePrice(dataSource, stranger, courseId, { amount: 1, currency: 'USD' }), 'FORBIDDEN');
    await expectGraphQLError(() => updateCapacity(dataSource, stranger, courseId, 50), 'FORBIDDEN');
    expect(await row(courseId)).toEqual(before);

    const admin = viewer('ADMIN');
    expect((await updatePrice(dataSource, admin, courseId, { amount: 2_000, currency: 'USD' })).userErrors).toEqual([]);
    expect((await archiveCourse(dataSource, admin, courseId)).course!.status).toBe('ARCHIVED');
  });

  test("another instructor's draft is NOT_FOUND (invisible) and changes nothing", async () => {
    const courseId = await newCourse({}, false);
    const before = await row(courseId);
    const result = await publishCourse(dataSource, viewer('INSTRUCTOR'), courseId);
    expect(result).toMatchObject({ course: null, userErrors: [{ code: 'NOT_FOUND' }] });
    expect(await row(courseId)).toEqual(before);
  });

  test('a malformed course id is VALIDATION, an unknown one NOT_FOUND', async () => {
    expect((await publishCourse(dataSource, instructor, 'not-a-uuid')).userErrors).toMatchObject([{ code: 'VALIDATION', field: 'input.courseId' }]);
    expect((await archiveCourse(dataSource, instructor, randomUUID())).userErrors).toMatchObject([{ code: 'NOT_FOUND' }]);
  });
});

describe('updateCourse and deleteCourse (issue 12)', () => {
  const long = (n: number) => 'x'.repeat(n);
  test.each<[string, string, { title?: string; description?: string }]>([
    ['empty title', 'input.title', { title: '' }],
    ['blank title', 'input.title', { title: ' \t ' }],
    ['overlong title', 'input.title', { title: long(201) }],
    ['title with a control character', 'input.title', { title: 'Intro\u0007duction' }],
    ['title with a line break', 'input.title', { title: 'Two\nlines' }],
    ['overlong description', 'input.description', { description: long(5_001) }],
    ['description with a bidi override', 'input.description', { description: 'Admin\u202e' }],
  ])('%s is VALIDATION on %s and changes nothing', async (_name, field, fields) => {
    const courseId = await newCourse();
    const before = await row(courseId);
    const result = await updateCourse(dataSource, instructor, { courseId, ...fields });
    expect(result.course).toBeNull();
    expect(result.userErrors.map((e) => [e.code, e.field])).toEqual([['VALIDATION', field]]);
    expect(await row(courseId)).toEqual(before);
  });

  test('the bounds themselves are accepted; fields are trimmed; a field left out or null stays; an empty description clears it', async () => {
    const courseId = await newCourse({ title: 'Original', description: 'Original text.' });
    const titled = await updateCourse(dataSource, instructor, { courseId, title: `  ${long(200)}  `, description: null });
    expect(titled.userErrors).toEqual([]);
    expect(await row(courseId)).toMatchObject({ title: long(200), description: 'Original text.' });
    const described = await updateCourse(dataSource, instructor, { courseId, description: `${long(4_999)}\n` });
    expect(described.course).toMatchObject({ title: long(200), description: long(4_999) });
    expect((await updateCourse(dataSource, instructor, { courseId, description: '' })).course!.description).toBe('');
    expect(await row(courseId)).toMatchObject({ title: long(200), description: '' });
  });

  test("a published course's new title is what the catalog shows at once", async () => {
    const courseId = await newCourse({ title: 'Before the edit' });
    expect((await updateCourse(dataSource, instructor, { courseId, title: 'After the edit' })).userErrors).toEqual([]);
    const [listed] = await loadCourses(dataSource, [courseId]);
    expect(listed!.title).toBe('After the edit');
  });

  test('a draft with a reservation on record is not deleted (archive it instead); without one it is, and only it', async () => {
    const kept = await newCourse({}, false);
    const held = await newCourse({}, false);
    // reserveSeat refuses drafts, so the record is made by hand: the guard must not rely on the status alone.
    await db.query(
      `INSERT INTO reservation (id, key, course_id, holder_id, status, price_amount, price_currency, expires_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'CANCELLED', 1000, 'USD', now(), now(), now())`,
      [randomUUID(), `order-${randomUUID()}`, held, randomUUID()],
    );
    const before = await row(held);
    const refused = await deleteCourse(dataSource, instructor, held);
    expect(refused).toEqual({
      deletedCourseId: null,
      userErrors: [expect.objectContaining({ code: 'ILLEGAL_TRANSITION', field: 'input.courseId' })],
    });
    expect(await row(held)).toEqual(before);

    const count = await courseCount();
    const draft = await newCourse({}, false);
    expect(await deleteCourse(dataSource, instructor, draft)).toEqual({ deletedCourseId: draft, userErrors: [] });
    expect(await row(draft)).toBeUndefined();
    expect(await courseCount()).toBe(count);
    expect(await row(kept)).toBeDefined();
    // Deleting it again: it is gone.
    expect((await deleteCourse(dataSource, instructor, draft)).userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
  });
});

describe('listCourses (the catalog)', () => {
  let catalog: DataSource;
  /** The published ids in catalog order: created_at, then id. */
  let expected: string[];

  beforeAll(async () => {
    catalog = await openDatabase(createCourseDataSource(databases.urls.catalog!, 4));
    const base = Date.parse('2025-01-01T00:00:00.000Z');
    const rows: Course[] = [];
    const published: { id: string; createdAt: Date }[] = [];
    for (let i = 0; i < 25; i++) {
      // Three courses per millisecond, so pages end inside a group of equal timestamps.
      const createdAt = new Date(base + Math.floor(i / 3));
      const id = randomUUID();
      published.push({ id, createdAt });
      rows.push(catalogRow(id, 'PUBLISHED', createdAt));
      // Drafts and archived courses in between, same timestamps: never listed.
      if (i % 4 === 0) rows.push(catalogRow(randomUUID(), 'DRAFT', createdAt));
      if (i % 5 === 0) rows.push(catalogRow(randomUUID(), 'ARCHIVED', createdAt));
    }
    await catalog.getRepository(Course).insert(rows.reverse());
    expected = published
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(({ id }) => id);
  });

  afterAll(() => catalog?.destroy());

  function catalogRow(id: string, status: Course['status'], createdAt: Date): Course {
    return Object.assign(new Course(), {
      id,
      title: `Catalog ${status}`,
      description: '',
      priceAmount: 500,
      priceCurrency: 'USD',
      instructorId: instructor.userId,
      status,
      capacity: 3,
      seatsAvailable: 3,
      seatsHeld: 0,
      seatsSold: 0,
      seatsVersion: 0,
      createdAt,
      updatedAt: createdAt,
    });
  }

  test('first=10 walks all 25 published courses once, in order, with hasNextPage right', async () => {
    const seen: string[] = [];
    const pages: { size: number; hasNextPage: boolean }[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page: Awaited<ReturnType<typeof listCourses>> = await listCourses(catalog, {}, 10, after);
      pages.push({ size: page.edges.length, hasNextPage: page.pageInfo.hasNextPage });
      for (const edge of page.edges) {
        expect(edge.node.status).toBe('PUBLISHED');
        seen.push(edge.node.id);
      }
      if (page.edges.length) expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1]!.cursor);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toEqual([
      { size: 10, hasNextPage: true },
      { size: 10, hasNextPage: true },
      { size: 5, hasNextPage: false },
    ]);
    expect(seen).toEqual(expected);
  });

  test('a page that ends exactly at the last course says hasNextPage false', async () => {
    const all = await listCourses(catalog, {}, 25, null);
    expect(all.edges.map((edge) => edge.node.id)).toEqual(expected);
    expect(all.pageInfo.hasNextPage).toBe(false);
    const past = await listCourses(catalog, {}, 5, all.pageInfo.endCursor);
    expect(past).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: expect.any(Function) });
    expect(await past.totalCount()).toBe(25);
    const first24 = await listCourses(catalog, {}, 24, null);
    expect(first24.pageInfo.hasNextPage).toBe(true);
  });

  test.each([
    ['not base64 of anything', 'not a cursor!'],
    ['random text', Buffer.from('hello world').toString('base64url')],
    ['bad id', Buffer.from('2025-01-01T00:00:00.000Z|not-a-uuid').toString('base64url')],
    ['bad date', Buffer.from(`yesterday|${randomUUID()}`).toString('base64url')],
    ['extra part', Buffer.from(`2025-01-01T00:00:00.000Z|${randomUUID()}|x`).toString('base64url')],
  ])('a bad cursor (%s) is BAD_USER_INPUT', async (_name, cursor) => {
    await expectGraphQLError(() => listCourses(catalog, {}, 10, cursor), 'BAD_USER_INPUT');
  });

  test.each([0, 101, -1, 2.5])('first=%p is BAD_USER_INPUT', async (first) => {
    await expectGraphQLError(() => listCourses(catalog, {}, first, null), 'BAD_USER_INPUT');
  });

  test('first=100 is allowed', async () => {
    expect((await listCourses(catalog, {}, 100, null)).edges).toHaveLength(25);
  });
});

describe('over HTTP', () => {
  let server: RunningServer;
  let url: string;

  beforeAll(async () => {
    server = await startCourseSubgraph(testConfig.course(databases.urls.course!));
    url = `${server.url}/graphql`;
  });

  afterAll(() => server?.stop());

  async function post(query: string, variables: object = {}, as: Viewer | null = null) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(as ? { [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, as) } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] };
  }

  test('_entities resolves Course representations in the order given, null for an unknown id', async () => {
    const a = await newCourse({ title: 'Entity A', capacity: 3 });
    const b = await newCourse({ title: 'Entity B', capacity: 4 });
    await reserveOne(b);
    const unknown = randomUUID();
    const body = await post('query($r: [_Any!]!) { _entities(representations: $r) { ... on Course { id title seatsAvailable } } }', {
      r: [b, unknown, a].map((id) => ({ __typename: 'Course', id })),
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!._entities).toEqual([{ id: b, title: 'Entity B', seatsAvailable: 3 }, null, { id: a, title: 'Entity A', seatsAvailable: 3 }]);
  });

  test('bad paging arguments are BAD_USER_INPUT errors', async () => {
    for (const variables of [{ first: 0 }, { first: 101 }, { first: 5, after: 'garbage' }]) {
      const body = await post('query($first: Int, $after: String) { courses(first: $first, after: $after) { edges { cursor } } }', variables);
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  });

  test("another instructor's publishCourse is a FORBIDDEN error; a bad createCourse a VALIDATION user error", async () => {
    const courseId = await newCourse({}, true);
    const before = await row(courseId);
    const archive = 'mutation($id: ID!) { archiveCourse(input: { courseId: $id }) { course { status } } }';
    const forbidden = await post(archive, { id: courseId }, viewer('INSTRUCTOR'));
    expect(forbidden.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const anonymous = await post(archive, { id: courseId }, null);
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(await row(courseId)).toEqual(before);

    const count = await courseCount();
    const invalid = await post(
      'mutation { createCourse(input: { title: "Zero seats", price: { amount: 100, currency: "USD" }, capacity: 0 }) { course { id } userErrors { code field } } }',
      {},
      instructor,
    );
    expect(invalid.data!.createCourse).toEqual({ course: null, userErrors: [{ code: 'VALIDATION', field: 'input.capacity' }] });
    expect(await courseCount()).toBe(count);
  });

  test('students cannot create courses (FORBIDDEN), anonymous callers are UNAUTHENTICATED; nothing is inserted', async () => {
    const before = await courseCount();
    const create =
      'mutation { createCourse(input: { title: "Not theirs to make", price: { amount: 100, currency: "USD" }, capacity: 5 }) { course { id } } }';
    expect((await post(create, {}, viewer('STUDENT'))).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect((await post(create, {}, null)).errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(await courseCount()).toBe(before);
  });
});
