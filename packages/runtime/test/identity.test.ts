/** Every kind of token must carry an `exp`, no further away than our signers ever put it. */
import jwt from 'jsonwebtoken';
import {
  anonymousIdentitySource,
  serviceCredentialSource,
  signClientAddress,
  signIdentity,
  signServiceCredential,
  signUserToken,
  tokenExpiresAt,
  verifyClientAddress,
  verifyIdentity,
  verifyServiceCredential,
  verifyUserToken,
  type Viewer,
} from '../src';

const SECRET = 'identity-test-secret-0123456789abcdef0123';
const viewer: Viewer = { userId: 'c0c00001-0000-4000-8000-000000000000', roles: ['ADMIN'] };
const now = () => Math.floor(Date.now() / 1000);
const TEN_YEARS = 10 * 365 * 24 * 3600;

const kinds = [
  { kind: 'user token', audience: 'coursegraph-api', subject: viewer.userId, claims: { roles: viewer.roles }, verify: verifyUserToken },
  { kind: 'identity assertion', audience: 'coursegraph-subgraph', subject: viewer.userId, claims: { roles: viewer.roles }, verify: verifyIdentity },
  { kind: 'service credential', audience: 'coursegraph-service', subject: 'service:order', claims: {}, verify: verifyServiceCredential },
  { kind: 'client address', audience: 'coursegraph-client', subject: 'client', claims: { address: '10.0.0.1' }, verify: verifyClientAddress },
];

/** A token of `kind`, properly signed, with exactly the `exp` given and the `iat` given (now when omitted, none when null). */
const timed = ({ audience, subject, claims }: (typeof kinds)[number], { iat, exp }: { iat?: number | null; exp?: number }) =>
  jwt.sign({ ...claims, ...(iat ? { iat } : {}), ...(exp ? { exp } : {}) }, SECRET, {
    algorithm: 'HS256',
    issuer: 'coursegraph',
    audience,
    subject,
    noTimestamp: iat === null,
  });

describe.each(kinds)('a $kind', (kind) => {
  test.each([
    ['without exp', {}],
    ['valid for ten years', { exp: now() + TEN_YEARS }],
    ['issued in ten years, for a minute from then', { iat: now() + TEN_YEARS, exp: now() + TEN_YEARS + 60 }],
    ['with exp but without iat', { iat: null, exp: now() + 30 }],
  ])('%s is refused', (_label, times) => {
    expect(() => kind.verify(SECRET, timed(kind, times))).toThrow();
  });

  test('valid for 30 s is accepted (control)', () => {
    expect(() => kind.verify(SECRET, timed(kind, { exp: now() + 30 }))).not.toThrow();
  });
});

test('what our signers issue at their longest is accepted', () => {
  // ACCESS_TOKEN_TTL_SECONDS up to a day; WS_IDENTITY_TTL_SECONDS up to an hour.
  expect(verifyUserToken(SECRET, signUserToken(SECRET, viewer, 24 * 60 * 60))).toEqual(viewer);
  expect(verifyIdentity(SECRET, signIdentity(SECRET, viewer, 60 * 60))).toEqual(viewer);
  expect(verifyServiceCredential(SECRET, signServiceCredential(SECRET, 'order'))).toBe('order');
  expect(verifyClientAddress(SECRET, signClientAddress(SECRET, '10.0.0.1'))).toBe('10.0.0.1');
});

test('a signer refuses to issue a token longer-lived than verification accepts', () => {
  expect(() => signUserToken(SECRET, viewer, 24 * 60 * 60 + 1)).toThrow();
  expect(() => signIdentity(SECRET, viewer, 60 * 60 + 1)).toThrow();
});

/** A token with the given audience, subject and claims, signed with SECRET, valid for 30 s. */
const forged = (audience: string, subject: string, claims: object = {}) =>
  jwt.sign(claims, SECRET, { algorithm: 'HS256', issuer: 'coursegraph', audience, subject, expiresIn: 30 });

