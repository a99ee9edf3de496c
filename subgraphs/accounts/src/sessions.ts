/**
 * Accounts and sessions: register, login, refresh-token rotation with reuse
 * detection, logout. Access tokens are short-lived JWTs; refresh tokens are
 * random, single-use, stored only as SHA-256 hashes, and grouped in families
 * (one per sign-in) so a reused token revokes everything descended from it.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { IsNull } from 'typeorm';
import { checkText, countAttempt, signUserToken, userError, type Logger, type Role } from '@coursegraph/runtime';
import type { UserError } from './__generated__/resolvers-types';
import type { AccountsConfig } from './config';
import { RefreshToken } from './entities/refresh-token';
import { emailKey, User } from './entities/user';
import { decoyHash, hashPassword, verifyPassword } from './passwords';

export interface AuthPayload {
  accessToken: string | null;
  accessTokenExpiresAt: string | null;
  /** Seconds from the answer. */
  accessTokenExpiresIn: number | null;
  refreshToken: string | null;
  user: User | null;
  userErrors: UserError[];
}

export interface SessionDeps {
  dataSource: DataSource;
  config: AccountsConfig;
  log: Logger;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;
const MAX_EMAIL = 254;
const MIN_PASSWORD = 10;
const MAX_PASSWORD = 200;

/** An e-mail address's shape (local@domain.tld, at most 254 characters, RFC 5321's limit), checked by register and login alike. */
function checkEmail(email: string): UserError | null {
  return EMAIL.test(email) && email.length <= MAX_EMAIL ? null : userError('VALIDATION', 'Not a valid e-mail address.', 'input.email');
}

const failed = (...errors: UserError[]): AuthPayload => ({
  accessToken: null,
  accessTokenExpiresAt: null,
  accessTokenExpiresIn: null,
  refreshToken: null,
  user: null,
  userErrors: errors,
});
const invalidCredentials = () => failed(userError('INVALID_CREDENTIALS', 'The e-mail address or the password is wrong.'));
const invalidRefreshToken = () => failed(userError('INVALID_REFRESH_TOKEN', 'Sign in again: this session has ended.', 'input.refreshToken'));
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

async function rateLimited(deps: SessionDeps, action: string, address: string | null, email: string): Promise<AuthPayload | null> {
  const { rateLimitPerAddress, rateLimitPerEmail, rateLimitWindowSeconds: windowSeconds } = deps.config;
  const wait = await countAttempt(deps.dataSource, [
    [`${action}:address:${address ?? 'unknown'}`, { limit: rateLimitPerAddress, windowSeconds }],
    [`${action}:email:${emailKey(email)}`, { limit: rateLimitPerEmail, windowSeconds }],
  ]);
  if (!wait) return null;
  return failed({ ...userError('RATE_LIMITED', `Too many attempts. Try again in ${wait} seconds.`), retryAfterSeconds: wait });
}

/** Signs an access token and stores a new refresh token in `familyId`. */
async function issue(manager: EntityManager, deps: SessionDeps, user: User, familyId: string): Promise<AuthPayload> {
  const refreshToken = randomBytes(32).toString('base64url');
  const now = new Date();
  await manager.insert(RefreshToken, {
    id: randomUUID(),
    userId: user.id,
    familyId,
    tokenHash: hashToken(refreshToken),
    expiresAt: new Date(now.getTime() + deps.config.refreshTokenTtlSeconds * 1000),
    usedAt: null,
    revokedAt: null,
    createdAt: now,
  });
  const ttl = deps.config.accessTokenTtlSeconds;
  return {
    accessToken: signUserToken(deps.config.jwtSecret, { userId: user.id, roles: user.roles }, ttl),
    accessTokenExpiresAt: new Date(now.getTime() + ttl * 1000).toISOString(),
    accessTokenExpiresIn: ttl,
    refreshToken,
    user,
    userErrors: [],
  };
}

export interface RegisterInput {
  email: string;
  password: string;
  displayName: string;
  role?: Role | null;
}

export async function register(deps: SessionDeps, address: string | null, input: RegisterInput): Promise<AuthPayload> {
  const email = input.email.trim();
  const role = input.role ?? 'STUDENT';
  const invalid =
    checkEmail(email) ??
    (input.password.length >= MIN_PASSWORD && input.password.length <= MAX_PASSWORD
      ? null
      : userError('VALIDATION', `The password must be ${MIN_PASSWORD} to ${MAX_PASSWORD} characters.`, 'input.password')) ??
    checkText(input.displayName.trim(), 'input.displayName', 1, 100) ??
    (role === 'ADMIN' ? userError('VALIDATION', 'Only an admin can make admins.', 'input.role') : null);
  if (invalid) return failed(invalid);
  const limited = await rateLimited(deps, 'register', address, email);
  if (limited) return limited;
  const now = new Date();
  const user = Object.assign(new User(), {
    id: randomUUID(),
    email,
    emailKey: emailKey(email),
    displayName: input.displayName.trim(),
    passwordHash: await hashPassword(input.password),
    roles: [role],
    headline: '',
    bio: '',
    website: null,
    createdAt: now,
    updatedAt: now,
  } satisfies User);
  return deps.dataSource.transaction(async (manager) => {
    // The unique index decides; ON CONFLICT keeps an expected outcome out of the error log.
    const inserted = await manager.createQueryBuilder().insert().into(User).values(user).orIgnore().returning(['id']).execute();
    if ((inserted.raw as unknown[]).length === 0) {
      return failed(userError('EMAIL_TAKEN', 'An account with this e-mail address exists already.', 'input.email'));
    }
    return issue(manager, deps, user, randomUUID());
  });
}

/**
 * Signs in. A malformed e-mail address is a VALIDATION error on `input.email`
 * and a password longer than any account can have one on `input.password`,
 * both before any counting, lookup or hashing (bounded work); every other
 * failure is INVALID_CREDENTIALS, telling nothing about which part was wrong.
 */
export async function login(deps: SessionDeps, address: string | null, rawEmail: string, password: string): Promise<AuthPayload> {
  const email = rawEmail.trim();
  const invalid =
    checkEmail(email) ??
    (password.length <= MAX_PASSWORD ? null : userError('VALIDATION', `The password is at most ${MAX_PASSWORD} characters.`, 'input.password'));
  if (invalid) return failed(invalid);
  const limited = await rateLimited(deps, 'login', address, email);
  if (limited) return limited;
  const user = await deps.dataSource
    .getRepository(User)
    .createQueryBuilder('user')
    .addSelect('user.passwordHash')
    .where('user.emailKey = :key', { key: emailKey(email) })
    .getOne();
  // The same work whether or not the address exists, so neither the answer nor its timing tells.
  const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));
  if (!user || !matches) return invalidCredentials();
  return deps.dataSource.transaction((manager) => issue(manager, deps, user, randomUUID()));
}

