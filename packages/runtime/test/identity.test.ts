/** Every kind of token must carry an `exp`, no further away than our signers ever put it. */
import jwt from 'jsonwebtoken';
import {
  signClientAddress,
  signIdentity,
  signServiceCredential,
  signUserToken,
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