describe('subjects', () => {
  test.each([
    ['a user id', viewer.userId],
    ['the bare service name', 'order'],
    ['another prefix', 'services:order'],
    ['the anonymous subject', 'anonymous'],
    ['the client subject', 'client'],
  ])('a service-audience token whose subject is %s is not a service credential', (_label, subject) => {
    expect(() => verifyServiceCredential(SECRET, forged('coursegraph-service', subject, { roles: viewer.roles }))).toThrow(
      'not a service credential',
    );
  });

  test('a service credential names the service after the prefix (control)', () => {
    expect(verifyServiceCredential(SECRET, forged('coursegraph-service', 'service:course'))).toBe('course');
  });

  test('a user token with the anonymous subject is refused: only the gateway assertion may be anonymous', () => {
    expect(() => verifyUserToken(SECRET, forged('coursegraph-api', 'anonymous', { roles: [] }))).toThrow();
    expect(verifyIdentity(SECRET, forged('coursegraph-subgraph', 'anonymous', { roles: [] }))).toBeNull();
    expect(verifyIdentity(SECRET, signIdentity(SECRET, null))).toBeNull();
  });

  test.each([
    ['a subject that is not a user id', 'not-a-user', { roles: ['STUDENT'] }],
    ['a user id with trailing text', `${viewer.userId}x`, { roles: ['STUDENT'] }],
    ['no roles', viewer.userId, {}],
    ['roles that are not a list', viewer.userId, { roles: 'ADMIN' }],
    ['an unknown role', viewer.userId, { roles: ['STUDENT', 'ROOT'] }],
  ])('a user token or identity assertion with %s is refused', (_label, subject, claims) => {
    expect(() => verifyUserToken(SECRET, forged('coursegraph-api', subject, claims))).toThrow();
    expect(() => verifyIdentity(SECRET, forged('coursegraph-subgraph', subject, claims))).toThrow();
  });

  test('an upper-case user id names the same (lower-case) user', () => {
    const upper = viewer.userId.toUpperCase();
    expect(verifyUserToken(SECRET, forged('coursegraph-api', upper, { roles: ['STUDENT'] }))).toEqual({ userId: viewer.userId, roles: ['STUDENT'] });
  });

  test('a client address assertion must carry an address', () => {
    expect(() => verifyClientAddress(SECRET, forged('coursegraph-client', 'client', {}))).toThrow('not a client address');
  });
});

test('a longest-lived token from an instance whose clock runs 20 s ahead is accepted, 40 s ahead refused (30 s of skew)', () => {
  const signedAhead = (seconds: number) =>
    jwt.sign({ roles: viewer.roles, iat: now() + seconds, exp: now() + seconds + 24 * 60 * 60 }, SECRET, {
      algorithm: 'HS256',
      issuer: 'coursegraph',
      audience: 'coursegraph-api',
      subject: viewer.userId,
    });
  expect(verifyUserToken(SECRET, signedAhead(20))).toEqual(viewer);
  expect(() => verifyUserToken(SECRET, signedAhead(40))).toThrow('token lives longer than any we issue');
});

describe('self-renewing credentials, on a controlled clock', () => {
  const T0 = Date.parse('2030-01-01T00:00:00Z');
  const claimsOf = (token: string) => jwt.decode(token) as { sub: string; iat: number; exp: number };
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  test('the service credential is reused for 4 minutes, then renewed a minute before it expires', () => {
    const credential = serviceCredentialSource(SECRET, 'order');
    const first = credential();
    expect(claimsOf(first)).toMatchObject({ sub: 'service:order', iat: T0 / 1000, exp: T0 / 1000 + 300 });
    jest.setSystemTime(T0 + 4 * 60 * 1000 - 1);
    expect(credential()).toBe(first);
    jest.setSystemTime(T0 + 4 * 60 * 1000);
    const second = credential();
    expect(second).not.toBe(first);
    expect(claimsOf(second)).toMatchObject({ sub: 'service:order', iat: T0 / 1000 + 240, exp: T0 / 1000 + 540 });
    expect(verifyServiceCredential(SECRET, second)).toBe('order');
  });

  test('over an hour, every service credential handed out verifies and has at least a minute left', () => {
    const credential = serviceCredentialSource(SECRET, 'order');
    const issued = new Set<string>();
    for (let t = T0; t <= T0 + 60 * 60 * 1000; t += 7_000) {
      jest.setSystemTime(t);
      const token = credential();
      issued.add(token);
      expect(verifyServiceCredential(SECRET, token)).toBe('order');
      expect(claimsOf(token).exp * 1000 - Date.now()).toBeGreaterThanOrEqual(60_000);
    }
    // Renewed every 4 minutes, not at every call: 15 credentials in the hour.
    expect(issued.size).toBe(15);
  });

  test('the anonymous assertion is shared for 30 s, then renewed while it still has 30 s left', () => {
    const anonymous = anonymousIdentitySource(SECRET);
    const first = anonymous();
    expect(claimsOf(first)).toMatchObject({ sub: 'anonymous', iat: T0 / 1000, exp: T0 / 1000 + 60 });
    jest.setSystemTime(T0 + 30 * 1000 - 1);
    expect(anonymous()).toBe(first);
    jest.setSystemTime(T0 + 30 * 1000);
    const second = anonymous();
    expect(claimsOf(second)).toMatchObject({ sub: 'anonymous', iat: T0 / 1000 + 30, exp: T0 / 1000 + 90 });
    for (let t = T0; t <= T0 + 10 * 60 * 1000; t += 3_000) {
      jest.setSystemTime(t);
      const token = anonymous();
      expect(verifyIdentity(SECRET, token)).toBeNull();
      expect(claimsOf(token).exp * 1000 - Date.now()).toBeGreaterThanOrEqual(30_000);
    }
  });
});

