/**
 * The gateway as the one public door: internal seat operations are not part
 * of the public API whatever a client sends, client headers never reach the
 * subgraphs, bad tokens are refused with 401, health and readiness answer,
 * the Sandbox landing page is served, and unexpected errors are masked.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { print, type DocumentNode } from 'graphql';
import {
  IDENTITY_HEADER,
  SERVICE_HEADER,
  signIdentity,
  signServiceCredential,
  signUserToken,
  type RunningServer,
  type Viewer,
} from '@coursegraph/runtime';
import {
  CatalogDocument,
  CourseDocument,
  CreateCourseDocument,
  OrderDocument,
  PlaceOrderDocument,
  UpdateCoursePriceDocument,
} from '@coursegraph/client';
import { startCourseSubgraph } from '@coursegraph/course';
import { createCourseClient } from '@coursegraph/order';
import { startGateway } from '@coursegraph/gateway';
import { createTestDatabases, type TestDatabases } from '@coursegraph/devkit/databases';
import { createCourse, expectSeatInvariant, newUser } from '@coursegraph/devkit/fixtures';
import { bearer, graphql, postRaw, SECRETS, startStack, testConfig, type Stack } from '@coursegraph/devkit/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const base = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '');
const USD = (amount = 1_000) => ({ amount, currency: 'USD' });

function expectNothingInternal(text: string): void {
  expect(text).not.toMatch(/stacktrace/i);
  expect(text).not.toMatch(/QueryFailedError|TypeORM|node_modules|\.ts:\d+|\.js:\d+|ECONNREFUSED|127\.0\.0\.1|localhost/);
  expect(text).not.toMatch(/\\n\s*at |\bat \S+ \(.*:\d+:\d+\)/);
  expect(text).not.toMatch(/\b(SELECT\s.+\sFROM|INSERT INTO|UPDATE "?\w+"? SET|DELETE FROM|ALTER TABLE)\b/i);
  expect(text).not.toMatch(/relation "|does not exist|violates|syntax error at|course_gone|orders_gone/i);
}

async function reservationRows(db = stack.courseDb) {
  return (await db.query('SELECT * FROM reservation ORDER BY id')).rows;
}

async function courseRows(db = stack.courseDb) {
  return (await db.query('SELECT * FROM course ORDER BY id')).rows;
}

const RESERVE = `mutation Reserve($input: ReserveSeatInput!) {
  reserveSeat(input: $input) { reservation { id key status } userErrors { code field } }
}`;
const CONFIRM = `mutation Confirm($input: ReservationKeyInput!) {
  confirmReservation(input: $input) { reservation { id key status } userErrors { code field } }
}`;
const CANCEL = `mutation Cancel($input: CancelReservationInput!) {
  cancelReservation(input: $input) { reservation { id key status } userErrors { code field } }
}`;
const FIND = `query Find($key: String!) { reservation(key: $key) { id key status courseId } }`;

describe('internal seat operations are not in the public API', () => {
  let courseId: string;
  let pendingKey: string;

  beforeAll(async () => {
    courseId = (await createCourse(stack, { capacity: 5 })).id;
    pendingKey = `pending-${randomUUID()}`;
    const reserved = await stack.callCourseAsService<{ reserveSeat: { reservation: { status: string } } }>(RESERVE, {
      input: { courseId, expectedPrice: USD(), key: pendingKey, holderId: randomUUID() },
    });
    expect(reserved.data?.reserveSeat.reservation.status).toBe('PENDING');
  });

  /** [name, operation, variables, what the validation error must say]. */
  const operations = (): [string, string, object, RegExp][] => [
    [
      'reserveSeat',
      RESERVE,
      { input: { courseId, expectedPrice: USD(), key: `gw-${randomUUID()}`, holderId: randomUUID() } },
      /reserveSeat|ReserveSeatInput/,
    ],
    ['confirmReservation', CONFIRM, { input: { key: pendingKey } }, /confirmReservation|ReservationKeyInput/],
    ['cancelReservation', CANCEL, { input: { key: pendingKey } }, /cancelReservation|CancelReservationInput/],
    ['reservation query', FIND, { key: pendingKey }, /Cannot query field "reservation"/],
    [
      'the Reservation type in a fragment',
      `query ($id: ID!) { course(id: $id) { id } } fragment R on Reservation { key status }`,
      { id: courseId },
      /Unknown type "Reservation"/,
    ],
    [
      'the ReservationKeyInput type as a variable',
      `query ($k: ReservationKeyInput!) { course(id: "${randomUUID()}") { id } }`,
      { k: { key: 'x' } },
      /Unknown type "ReservationKeyInput"/,
    ],
    ['_entities', `{ _entities(representations: [{ __typename: "Course", id: "${randomUUID()}" }]) { __typename } }`, {}, /_entities/],
    ['_service', `{ _service { sdl } }`, {}, /_service/],
  ];

  const senders: [string, () => Record<string, string>][] = [
    ['anonymously', () => ({})],
    ['with a valid student token', () => bearer(stack.token(newUser('STUDENT')))],
    ['with a valid admin token', () => bearer(stack.token(newUser('ADMIN')))],
    ['with a validly signed service credential header', () => ({ [SERVICE_HEADER]: signServiceCredential(SECRETS.serviceSecret, 'order') })],
    [
      'with an admin token, a service credential and a validly signed admin identity header',
      () => {
        const admin = newUser('ADMIN');
        return {
          ...bearer(stack.token(admin)),
          [SERVICE_HEADER]: signServiceCredential(SECRETS.serviceSecret, 'order'),
          [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, admin),
        };
      },
    ],
  ];

  test.each(senders)('refused by validation through the gateway %s', async (_label, headers) => {
    const reservationsBefore = await reservationRows();
    const coursesBefore = await courseRows();
    for (const [name, query, variables, says] of operations()) {
      const response = await postRaw(stack.gatewayUrl, query, variables, headers());
      expect({ name, messages: response.body.errors?.map((e) => e.message).join(' | ') }).toEqual({ name, messages: expect.stringMatching(says) });
      const codes = new Set(response.body.errors?.map((e) => e.extensions?.code));
      expect({ name, status: response.status, codes }).toEqual({ name, status: 400, codes: new Set(['GRAPHQL_VALIDATION_FAILED']) });
      expect(response.body.data).toBeUndefined();
      expectNothingInternal(response.text);
    }
    expect(await reservationRows()).toEqual(reservationsBefore);
    expect(await courseRows()).toEqual(coursesBefore);
  });

  test('introspection through the gateway does not show internal types or fields', async () => {
    const response = await postRaw(
      stack.gatewayUrl,
      `{ reservation: __type(name: "Reservation") { name } status: __type(name: "ReservationStatus") { name }
         input: __type(name: "ReserveSeatInput") { name }
         mutation: __type(name: "Mutation") { fields { name } } query: __type(name: "Query") { fields { name } } }`,
    );
    expect(response.status).toBe(200);
    const data = response.body.data as Record<string, { fields?: { name: string }[] } | null>;
    expect([data.reservation, data.status, data.input]).toEqual([null, null, null]);
    const mutations = data.mutation!.fields!.map((f) => f.name);
    const queries = data.query!.fields!.map((f) => f.name);
    expect(mutations).toEqual(expect.arrayContaining(['createCourse', 'placeOrder']));
    expect(mutations).not.toEqual(expect.arrayContaining(['reserveSeat']));
    expect(mutations.filter((f) => /reserv/i.test(f))).toEqual([]);
    expect(queries.filter((f) => /reserv|_entities|_service/i.test(f))).toEqual([]);
  });

  test('the same calls work on the course subgraph with the service credential (the refusal is not an accident of the query)', async () => {
    const found = await stack.callCourseAsService<{ reservation: { status: string } }>(FIND, { key: pendingKey });
    expect(found.data?.reservation.status).toBe('PENDING');
    expect(await expectCourseMatchesReservations(courseId)).toMatchObject({ held: 1 });
  });

  describe('the course subgraph called directly refuses internal operations without the service credential', () => {
    const admin = newUser('ADMIN');
    const callers: [string, () => Record<string, string>, string][] = [
      ['no credential at all', () => ({}), 'FORBIDDEN'],
      ['a valid gateway-signed identity of an admin', () => ({ [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, admin) }), 'FORBIDDEN'],
      ["a user's bearer token", () => bearer(signUserToken(SECRETS.jwtSecret, admin)), 'FORBIDDEN'],
      [
        'an identity assertion sent as the service credential',
        () => ({ [SERVICE_HEADER]: signIdentity(SECRETS.subgraphSecret, admin) }),
        'UNAUTHENTICATED',
      ],
      [
        'a service credential signed with another secret',
        () => ({ [SERVICE_HEADER]: signServiceCredential('another-secret-0123456789abcdef0123456789', 'order') }),
        'UNAUTHENTICATED',
      ],
      [
        'a service credential signed with the identity secret',
        () => ({ [SERVICE_HEADER]: signServiceCredential(SECRETS.subgraphSecret, 'order') }),
        'UNAUTHENTICATED',
      ],
      [
        'an expired service credential',
        () => ({
          [SERVICE_HEADER]: jwt.sign({ exp: Math.floor(Date.now() / 1000) - 60 }, SECRETS.serviceSecret, {
            algorithm: 'HS256',
            issuer: 'coursegraph',
            audience: 'coursegraph-service',
            subject: 'service:order',
          }),
        }),
        'UNAUTHENTICATED',
      ],
      [
        'an unsigned (alg: none) service credential',
        () => ({ [SERVICE_HEADER]: unsignedToken({ sub: 'service:order', aud: 'coursegraph-service' }) }),
        'UNAUTHENTICATED',
      ],
    ];

    /** What each refused operation answers as `data`: the mutations' fields are non-null, so their data is null. */
    const refusedData: Record<string, unknown> = {
      reserveSeat: null,
      confirmReservation: null,
      cancelReservation: null,
      'reservation query': { reservation: null },
    };

    test.each(callers)('with %s', async (_label, headers, code) => {
      const reservationsBefore = await reservationRows();
      const coursesBefore = await courseRows();
      for (const [name, query, variables] of operations().slice(0, 4)) {
        const response = await postRaw(stack.courseUrl, query, variables, headers());
        expect({ name, codes: response.body.errors?.map((e) => e.extensions?.code) }).toEqual({ name, codes: [code] });
        // A credential that fails verification refuses the whole request (401, no data at all); a verified
        // caller that is not the service is refused by the operation (200, its data null).
        const refusedWhole = code === 'UNAUTHENTICATED';
        expect({ name, status: response.status, hasData: 'data' in response.body, data: response.body.data }).toEqual({
          name,
          status: refusedWhole ? 401 : 200,
          hasData: !refusedWhole,
          data: refusedWhole ? undefined : refusedData[name],
        });
        expectNothingInternal(response.text);
      }
      expect(await reservationRows()).toEqual(reservationsBefore);
      expect(await courseRows()).toEqual(coursesBefore);
    });
  });
});

