/**
 * Who is calling. Three kinds of signed token, each with its own audience so
 * one can never stand in for another:
 * - user access tokens (Authorization: Bearer), verified by the gateway;
 * - identity assertions the gateway signs for subgraphs (IDENTITY_HEADER), so a
 *   client cannot forge a user id or role by sending headers of its own; the
 *   gateway signs one for anonymous callers too (subject `anonymous`), so a
 *   subgraph in production can tell "through the gateway" from "reached
 *   directly" for every request;
 * - service credentials (SERVICE_HEADER) for internal calls between subgraphs.
 * All are HS256 only: `alg: none` and other algorithms are refused.
 */
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export const USER_ROLES = ['STUDENT', 'INSTRUCTOR', 'ADMIN'] as const;
export type Role = (typeof USER_ROLES)[number];

/** The verified caller of a request. */
export interface Viewer {
  userId: string;
  roles: Role[];
}

export const IDENTITY_HEADER = 'x-coursegraph-identity';
export const SERVICE_HEADER = 'x-coursegraph-service';
export const CLIENT_HEADER = 'x-coursegraph-client';

const ISSUER = 'coursegraph';
const USER_AUDIENCE = 'coursegraph-api';
const SUBGRAPH_AUDIENCE = 'coursegraph-subgraph';
const SERVICE_AUDIENCE = 'coursegraph-service';
const CLIENT_AUDIENCE = 'coursegraph-client';
const ALGORITHMS: jwt.Algorithm[] = ['HS256'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// jsonwebtoken turns a string secret into a key object on every call (~0.5 ms); do it once per secret.
const keys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/**
 * The longest lifetime each kind of token may have, seconds: what our signers
 * issue at most. A token without `exp`, or living longer (a buggy signer, or
 * one forged with a leaked secret), is refused rather than trusted forever.
 */
/** Longest user access token, s: the upper bound of the accounts subgraph's ACCESS_TOKEN_TTL_SECONDS. */
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 24 * 60 * 60;
/** Longest identity assertion, s: the upper bound of the gateway's WS_IDENTITY_TTL_SECONDS (60 s for HTTP requests). */
export const MAX_IDENTITY_TTL_SECONDS = 60 * 60;

const MAX_LIFETIME_SECONDS: Record<string, number> = {
  [USER_AUDIENCE]: MAX_ACCESS_TOKEN_TTL_SECONDS,
  [SUBGRAPH_AUDIENCE]: MAX_IDENTITY_TTL_SECONDS,
  [SERVICE_AUDIENCE]: 5 * 60,
  [CLIENT_AUDIENCE]: 60,
};
/** How far another instance's clock may be ahead of ours when it signs. */
const CLOCK_SKEW_SECONDS = 30;

function sign(secret: string, audience: string, subject: string, claims: object, expiresInSeconds: number, jwtid?: string): string {
  // Never issue what verify() would refuse.
  if (!(expiresInSeconds <= MAX_LIFETIME_SECONDS[audience]!)) {
    throw new Error(`a ${audience} token lives at most ${MAX_LIFETIME_SECONDS[audience]} s, not ${expiresInSeconds} s`);
  }
  const options: jwt.SignOptions = { algorithm: 'HS256', issuer: ISSUER, audience, subject, expiresIn: expiresInSeconds };
  if (jwtid) options.jwtid = jwtid;
  return jwt.sign(claims, keyOf(secret), options);
}

/**
 * A token's verified payload: HS256, our issuer, `audience`, and an `iat` and
 * `exp` at most that audience's lifetime apart and from now (jsonwebtoken
 * checks `exp` only when a token has one).
 */
function verifyToken(secret: string, audience: string, token: string): jwt.JwtPayload {
  const payload = jwt.verify(token, keyOf(secret), { algorithms: ALGORITHMS, issuer: ISSUER, audience });
  if (typeof payload !== 'object') throw new Error('token payload is not an object');
  const { iat, exp } = payload;
  const max = MAX_LIFETIME_SECONDS[audience]!;
  if (typeof iat !== 'number' || typeof exp !== 'number') throw new Error('token has no iat or exp');
  if (exp - iat > max || exp - Date.now() / 1000 > max + CLOCK_SKEW_SECONDS) throw new Error('token lives longer than any we issue');
  return payload;
}

/** The subject of a gateway assertion for a caller without a user token. */
const ANONYMOUS = 'anonymous';

/** Verifies a token of the given audience; returns its viewer (null for an accepted anonymous assertion) or throws. */
function verifyViewer(secret: string, audience: string, token: string, anonymousAllowed = false): Viewer | null {
  const payload = verifyToken(secret, audience, token);
  if (anonymousAllowed && payload.sub === ANONYMOUS) return null;
  if (typeof payload.sub !== 'string' || !UUID.test(payload.sub)) {
    throw new Error('token subject is not a user id');
  }
  const roles: unknown = (payload as { roles?: unknown }).roles;
  if (!Array.isArray(roles) || !roles.every((role): role is Role => USER_ROLES.includes(role as Role))) {
    throw new Error('token roles are invalid');
  }
  return { userId: payload.sub.toLowerCase(), roles };
}

/** A user access token, as the accounts subgraph issues it: issuer, audience, subject, roles, iat, exp and a unique id. */
export function signUserToken(secret: string, viewer: Viewer, expiresInSeconds = 15 * 60): string {
  return sign(secret, USER_AUDIENCE, viewer.userId, { roles: viewer.roles }, expiresInSeconds, randomUUID());
}

/** The viewer a user access token names; throws when it is not a valid, unexpired user token. */
export function verifyUserToken(secret: string, token: string): Viewer {
  return verifyViewer(secret, USER_AUDIENCE, token)!;
}

/**
 * When a token expires, in epoch milliseconds (its `exp` claim), or null when
 * it has none. It does not verify: call it only on a token already verified.
 */
export function tokenExpiresAt(token: string): number | null {
  const payload = jwt.decode(token);
  return payload && typeof payload === 'object' && typeof payload.exp === 'number' ? payload.exp * 1000 : null;
}

/**
 * The gateway's assertion of a verified viewer, or of an anonymous caller
 * (`viewer` null), signed afresh for every call (a request, a subscription
 * event, an upstream subscribe).
 */
export function signIdentity(secret: string, viewer: Viewer | null, expiresInSeconds = 60): string {
  return viewer
    ? sign(secret, SUBGRAPH_AUDIENCE, viewer.userId, { roles: viewer.roles }, expiresInSeconds)
    : sign(secret, SUBGRAPH_AUDIENCE, ANONYMOUS, { roles: [] }, expiresInSeconds);
}

/** The viewer a gateway assertion names, null when it asserts an anonymous caller; throws when it is not a valid assertion. */
export function verifyIdentity(secret: string, token: string): Viewer | null {
  return verifyViewer(secret, SUBGRAPH_AUDIENCE, token, true);
}

/**
 * The gateway's anonymous assertion, re-signed every 30 s (it is valid for 60 s):
 * anonymous requests share one token, so identical anonymous queries in flight
 * still share one subgraph request (gateway/src/fetcher.ts).
 */
export function anonymousIdentitySource(secret: string): () => string {
  let token = '';
  let renewAt = 0;
  return () => {
    if (Date.now() >= renewAt) {
      token = signIdentity(secret, null);
      renewAt = Date.now() + 30 * 1000;
    }
    return token;
  };
}

/** The gateway's assertion of the client's network address, for per-address rate limits. */
export function signClientAddress(secret: string, address: string): string {
  return sign(secret, CLIENT_AUDIENCE, 'client', { address }, 60);
}

/** The client address a gateway assertion names; throws when it is not a valid, unexpired one. */
export function verifyClientAddress(secret: string, token: string): string {
  const address: unknown = verifyToken(secret, CLIENT_AUDIENCE, token).address;
  if (typeof address !== 'string') throw new Error('not a client address');
  return address;
}

/** A service credential naming the calling service, valid for five minutes. */
export function signServiceCredential(secret: string, service: string): string {
  return sign(secret, SERVICE_AUDIENCE, `service:${service}`, {}, 5 * 60);
}

/** Returns the calling service's name or throws. */
export function verifyServiceCredential(secret: string, token: string): string {
  const payload = verifyToken(secret, SERVICE_AUDIENCE, token);
  if (typeof payload.sub !== 'string' || !payload.sub.startsWith('service:')) {
    throw new Error('not a service credential');
  }
  return payload.sub.slice('service:'.length);
}

/** A service credential that renews itself a minute before it expires. */
export function serviceCredentialSource(secret: string, service: string): () => string {
  let token = '';
  let renewAt = 0;
  return () => {
    if (Date.now() >= renewAt) {
      token = signServiceCredential(secret, service);
      renewAt = Date.now() + 4 * 60 * 1000;
    }
    return token;
  };
}

export const isUuid = (value: string): boolean => UUID.test(value);
