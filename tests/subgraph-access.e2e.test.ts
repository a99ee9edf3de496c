/**
 * Who may reach a subgraph, and what an entity reference shows (issue 9,
 * item 14): references apply the public fields' visibility rules; in
 * production every subgraph's /graphql answers only requests carrying the
 * gateway's signed assertion (anonymous callers included) or a service
 * credential, while /health and /ready stay open.
 */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { IDENTITY_HEADER, SERVICE_HEADER, signIdentity, signServiceCredential, signUserToken, type Viewer } from '@coursegraph/runtime';
import {
  ArchiveCourseDocument,
  CatalogDocument,
  CourseDocument,
  OrderDocument,
  PlaceOrderDocument,
  SeatsChangedWithCourseDocument,
} from '@coursegraph/client';
import { createCourse, expectSeatInvariant, newUser } from '@coursegraph/devkit/fixtures';
import { postRaw, SECRETS, startStack, type Stack } from '@coursegraph/devkit/stack';
import { collect, connect } from '@coursegraph/devkit/ws';

const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Course { id status title } } }`;
const identity = (viewer: Viewer | null) => ({ [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, viewer) });

const codes = (answer: Awaited<ReturnType<typeof postRaw>>) => answer.body.errors?.map((e) => e.extensions?.code);

describe('entity references apply the same visibility as the public fields (development stack)', () => {
  let stack: Stack;
  let draft: Awaited<ReturnType<typeof createCourse>>;
  beforeAll(async () => {
    stack = await startStack();
    draft = await createCourse(stack, { publish: false });
  });
  afterAll(() => stack?.stop());

  const reference = () => ({ r: [{ __typename: 'Course', id: draft.id }] });

  test.each([
    ['no identity at all (dev convenience: served as anonymous)', () => ({})],
    ['an anonymous gateway assertion', () => identity(null)],
    ['a student', () => identity(newUser('STUDENT'))],
    ['another instructor', () => identity(newUser('INSTRUCTOR'))],
  ])("a draft course's reference on the course subgraph's own port, with %s: null", async (_label, headers) => {
    const answer = await postRaw(stack.courseUrl, ENTITIES, reference(), headers());
    expect(answer.body).toEqual({ data: { _entities: [null] } });
  });

  test.each([
    ['its instructor', () => identity(draft.instructor)],
    ['an admin', () => identity(newUser('ADMIN'))],
  ])("a draft course's reference with %s: the course", async (_label, headers) => {
    const answer = await postRaw(stack.courseUrl, ENTITIES, reference(), headers());
    expect(answer.body).toEqual({ data: { _entities: [{ id: draft.id, status: 'DRAFT', title: draft.title }] } });
  });

  test("a student's order of a course archived later still shows the course (references from visible orders)", async () => {
    const course = await createCourse(stack, { capacity: 2 });
    const student = newUser('STUDENT');
    const placed = await stack.call(
      PlaceOrderDocument,
      { input: { courseId: course.id, expectedPrice: course.price, idempotencyKey: `archived-${randomUUID()}` } },
      student,
    );
    const orderId = placed.data!.placeOrder.order!.id;
    const archived = await stack.call(ArchiveCourseDocument, { input: { courseId: course.id } }, course.instructor);
    expect(archived.data?.archiveCourse.course?.status).toBe('ARCHIVED');
    const order = await stack.call(OrderDocument, { id: orderId }, student);
    expect(order.errors).toBeUndefined();
    expect(order.data?.order?.course).toMatchObject({ id: course.id, title: course.title });
    // course(id) keeps hiding an archived course from strangers.
    expect((await stack.call(CourseDocument, { id: course.id }, student)).data?.course).toBeNull();
  });

  test('an upper-case id in a reference names the same course', async () => {
    const answer = await postRaw(
      stack.courseUrl,
      ENTITIES,
      { r: [{ __typename: 'Course', id: draft.id.toUpperCase() }] },
      identity(draft.instructor),
    );
    expect(answer.body).toEqual({ data: { _entities: [{ id: draft.id, status: 'DRAFT', title: draft.title }] } });
  });
});

describe('in production, subgraphs answer only the gateway and services', () => {
  let stack: Stack;
  let course: Awaited<ReturnType<typeof createCourse>>;
  const production = { production: true };
  beforeAll(async () => {
    stack = await startStack({ accounts: production, course: production, order: production, gateway: production });
    course = await createCourse(stack, { capacity: 3 });
  });
  afterAll(() => stack?.stop());

  const NAMES = ['accounts', 'course', 'order'] as const;
  const urlOf = (name: (typeof NAMES)[number]) => ({ accounts: stack.accountsUrl, course: stack.courseUrl, order: stack.orderUrl })[name];
  const subgraphs = () => NAMES.map((name) => [name, urlOf(name)] as const);
  const admin = newUser('ADMIN');
  const expired = () =>
    jwt.sign({ roles: ['ADMIN'], exp: Math.floor(Date.now() / 1000) - 60 }, SECRETS.subgraphSecret, {
      algorithm: 'HS256',
      issuer: 'coursegraph',
      audience: 'coursegraph-subgraph',
      subject: admin.userId,
    });
  /** A token of `audience` with exactly the `iat` / `exp` given: none for no exp, or far longer than our signers issue. */
  const timed = (secret: string, audience: string, subject: string, times: { iat?: number; exp?: number }) =>
    jwt.sign({ roles: ['ADMIN'], ...times }, secret, { algorithm: 'HS256', issuer: 'coursegraph', audience, subject });
  const inTenYears = () => Math.floor(Date.now() / 1000) + 10 * 365 * 24 * 3600;
  const refused: [string, () => Record<string, string>][] = [
    ['no credential at all', () => ({})],
    ['an assertion without exp', () => ({ [IDENTITY_HEADER]: timed(SECRETS.subgraphSecret, 'coursegraph-subgraph', admin.userId, {}) })],
    [
      'an assertion valid for ten years',
      () => ({ [IDENTITY_HEADER]: timed(SECRETS.subgraphSecret, 'coursegraph-subgraph', admin.userId, { exp: inTenYears() }) }),
    ],
    ['a service credential without exp', () => ({ [SERVICE_HEADER]: timed(SECRETS.serviceSecret, 'coursegraph-service', 'service:order', {}) })],
    [
      'a service credential valid for ten years',
      () => ({ [SERVICE_HEADER]: timed(SECRETS.serviceSecret, 'coursegraph-service', 'service:order', { exp: inTenYears() }) }),
    ],
    ['an assertion signed with another secret', () => ({ [IDENTITY_HEADER]: signIdentity('another-secret-0123456789abcdef0123456789', admin) })],
    ['an expired assertion', () => ({ [IDENTITY_HEADER]: expired() })],
    ["a user's access token as the assertion (another audience)", () => ({ [IDENTITY_HEADER]: signUserToken(SECRETS.jwtSecret, admin) })],
    ["a user's access token as the service credential", () => ({ [SERVICE_HEADER]: signUserToken(SECRETS.jwtSecret, admin) })],
    ['an assertion as the service credential', () => ({ [SERVICE_HEADER]: signIdentity(SECRETS.subgraphSecret, admin) })],
  ];

  describe.each(refused)('with %s', (_label, headers) => {
    test.each(NAMES.map((name) => [name]))('%s answers 401 UNAUTHENTICATED and runs nothing', async (name) => {
      const answer = await postRaw(urlOf(name), ENTITIES, { r: [{ __typename: 'Course', id: course.id }] }, headers());
      expect({ status: answer.status, codes: codes(answer), data: answer.body.data ?? null }).toEqual({
        status: 401,
        codes: ['UNAUTHENTICATED'],
        data: null,
      });
      expect(answer.text).not.toMatch(/\bat \S+ \(|node_modules/);
    });
  });

  test.each([
    ['an anonymous gateway assertion', () => identity(null)],
    ["a user's gateway assertion", () => identity(newUser('STUDENT'))],
    ['a service credential', () => ({ [SERVICE_HEADER]: signServiceCredential(SECRETS.serviceSecret, 'order') })],
  ])('every subgraph answers a request with %s', async (_label, headers) => {
    for (const [, url] of subgraphs()) {
      const answer = await postRaw(url, '{ __typename }', {}, headers());
      expect({ url, status: answer.status, body: answer.body }).toEqual({ url, status: 200, body: { data: { __typename: 'Query' } } });
    }
  });

  test('/health and /ready stay open', async () => {
    for (const [, url] of subgraphs()) {
      expect((await fetch(new URL('/health', url))).status).toBe(200);
      expect((await fetch(new URL('/ready', url))).status).toBe(200);
    }
  });

  test('through the gateway: an anonymous catalog read, an order (gateway -> order -> course with the service credential)', async () => {
    const catalog = await stack.call(CatalogDocument, { first: 100 }, null);
    expect(catalog.errors).toBeUndefined();
    expect(catalog.data?.courses.edges.map((e) => e.node.id)).toContain(course.id);
    const placed = await stack.call(
      PlaceOrderDocument,
      { input: { courseId: course.id, expectedPrice: course.price, idempotencyKey: `prod-${randomUUID()}` } },
      newUser('STUDENT'),
    );
    expect(placed.data?.placeOrder.userErrors).toEqual([]);
    expect(placed.data?.placeOrder.order?.status).toBe('CONFIRMED');
    await expectSeatInvariant(stack, course.id);
  });

  test('through the gateway: an anonymous subscription with fields of another subgraph', async () => {
    const client = connect(stack.gatewayUrl);
    try {
      const events = collect(client, SeatsChangedWithCourseDocument, { courseIds: [course.id] });
      const [current] = await events.until(1, 20_000);
      expect(current?.errors).toBeUndefined();
      expect(current?.data?.seatsChanged).toMatchObject({ courseId: course.id, reason: 'CURRENT', course: { id: course.id } });
      expect(typeof current?.data?.seatsChanged.course.enrollmentCount).toBe('number');
      events.unsubscribe();
    } finally {
      await client.dispose();
    }
  });

  // The gateway's assertions live a minute; a subscription's events must keep resolving after that.
  test('subscriptions, anonymous and signed in, keep their federated fields after the first minute', async () => {
    const subscriber = newUser('STUDENT');
    const clients = [connect(stack.gatewayUrl), connect(stack.gatewayUrl, { authorization: `Bearer ${stack.token(subscriber)}` })];
    try {
      const streams = clients.map((client) => collect(client, SeatsChangedWithCourseDocument, { courseIds: [course.id] }));
      for (const events of streams) await events.until(1, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 62_000));
      const placed = await stack.call(
        PlaceOrderDocument,
        { input: { courseId: course.id, expectedPrice: course.price, idempotencyKey: `late-${randomUUID()}` } },
        newUser('STUDENT'),
      );
      expect(placed.data?.placeOrder.order?.status).toBe('CONFIRMED');
      for (const events of streams) {
        const all = await events.until(2, 20_000);
        expect(all.map((e) => e.errors)).toEqual(all.map(() => undefined));
        expect(all.at(-1)?.data?.seatsChanged).toMatchObject({ reason: 'PURCHASED', course: { id: course.id } });
        events.unsubscribe();
      }
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
    }
  }, 150_000);
});