describe("the order subgraph's service credential", () => {
  // Only Date is faked: the whole process (the course subgraph's verification included) sees the moved clock, timers and I/O run as usual.
  beforeEach(() =>
    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    }),
  );
  afterEach(() => jest.useRealTimers());

  test('its course client renews the credential on its own: calls still pass the course subgraph 6 and 60 minutes later', async () => {
    const client = createCourseClient({ url: stack.courseUrl, serviceSecret: SECRETS.serviceSecret, timeoutMs: 5_000, deadlineMs: 10_000 });
    try {
      const start = Date.now();
      expect(await client.findReservation(`none-${randomUUID()}`)).toBeNull();
      // Past the five-minute lifetime of the first credential, then far past it.
      for (const minutes of [6, 60]) {
        jest.setSystemTime(start + minutes * 60 * 1000);
        expect(await client.findReservation(`none-${randomUUID()}`)).toBeNull();
      }
      // The control: the first credential itself is refused by then.
      const stale = await postRaw(
        stack.courseUrl,
        FIND,
        { key: 'x' },
        {
          [SERVICE_HEADER]: jwt.sign({ iat: Math.floor(start / 1000), exp: Math.floor(start / 1000) + 300 }, SECRETS.serviceSecret, {
            algorithm: 'HS256',
            issuer: 'coursegraph',
            audience: 'coursegraph-service',
            subject: 'service:order',
          }),
        },
      );
      expect(stale.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    } finally {
      client.close();
    }
  });
});