/**
 * Rotates a refresh token: the old one is spent and a new one of the same
 * family is issued. A token presented a second time means it was stolen (or
 * the legitimate client lost a race with a thief): the whole family is revoked.
 */
export async function refresh(deps: SessionDeps, token: string): Promise<AuthPayload> {
  return deps.dataSource.transaction(async (manager) => {
    const stored = await manager.findOne(RefreshToken, {
      where: { tokenHash: hashToken(token) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!stored || stored.revokedAt || stored.expiresAt.getTime() <= Date.now()) return invalidRefreshToken();
    if (stored.usedAt) {
      await manager.update(RefreshToken, { familyId: stored.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
      deps.log.warn('refresh token reused; session revoked', { userId: stored.userId, familyId: stored.familyId });
      return invalidRefreshToken();
    }
    await manager.update(RefreshToken, { id: stored.id }, { usedAt: new Date() });
    const user = await manager.findOneBy(User, { id: stored.userId });
    if (!user) return invalidRefreshToken();
    return issue(manager, deps, user, stored.familyId);
  });
}

/** Revokes the session (token family) the refresh token belongs to. */
export async function logout(deps: SessionDeps, token: string): Promise<boolean> {
  const stored = await deps.dataSource.getRepository(RefreshToken).findOneBy({ tokenHash: hashToken(token) });
  if (!stored) return false;
  const result = await deps.dataSource
    .getRepository(RefreshToken)
    .update({ familyId: stored.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  return (result.affected ?? 0) > 0;
}
