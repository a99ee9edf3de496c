/**
 * Hostile inputs: control characters in every kind of string input, ids in
 * the wrong case or shape, oversized strings, malformed e-mail addresses, and
 * callers that reach a subgraph directly with no, forged, expired or foreign
 * credentials (issue 9, items 11, 12 and 14).
 *
 * Where the right answer carries no error code (a replay that answers the
 * same order, a reference that answers null), the case checks the answer
 * itself and adds one of this table's verdicts to `codes`: SAME_ORDER or
 * HIDDEN. Every other expected code is what the client receives.
 */
import jwt from 'jsonwebtoken';
import { IDENTITY_HEADER, SERVICE_HEADER, signIdentity, signUserToken, type Viewer } from '@coursegraph/runtime';
import { newUser } from '@coursegraph/devkit/fixtures';
import { SECRETS } from '@coursegraph/devkit/stack';
import type { AbuseCase, AbuseFixtures, AbuseOutcome } from './types';
import { post } from './send';

const USD_10 = { amount: 1_000, currency: 'USD' };
const PASSWORD = 'a-long-enough-password';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken userErrors { code field } } }`;
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { accessToken userErrors { code field } } }`;
const REFRESH = `mutation ($input: RefreshTokenInput!) { refreshToken(input: $input) { accessToken userErrors { code field } } }`;
const CREATE = `mutation ($input: CreateCourseInput!) { createCourse(input: $input) { course { id } userErrors { code field } } }`;
const PLACE = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } userErrors { code field } } }`;
const CANCEL = `mutation ($input: CancelOrderInput!) { cancelOrder(input: $input) { order { id status } userErrors { code field } } }`;
const COURSE = `query ($id: ID!) { course(id: $id) { id status } }`;
const CATALOG = `query ($after: String) { courses(first: 5, after: $after) { edges { cursor } } }`;
// The fixture users have no accounts row, so `me` is null: reach the same order and course lists through a course.
const COURSE_ORDERS = `query ($id: ID!, $after: String) { course(id: $id) { orders(first: 2, after: $after) { edges { cursor } } } }`;
const COURSES_TAUGHT = `query ($id: ID!, $after: String) { course(id: $id) { instructor { coursesTaught(first: 2, after: $after) { edges { cursor } } } } }`;
const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Course { id status title } } }`;

/** Through the gateway, as `viewer` (anonymous when null). */
const gateway = (fx: AbuseFixtures, query: string, variables: object, viewer: Viewer | null = null) =>
  post(fx.stack.gatewayUrl, { query, variables }, viewer ? { authorization: `Bearer ${fx.stack.token(viewer)}` } : {});

/** Straight to the course subgraph's own port, with exactly `headers`. */
const courseSubgraph = (fx: AbuseFixtures, query: string, variables: object, headers: Record<string, string> = {}) =>
  post(fx.stack.courseUrl, { query, variables }, headers);

/** Adds `verdict` to the codes when `holds` is true of the parsed answer. */
function verdict(outcome: AbuseOutcome, name: string, holds: (body: { data?: Record<string, unknown> | null }) => boolean): AbuseOutcome {
  let body: { data?: Record<string, unknown> | null } = {};
  try {
    body = JSON.parse(outcome.text) as typeof body;
  } catch {
    // Not JSON: the verdict does not hold.
  }
  return holds(body) ? { ...outcome, codes: [...outcome.codes, name] } : outcome;
}

/** A cursor in the shape ours have ("createdAt|id", base64url) with a time PostgreSQL cannot store. */
const crafted = (createdAt: string) => Buffer.from(`${createdAt}|c0c00001-0000-4000-8000-000000000000`).toString('base64url');

const draftReference = (fx: AbuseFixtures, id = fx.draftCourseId) => ({ r: [{ __typename: 'Course', id }] });
const email = (local: string) => `${local}@abuse.example.com`;

/** A token signed with the right secret, issuer and audience but no `exp` (or one ten years away): forged with a leaked secret, or a buggy signer. */
function endlessToken(secret: string, audience: string, subject: string, claims: object, exp?: number): string {
  return jwt.sign({ ...claims, ...(exp ? { exp } : {}) }, secret, { algorithm: 'HS256', issuer: 'coursegraph', audience, subject });
}
const inTenYears = () => Math.floor(Date.now() / 1000) + 10 * 365 * 24 * 3600;