describe('client headers never reach the subgraphs', () => {
  const adminIdentity = () => ({ [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, newUser('ADMIN')) });
  const serviceHeader = () => ({ [SERVICE_HEADER]: signServiceCredential(SECRETS.serviceSecret, 'order') });

  test('a validly signed identity header works on the subgraph itself (so the gateway tests below mean something)', async () => {
    const response = await graphql(
      stack.courseUrl,
      CreateCourseDocument,
      { input: { title: 'Made with a direct identity', price: USD(), capacity: 1 } },
      adminIdentity(),
    );
    expect(response.data?.createCourse.course?.title).toBe('Made with a direct identity');
  });

  test.each([
    ['an identity header claiming ADMIN', adminIdentity],
    ['a service credential header', serviceHeader],
    ['both', () => ({ ...adminIdentity(), ...serviceHeader() })],
  ])('anonymous with %s: createCourse and placeOrder are UNAUTHENTICATED and nothing is stored', async (_label, headers) => {
    const course = await createCourse(stack, { capacity: 2 });
    const coursesBefore = await courseRows();
    const ordersBefore = (await stack.orderDb.query('SELECT * FROM orders ORDER BY id')).rows;
    const created = await graphql(stack.gatewayUrl, CreateCourseDocument, { input: { title: 'Forged', price: USD(), capacity: 1 } }, headers());
    expect(created.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(created.data).toBeNull();
    const ordered = await graphql(
      stack.gatewayUrl,
      PlaceOrderDocument,
      { input: { courseId: course.id, expectedPrice: USD(), idempotencyKey: `key-${randomUUID()}` } },
      headers(),
    );
    expect(ordered.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(await courseRows()).toEqual(coursesBefore);
    expect((await stack.orderDb.query('SELECT * FROM orders ORDER BY id')).rows).toEqual(ordersBefore);
    await expectSeatInvariant(stack, course.id);
  });

  test("a student's token plus an identity header claiming ADMIN is still a student: createCourse is FORBIDDEN", async () => {
    const student = newUser('STUDENT');
    const response = await graphql(
      stack.gatewayUrl,
      CreateCourseDocument,
      { input: { title: 'Forged', price: USD(), capacity: 1 } },
      { ...bearer(stack.token(student)), ...adminIdentity() },
    );
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  test("an instructor claiming, by identity header, to be another course's instructor cannot reprice it or see its draft", async () => {
    const owner = newUser('INSTRUCTOR');
    const published = await createCourse(stack, { instructor: owner, amount: 1_000 });
    const draft = await createCourse(stack, { instructor: owner, publish: false });
    const impostor = newUser('INSTRUCTOR');
    const headers = { ...bearer(stack.token(impostor)), [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, owner) };
    const repriced = await graphql(stack.gatewayUrl, UpdateCoursePriceDocument, { input: { courseId: published.id, price: USD(1) } }, headers);
    expect(repriced.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    // A draft is invisible to strangers: no error, just no course.
    const seen = await graphql(stack.gatewayUrl, CourseDocument, { id: draft.id }, headers);
    expect(seen).toEqual({ status: 200, data: { course: null } });
    const anonymous = await graphql(
      stack.gatewayUrl,
      CourseDocument,
      { id: draft.id },
      { [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, owner) },
    );
    expect(anonymous).toEqual({ status: 200, data: { course: null } });
    const price = await stack.courseDb.query('SELECT price_amount FROM course WHERE id = $1', [published.id]);
    expect(price.rows[0].price_amount).toBe(1_000);
  });

  test("an identity header claiming to be a student does not show that student's order to anyone else", async () => {
    const course = await createCourse(stack);
    const student = newUser('STUDENT');
    const placed = await stack.call(
      PlaceOrderDocument,
      { input: { courseId: course.id, expectedPrice: USD(), idempotencyKey: `key-${randomUUID()}` } },
      student,
    );
    const orderId = placed.data!.placeOrder.order!.id;
    const asStudent = { [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, student) };
    const anonymous = await graphql(stack.gatewayUrl, OrderDocument, { id: orderId }, asStudent);
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.data).toEqual({ order: null });
    const other = await graphql(stack.gatewayUrl, OrderDocument, { id: orderId }, { ...bearer(stack.token(newUser('STUDENT'))), ...asStudent });
    expect(other.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(other.data).toEqual({ order: null });
  });
});

// ---------------------------------------------------------------------------
// Tokens.

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** An `alg: none` token, crafted by hand: header.payload. with no signature. */
function unsignedToken(claims: object): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ iss: 'coursegraph', iat: now(), exp: now() + 600, ...claims })}.`;
}

function userToken(
  viewer: Viewer,
  overrides: { secret?: string; audience?: string; issuer?: string; algorithm?: jwt.Algorithm; claims?: object } = {},
) {
  return jwt.sign({ roles: viewer.roles, ...overrides.claims }, overrides.secret ?? SECRETS.jwtSecret, {
    algorithm: overrides.algorithm ?? 'HS256',
    issuer: overrides.issuer ?? 'coursegraph',
    audience: overrides.audience ?? 'coursegraph-api',
    subject: viewer.userId,
    expiresIn: 600,
  });
}

const TEN_YEARS = 10 * 365 * 24 * 3600;

/** A user token with exactly the `iat` / `exp` given (jsonwebtoken adds only `iat` when none is given). */
function timedUserToken(viewer: Viewer, times: { iat?: number; exp?: number }): string {
  return jwt.sign({ roles: viewer.roles, ...times }, SECRETS.jwtSecret, {
    algorithm: 'HS256',
    issuer: 'coursegraph',
    audience: 'coursegraph-api',
    subject: viewer.userId,
  });
}

describe('tokens at the gateway', () => {
  const admin = newUser('ADMIN');
  const valid = () => userToken(admin);

  const badAuthorizations: [string, () => string][] = [
    [
      'an expired token',
      () =>
        jwt.sign({ roles: admin.roles, exp: now() - 60 }, SECRETS.jwtSecret, {
          algorithm: 'HS256',
          issuer: 'coursegraph',
          audience: 'coursegraph-api',
          subject: admin.userId,
        }),
    ],
    [
      'a tampered signature',
      () => {
        const [header, payload, signature] = valid().split('.');
        const flipped = (signature![0] === 'A' ? 'B' : 'A') + signature!.slice(1);
        return `${header}.${payload}.${flipped}`;
      },
    ],
    [
      'a tampered payload (student token rewritten to ADMIN, old signature)',
      () => {
        const student = newUser('STUDENT');
        const [header, , signature] = userToken(student).split('.');
        return `${header}.${b64url({ roles: ['ADMIN'], iss: 'coursegraph', aud: 'coursegraph-api', sub: student.userId, iat: now(), exp: now() + 600 })}.${signature}`;
      },
    ],
    ['the wrong audience (a gateway identity assertion)', () => signIdentity(SECRETS.subgraphSecret, admin)],
    ['the wrong audience, right secret', () => userToken(admin, { audience: 'coursegraph-subgraph' })],
    ['a service credential', () => signServiceCredential(SECRETS.jwtSecret, 'order')],
    ['the wrong issuer', () => userToken(admin, { issuer: 'evil' })],
    ['alg: none', () => unsignedToken({ sub: admin.userId, aud: 'coursegraph-api', roles: ['ADMIN'] })],
    [
      'alg: none with a valid signature kept',
      () => `${unsignedToken({ sub: admin.userId, aud: 'coursegraph-api', roles: ['ADMIN'] })}${valid().split('.')[2]}`,
    ],
    ['HS512 with the right secret', () => userToken(admin, { algorithm: 'HS512' })],
    ['signed with another secret', () => userToken(admin, { secret: 'another-secret-0123456789abcdef0123456789' })],
    [
      'a subject that is not a user id',
      () =>
        jwt.sign({ roles: ['ADMIN'] }, SECRETS.jwtSecret, {
          algorithm: 'HS256',
          issuer: 'coursegraph',
          audience: 'coursegraph-api',
          subject: 'admin',
          expiresIn: 600,
        }),
    ],
    ['an unknown role', () => userToken(admin, { claims: { roles: ['ROOT'] } })],
    ['a token without exp (otherwise valid forever)', () => timedUserToken(admin, {})],
    ['a token valid for ten years', () => timedUserToken(admin, { exp: now() + TEN_YEARS })],
    ['a token issued in ten years, for a minute from then', () => timedUserToken(admin, { iat: now() + TEN_YEARS, exp: now() + TEN_YEARS + 60 })],
    ['not a JWT', () => 'not-a-jwt'],
  ].map(([label, token]) => [label as string, () => `Bearer ${(token as () => string)()}`] as [string, () => string]);
  badAuthorizations.push(
    ['"Bearer" alone', () => 'Bearer'],
    ['"Bearer " and nothing', () => 'Bearer '],
    ['"Basic x"', () => 'Basic x'],
    ['a token without "Bearer"', () => valid()],
    ['two tokens', () => `Bearer ${valid()} ${valid()}`],
  );

  test('a valid token is accepted (control)', async () => {
    const response = await postRaw(
      stack.gatewayUrl,
      '{ courses(first: 1) { pageInfo { hasNextPage } } }',
      {},
      { authorization: `Bearer ${valid()}` },
    );
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    const created = await graphql(
      stack.gatewayUrl,
      CreateCourseDocument,
      { input: { title: 'Token control', price: USD(), capacity: 1 } },
      { authorization: `Bearer ${valid()}` },
    );
    expect(created.data?.createCourse.course?.instructorId).toBe(admin.userId);
  });

  test.each([['bearer'], ['BEARER'], ['bEaReR']])('the scheme is case-insensitive (RFC 7235): "%s <token>" is accepted', async (scheme) => {
    const created = await graphql(
      stack.gatewayUrl,
      CreateCourseDocument,
      { input: { title: 'Scheme case', price: USD(), capacity: 1 } },
      { authorization: `${scheme} ${valid()}` },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.createCourse.course?.instructorId).toBe(admin.userId);
  });

  test.each(badAuthorizations)('%s: HTTP 401 UNAUTHENTICATED, no data, for a public query and a mutation', async (_label, authorization) => {
    const coursesBefore = await courseRows();
    for (const [query, variables] of [
      ['query { courses(first: 1) { pageInfo { hasNextPage } } }', {}],
      [
        'mutation ($input: CreateCourseInput!) { createCourse(input: $input) { course { id } userErrors { code } } }',
        { input: { title: 'Should not exist', price: USD(), capacity: 1 } },
      ],
    ] as const) {
      const response = await postRaw(stack.gatewayUrl, query, variables, { authorization: authorization() });
      expect(response.status).toBe(401);
      expect(response.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'UNAUTHENTICATED', requestId: expect.any(String) }]);
      expect(response.body).not.toHaveProperty('data');
      expectNothingInternal(response.text);
    }
    expect(await courseRows()).toEqual(coursesBefore);
  });
});

// ---------------------------------------------------------------------------
// Health, readiness and the landing page.

describe('health and readiness', () => {
  test.each([
    ['gateway', () => base(stack.gatewayUrl)],
    ['course', () => base(stack.courseUrl)],
    ['order', () => base(stack.orderUrl)],
  ])('%s answers /health and /ready with JSON 200', async (service, url) => {
    const health = await fetch(`${url()}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/application\/json/);
    expect(await health.json()).toMatchObject({ status: 'ok', service });
    const ready = await fetch(`${url()}/ready`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await ready.json()) as { status: string; checks: Record<string, string> };
    expect(body).toMatchObject({ status: 'ready', service });
    expect(Object.values(body.checks).length).toBeGreaterThan(0);
    expect(Object.values(body.checks).every((v) => v === 'ok')).toBe(true);
  });

  describe('with a course subgraph that stops', () => {
    let databases: TestDatabases;
    let course: RunningServer | undefined;
    let gateway: RunningServer;

    beforeAll(async () => {
      databases = await createTestDatabases('course');
      course = await startCourseSubgraph(testConfig.course(databases.urls.course!));
      gateway = await startGateway(testConfig.gateway({ accounts: stack.accountsUrl, course: `${course.url}/graphql`, order: stack.orderUrl }));
    });
    afterAll(async () => {
      await gateway?.stop();
      await course?.stop().catch(() => undefined);
      await databases?.drop();
    });

    test('the gateway turns 503 naming the stopped subgraph, and a query through it is SERVICE_UNAVAILABLE (retryable), not a bug', async () => {
      const before = await fetch(`${gateway.url}/ready`);
      expect(before.status).toBe(200);
      expect(await before.json()).toEqual({ status: 'ready', service: 'gateway', checks: { accounts: 'ok', course: 'ok', order: 'ok' } });

      await course!.stop();
      const after = await fetch(`${gateway.url}/ready`);
      expect(after.status).toBe(503);
      expect(after.headers.get('content-type')).toMatch(/application\/json/);
      expect(await after.json()).toEqual({
        status: 'unavailable',
        service: 'gateway',
        checks: { accounts: 'ok', course: 'unavailable', order: 'ok' },
      });
      const health = await fetch(`${gateway.url}/health`);
      expect(health.status).toBe(200);

      const response = await postRaw(`${gateway.url}/graphql`, '{ courses(first: 1) { edges { cursor } } }');
      expect(response.body.errors?.map((e) => ({ message: e.message, extensions: e.extensions }))).toEqual([
        {
          message: expect.stringMatching(/unavailable/i),
          extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: expect.any(String) },
        },
      ]);
      expectNothingInternal(response.text);
    });
  });
});