test('at the edge of the skew: a longest-lived token signed exactly 30 s ahead is accepted, 31 s ahead refused', () => {
  jest.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z') });
  try {
    const at = Date.now() / 1000;
    const signedAhead = (seconds: number) =>
      jwt.sign({ roles: viewer.roles, iat: at + seconds, exp: at + seconds + 24 * 60 * 60 }, SECRET, {
        algorithm: 'HS256',
        issuer: 'coursegraph',
        audience: 'coursegraph-api',
        subject: viewer.userId,
      });
    expect(verifyUserToken(SECRET, signedAhead(30))).toEqual(viewer);
    expect(() => verifyUserToken(SECRET, signedAhead(31))).toThrow('token lives longer than any we issue');
  } finally {
    jest.useRealTimers();
  }
});

test('every user token has its own id (jti)', () => {
  const ids = [signUserToken(SECRET, viewer), signUserToken(SECRET, viewer)].map((token) => (jwt.decode(token) as { jti?: string }).jti);
  expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
  expect(ids[0]).not.toBe(ids[1]);
});

describe('one kind of token never stands in for another', () => {
  const verifiers = kinds.map((kind) => [kind.kind, kind.verify] as const);
  test.each(kinds)('$kind: refused by every other verifier (same secret)', (kind) => {
    const token = timed(kind, { exp: now() + 30 });
    for (const [name, verify] of verifiers) {
      if (name === kind.kind) expect(() => verify(SECRET, token)).not.toThrow();
      else expect(() => verify(SECRET, token)).toThrow();
    }
  });

  test.each([
    ['another issuer', { issuer: 'evil' }],
    ['HS512', { algorithm: 'HS512' as const }],
    ['HS384', { algorithm: 'HS384' as const }],
  ])('a user token with %s is refused (same secret)', (_label, overrides) => {
    const token = jwt.sign({ roles: viewer.roles }, SECRET, {
      algorithm: 'HS256',
      issuer: 'coursegraph',
      audience: 'coursegraph-api',
      subject: viewer.userId,
      expiresIn: 30,
      ...overrides,
    });
    expect(() => verifyUserToken(SECRET, token)).toThrow();
  });

  test('an unsigned (alg: none) user token is refused', () => {
    const token = jwt.sign({ roles: viewer.roles }, '', {
      algorithm: 'none',
      issuer: 'coursegraph',
      audience: 'coursegraph-api',
      subject: viewer.userId,
      expiresIn: 30,
    });
    expect(() => verifyUserToken(SECRET, token)).toThrow();
  });
});

test('a user token lives 15 minutes unless told otherwise; tokenExpiresAt reads its exp in milliseconds', () => {
  const token = signUserToken(SECRET, viewer);
  const { iat, exp } = jwt.decode(token) as { iat: number; exp: number };
  expect(exp - iat).toBe(15 * 60);
  expect(tokenExpiresAt(token)).toBe(exp * 1000);
  expect(tokenExpiresAt('not-a-token')).toBeNull();
  expect(tokenExpiresAt(jwt.sign({ roles: [] }, SECRET, { noTimestamp: true }))).toBeNull();
});