function expiredAssertion(viewer: Viewer): string {
  return jwt.sign({ roles: viewer.roles, exp: Math.floor(Date.now() / 1000) - 60 }, SECRETS.subgraphSecret, {
    algorithm: 'HS256',
    issuer: 'coursegraph',
    audience: 'coursegraph-subgraph',
    subject: viewer.userId,
  });
}

export const inputCases: AbuseCase[] = [
  // --- control characters in every kind of string input (item 12) ---
  {
    name: 'register with NUL in the e-mail address',
    send: (fx) => gateway(fx, REGISTER, { input: { email: email('nul\u0000'), password: PASSWORD, displayName: 'Nul' } }),
    expectCode: 'VALIDATION',
  },
  {
    name: 'register with NUL in the password',
    send: (fx) => gateway(fx, REGISTER, { input: { email: email('nul-password'), password: `${PASSWORD}\u0000`, displayName: 'Nul' } }),
    expectCode: 'VALIDATION',
  },
  {
    name: 'register with a terminal escape sequence in the display name',
    send: (fx) => gateway(fx, REGISTER, { input: { email: email('escape'), password: PASSWORD, displayName: 'Evil\u001b[2J' } }),
    expectCode: 'VALIDATION',
  },
  {
    name: 'login with NUL in the e-mail address',
    send: (fx) => gateway(fx, LOGIN, { input: { email: email('login\u0000'), password: PASSWORD } }),
    expectCode: 'VALIDATION',
  },
  {
    name: 'login with NUL in the password',
    send: (fx) => gateway(fx, LOGIN, { input: { email: email('login-password'), password: '\u0000' } }),
    expectCode: 'VALIDATION',
  },
  {
    name: 'refreshToken with NUL in the token',
    send: (fx) => gateway(fx, REFRESH, { input: { refreshToken: 'a\u0000b' } }),
    expectCode: 'VALIDATION',
  },
  {
    name: 'createCourse with NUL in the title',
    send: (fx) => gateway(fx, CREATE, { input: { title: 'Title\u0000', price: USD_10, capacity: 1 } }, fx.instructor),
    expectCode: 'VALIDATION',
  },
  {
    name: 'createCourse with a C1 control character in the description',
    send: (fx) => gateway(fx, CREATE, { input: { title: 'Title', description: 'Text\u009b31m', price: USD_10, capacity: 1 } }, fx.instructor),
    expectCode: 'VALIDATION',
  },
  {
    name: 'createCourse with an unpaired surrogate in the title',
    send: (fx) => gateway(fx, CREATE, { input: { title: 'Broken \ud800 text', price: USD_10, capacity: 1 } }, fx.instructor),
    expectCode: 'VALIDATION',
  },
  {
    name: 'register with a right-to-left override and an isolate in the display name (bidi spoofing)',
    send: (fx) => gateway(fx, REGISTER, { input: { email: email('bidi'), password: PASSWORD, displayName: 'Admin\u202e\u2066' } }),
    expectCode: 'VALIDATION',
  },
  {
    name: 'createCourse with a line separator (U+2028) in the title',
    send: (fx) => gateway(fx, CREATE, { input: { title: 'Line\u2028break', price: USD_10, capacity: 1 } }, fx.instructor),
    expectCode: 'VALIDATION',
  },
  {
    name: 'createCourse with a byte order mark in the title',
    send: (fx) => gateway(fx, CREATE, { input: { title: 'Title\ufeff', price: USD_10, capacity: 1 } }, fx.instructor),
    expectCode: 'VALIDATION',
  },
  {
    name: 'createCourse with the noncharacter U+FFFF in the description',
    send: (fx) => gateway(fx, CREATE, { input: { title: 'Title', description: 'Text\uffff', price: USD_10, capacity: 1 } }, fx.instructor),
    expectCode: 'VALIDATION',
  },
  {
    name: 'placeOrder with NUL in the idempotency key',
    send: (fx) =>
      gateway(fx, PLACE, { input: { courseId: fx.publishedCourseId, expectedPrice: USD_10, idempotencyKey: 'abuse-\u0000-key' } }, fx.student),
    expectCode: 'VALIDATION',
  },
  {
    name: 'a catalog page with NUL in the cursor',
    send: (fx) => gateway(fx, CATALOG, { after: 'cursor\u0000' }),
    expectCode: 'BAD_USER_INPUT',
  },
  {
    name: 'a catalog page after a crafted cursor in the year -100000',
    send: (fx) => gateway(fx, CATALOG, { after: crafted('-100000-01-01T00:00:00.000Z') }),
    expectCode: 'BAD_USER_INPUT',
  },
  {
    name: "a page of a course's orders after a crafted cursor in 4714 BC, as its instructor",
    send: (fx) => gateway(fx, COURSE_ORDERS, { id: fx.publishedCourseId, after: crafted('-004714-01-01T00:00:00.000Z') }, fx.instructor),
    expectCode: 'BAD_USER_INPUT',
  },
  {
    name: 'a page of the courses an instructor teaches after a crafted cursor in the year +275760',
    send: (fx) => gateway(fx, COURSES_TAUGHT, { id: fx.publishedCourseId, after: crafted('+275760-09-13T00:00:00.000Z') }, fx.instructor),
    expectCode: 'BAD_USER_INPUT',
  },
  // --- e-mail shape and oversized strings ---
  {
    name: 'login with a malformed e-mail address',
    send: (fx) => gateway(fx, LOGIN, { input: { email: 'not an e-mail address', password: PASSWORD } }),
    expectCode: 'VALIDATION',
  },
  {
    name: 'login with a 60,000-character e-mail address',
    send: (fx) => gateway(fx, LOGIN, { input: { email: email('x'.repeat(60_000)), password: PASSWORD } }),
    expectCode: 'VALIDATION',
  },
  {
    name: 'login with a 60,000-character password',
    send: (fx) => gateway(fx, LOGIN, { input: { email: email('long-password'), password: 'p'.repeat(60_000) } }),
    expectCode: 'VALIDATION',
  },
  {
    name: 'createCourse with a 60,000-character title',
    send: (fx) => gateway(fx, CREATE, { input: { title: 't'.repeat(60_000), price: USD_10, capacity: 1 } }, fx.instructor),
    expectCode: 'VALIDATION',
  },
  // --- ids in the wrong case or shape (item 11) ---
  {
    name: "placeOrder replayed with the fixture order's key and the course id in upper case",
    send: async (fx) =>
      verdict(
        await gateway(
          fx,
          PLACE,
          { input: { courseId: fx.publishedCourseId.toUpperCase(), expectedPrice: USD_10, idempotencyKey: 'abuse-suite-order-1' } },
          fx.student,
        ),
        'SAME_ORDER',
        ({ data }) => {
          const placed = data?.placeOrder as { order?: { id?: string }; userErrors?: unknown[] } | undefined;
          return placed?.order?.id === fx.orderId && placed.userErrors?.length === 0;
        },
      ),
    expectCode: 'SAME_ORDER',
  },
  {
    name: 'placeOrder of an owned course again, under a new key, with the course id in upper case',
    send: (fx) =>
      gateway(
        fx,
        PLACE,
        { input: { courseId: fx.publishedCourseId.toUpperCase(), expectedPrice: USD_10, idempotencyKey: 'abuse-new-key-1' } },
        fx.student,
      ),
    expectCode: 'ALREADY_ENROLLED',
  },
  {
    name: "cancelOrder of another student's order, its id in upper case",
    send: (fx) => gateway(fx, CANCEL, { input: { orderId: fx.orderId.toUpperCase() } }, newUser('STUDENT')),
    expectCode: 'FORBIDDEN',
  },
  {
    name: 'course(id) of a draft in upper case, as a stranger',
    send: async (fx) =>
      verdict(await gateway(fx, COURSE, { id: fx.draftCourseId.toUpperCase() }, fx.student), 'HIDDEN', ({ data }) => data?.course === null),
    expectCode: 'HIDDEN',
  },
  {
    name: 'placeOrder with a malformed course id',
    send: (fx) =>
      gateway(fx, PLACE, { input: { courseId: "1' OR '1'='1", expectedPrice: USD_10, idempotencyKey: 'abuse-malformed-id' } }, fx.student),
    expectCode: 'VALIDATION',
  },
  {
    name: 'course(id) with a malformed id',
    send: (fx) => gateway(fx, COURSE, { id: 'x'.repeat(5_000) }),
    expectCode: 'BAD_USER_INPUT',
  },
  // --- straight to a subgraph (item 14) ---
  {
    name: "_entities for a draft course on the course subgraph's port without any assertion",
    send: async (fx) =>
      verdict(await courseSubgraph(fx, ENTITIES, draftReference(fx)), 'HIDDEN', ({ data }) => JSON.stringify(data?._entities) === '[null]'),
    expectCode: 'HIDDEN',
  },
  {
    name: "_entities for a draft course, its id in upper case, with a student's valid assertion",
    send: async (fx) =>
      verdict(
        await courseSubgraph(fx, ENTITIES, draftReference(fx, fx.draftCourseId.toUpperCase()), {
          [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, fx.student),
        }),
        'HIDDEN',
        ({ data }) => JSON.stringify(data?._entities) === '[null]',
      ),
    expectCode: 'HIDDEN',
  },
  {
    name: '_entities with NUL in the representation id',
    send: (fx) =>
      courseSubgraph(fx, ENTITIES, draftReference(fx, `${fx.draftCourseId}\u0000`), {
        [IDENTITY_HEADER]: signIdentity(SECRETS.subgraphSecret, null),
      }),
    expectCode: 'BAD_USER_INPUT',
  },
  {
    name: "an owner's assertion forged with another secret, sent straight to the course subgraph",
    send: (fx) =>
      courseSubgraph(fx, ENTITIES, draftReference(fx), {
        [IDENTITY_HEADER]: signIdentity('forged-secret-0123456789abcdef0123456789', fx.instructor),
      }),
    expectCode: 'UNAUTHENTICATED',
  },
  {
    name: "an expired owner's assertion sent straight to the course subgraph",
    send: (fx) => courseSubgraph(fx, ENTITIES, draftReference(fx), { [IDENTITY_HEADER]: expiredAssertion(fx.instructor) }),
    expectCode: 'UNAUTHENTICATED',
  },
  {
    name: "an owner's assertion without exp sent straight to the course subgraph",
    send: (fx) =>
      courseSubgraph(fx, ENTITIES, draftReference(fx), {
        [IDENTITY_HEADER]: endlessToken(SECRETS.subgraphSecret, 'coursegraph-subgraph', fx.instructor.userId, { roles: fx.instructor.roles }),
      }),
    expectCode: 'UNAUTHENTICATED',
  },
  {
    name: 'a service credential valid for ten years sent straight to the course subgraph',
    send: (fx) =>
      courseSubgraph(
        fx,
        `query { reservation(key: "abuse") { key } }`,
        {},
        {
          [SERVICE_HEADER]: endlessToken(SECRETS.serviceSecret, 'coursegraph-service', 'service:order', {}, inTenYears()),
        },
      ),
    expectCode: 'UNAUTHENTICATED',
  },
  {
    name: "an admin's user token without exp sent to the gateway",
    send: (fx) =>
      post(
        fx.stack.gatewayUrl,
        { query: COURSE, variables: { id: fx.draftCourseId } },
        {
          authorization: `Bearer ${endlessToken(SECRETS.jwtSecret, 'coursegraph-api', fx.admin.userId, { roles: fx.admin.roles })}`,
        },
      ),
    expectCode: 'UNAUTHENTICATED',
  },
  {
    name: "the owner's user access token sent as the gateway assertion (another audience)",
    send: (fx) => courseSubgraph(fx, ENTITIES, draftReference(fx), { [IDENTITY_HEADER]: signUserToken(SECRETS.jwtSecret, fx.instructor) }),
    expectCode: 'UNAUTHENTICATED',
  },
  {
    name: "an admin's user access token sent as the service credential",
    send: (fx) =>
      courseSubgraph(fx, `query { reservation(key: "abuse") { key } }`, {}, { [SERVICE_HEADER]: signUserToken(SECRETS.jwtSecret, fx.admin) }),
    expectCode: 'UNAUTHENTICATED',
  },
];