describe('a subgraph answering an HTTP status of an outage', () => {
  let status = 503;
  let fake: http.Server;
  let gateway: RunningServer;

  beforeAll(async () => {
    // Answers every request with `status`, as a paused, overloaded or restarting subgraph (or a proxy before it) does.
    fake = http.createServer((_req, res) => res.writeHead(status, { 'content-type': 'text/plain' }).end(''));
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const { port } = fake.address() as AddressInfo;
    gateway = await startGateway(
      testConfig.gateway({ accounts: stack.accountsUrl, course: `http://127.0.0.1:${port}/graphql`, order: stack.orderUrl }),
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    await new Promise((resolve) => fake?.close(resolve));
  });

  // 408: the subgraph's server gave up waiting for a request that reached it late (it was paused); nothing ran.
  test.each([408, 429, 502, 503, 504])('%i is SERVICE_UNAVAILABLE (retryable), not a bug', async (answered) => {
    status = answered;
    const response = await postRaw(`${gateway.url}/graphql`, '{ courses(first: 1) { edges { cursor } } }');
    expect(response.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: expect.any(String) }]);
    expectNothingInternal(response.text);
  });
});

describe('a subgraph that never answers', () => {
  let silent: http.Server;
  let gateway: RunningServer;
  const TIMEOUT_MS = 300;

  beforeAll(async () => {
    // Accepts requests and never answers them.
    silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    gateway = await startGateway(
      testConfig.gateway(
        { accounts: stack.accountsUrl, course: `http://127.0.0.1:${port}/graphql`, order: stack.orderUrl },
        { subgraphTimeoutMs: TIMEOUT_MS },
      ),
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    silent?.closeAllConnections();
    await new Promise((resolve) => silent?.close(resolve));
  });

  test('a query waits SUBGRAPH_TIMEOUT_MS, then fails with the retryable outage code, not as a bug; the other subgraphs still answer', async () => {
    const started = performance.now();
    const response = await postRaw(`${gateway.url}/graphql`, '{ courses(first: 1) { edges { cursor } } }');
    const tookMs = performance.now() - started;
    expect(tookMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(tookMs).toBeLessThan(TIMEOUT_MS + 2_000);
    expect(response.body.errors?.map((e) => ({ message: e.message, extensions: e.extensions }))).toEqual([
      { message: expect.stringMatching(/unavailable/i), extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: expect.any(String) } },
    ]);
    expectNothingInternal(response.text);
    // Anonymous `me` is answered by the accounts subgraph alone.
    expect((await postRaw(`${gateway.url}/graphql`, '{ me { id } }')).body).toEqual({ data: { me: null } });
  });
});

describe('identical queries in flight share one subgraph request', () => {
  /** In front of the course subgraph: records each request and holds it 200 ms, so concurrent ones overlap. */
  let proxy: http.Server;
  let gateway: RunningServer;
  const seen: { body: string; identity: string | undefined }[] = [];

  beforeAll(async () => {
    proxy = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const identity = req.headers[IDENTITY_HEADER] as string | undefined;
      seen.push({ body, identity });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const answer = await fetch(stack.courseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(identity ? { [IDENTITY_HEADER]: identity } : {}) },
        body,
      });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    gateway = await startGateway(
      testConfig.gateway({ accounts: stack.accountsUrl, course: `http://127.0.0.1:${port}/graphql`, order: stack.orderUrl }),
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    proxy?.closeAllConnections();
    await new Promise((resolve) => proxy?.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const at = (viewer: Viewer | null, query: string, variables: object = {}) =>
    postRaw(`${gateway.url}/graphql`, query, variables, viewer ? bearer(stack.token(viewer)) : {});

  test('10 concurrent anonymous catalog pages: one course-subgraph request, 10 identical correct answers', async () => {
    const course = await createCourse(stack);
    const query = 'query($id: ID!) { course(id: $id) { id title seatsAvailable } }';
    const answers = await Promise.all(Array.from({ length: 10 }, () => at(null, query, { id: course.id })));
    for (const answer of answers) expect(answer.body).toEqual({ data: { course: { id: course.id, title: course.title, seatsAvailable: 10 } } });
    expect(seen).toHaveLength(1);
  });

  test('the same query for two different viewers is not shared: each sees what it may see', async () => {
    const draft = await createCourse(stack, { publish: false });
    const other = newUser('INSTRUCTOR');
    const query = 'query($id: ID!) { course(id: $id) { id status } }';
    const [owner, stranger] = await Promise.all([at(draft.instructor, query, { id: draft.id }), at(other, query, { id: draft.id })]);
    expect(owner.body).toEqual({ data: { course: { id: draft.id, status: 'DRAFT' } } });
    expect(stranger.body).toEqual({ data: { course: null } });
    expect(seen).toHaveLength(2);
    expect(new Set(seen.map((request) => request.identity)).size).toBe(2);
  });

  test('identical concurrent mutations are never shared: three createCourse calls make three courses', async () => {
    const instructor = newUser('INSTRUCTOR');
    const mutation = `mutation($input: CreateCourseInput!) { createCourse(input: $input) { course { id } userErrors { code } } }`;
    const input = { title: 'Twice', price: { amount: 500, currency: 'USD' }, capacity: 5 };
    const answers = await Promise.all(Array.from({ length: 3 }, () => at(instructor, mutation, { input })));
    const ids = answers.map((answer) => (answer.body.data as { createCourse: { course: { id: string } } }).createCourse.course.id);
    expect(new Set(ids).size).toBe(3);
    expect(seen.filter((request) => request.body.startsWith('{"query":"mutation'))).toHaveLength(3);
  });
});

describe('the Apollo Sandbox landing page', () => {
  test('GET /graphql with accept: text/html is the embedded Sandbox', async () => {
    const response = await fetch(stack.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toMatch(/<!DOCTYPE html>/i);
    expect(html).toMatch(/sandbox/i);
    expect(html).toMatch(/embeddable-sandbox|EmbeddedSandbox/);
  });
});

// ---------------------------------------------------------------------------
// Masking, on a stack of its own whose tables this test breaks.

describe('unexpected errors are masked', () => {
  let broken: Stack;
  let courseId: string;
  beforeAll(async () => {
    broken = await startStack();
    courseId = (await createCourse(broken)).id;
    await broken.courseDb.query('ALTER TABLE course RENAME TO course_gone');
    await broken.orderDb.query('ALTER TABLE orders RENAME TO orders_gone');
  });
  afterAll(() => broken?.stop());

  const masked = (path: string) => [
    { message: 'Internal server error', path: [path], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) } },
  ];

  const maskedCases: [string, DocumentNode, () => object, () => Viewer | null][] = [
    ['courses', CatalogDocument, () => ({ first: 5 }), () => null],
    ['course', CourseDocument, () => ({ id: courseId }), () => null],
    ['createCourse', CreateCourseDocument, () => ({ input: { title: 'T', price: USD(), capacity: 1 } }), () => newUser('INSTRUCTOR')],
    [
      'placeOrder',
      PlaceOrderDocument,
      () => ({ input: { courseId, expectedPrice: USD(), idempotencyKey: `key-${randomUUID()}` } }),
      () => newUser('STUDENT'),
    ],
    ['order', OrderDocument, () => ({ id: randomUUID() }), () => newUser('STUDENT')],
  ];
  test.each(maskedCases)('%s with its table gone: "Internal server error", nothing internal', async (field, document, variables, viewer) => {
    const who = viewer();
    const response = await graphql(broken.gatewayUrl, print(document), variables(), who ? bearer(broken.token(who)) : {});
    expect(response.errors).toEqual(masked(field));
    expect((response.data as Record<string, unknown> | null | undefined)?.[field] ?? null).toBeNull();
    expectNothingInternal(JSON.stringify(response));
  });

  test('the course subgraph masks too when called directly', async () => {
    const response = await postRaw(broken.courseUrl, '{ courses(first: 5) { edges { cursor } } }');
    expect(response.body.errors).toEqual(masked('courses'));
    expectNothingInternal(response.text);
    const internal = await postRaw(
      broken.courseUrl,
      RESERVE,
      { input: { courseId, expectedPrice: USD(), key: `k-${randomUUID()}`, holderId: randomUUID() } },
      {
        [SERVICE_HEADER]: signServiceCredential(SECRETS.serviceSecret, 'order'),
      },
    );
    expect(internal.body.errors).toEqual(masked('reserveSeat'));
    expectNothingInternal(internal.text);
  });

  test('the leak check itself catches what the broken database says', () => {
    expect(() => expectNothingInternal('{"message":"relation \\"course\\" does not exist"}')).toThrow();
    expect(() => expectNothingInternal('QueryFailedError: x')).toThrow();
    expect(() => expectNothingInternal('{"message":"connect ECONNREFUSED 127.0.0.1:4001"}')).toThrow();
  });
});

/** Course counters against the course's reservation rows (direct reservations have no order row). */
async function expectCourseMatchesReservations(courseId: string, db = stack.courseDb) {
  const { rows } = await db.query(
    `SELECT c.capacity, c.seats_available AS available, c.seats_held AS held, c.seats_sold AS sold,
            (SELECT count(*)::int FROM reservation r WHERE r.course_id = c.id AND r.status = 'PENDING') AS pending,
            (SELECT count(*)::int FROM reservation r WHERE r.course_id = c.id AND r.status = 'CONFIRMED') AS confirmed
       FROM course c WHERE c.id = $1`,
    [courseId],
  );
  const state = rows[0] as { capacity: number; available: number; held: number; sold: number; pending: number; confirmed: number };
  // That the counters add up and are never negative is the course table's CHECK constraints' job (constraints.test.ts).
  expect({ held: state.held, sold: state.sold }).toEqual({ held: state.pending, sold: state.confirmed });
  return state;
}
