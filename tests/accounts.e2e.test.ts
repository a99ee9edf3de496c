/**
 * Accounts through the gateway, with real register and login (never a token
 * signed by the test): the tokens and their claims, validation, login that
 * tells nobody whether an address exists, refresh-token rotation with reuse
 * detection, logout, rate limits kept in PostgreSQL, passwords that never
 * leave the accounts subgraph, and e-mail addresses shown to their owner and
 * admins only.
 */
import { createHash, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { RunningServer } from '@coursegraph/runtime';
import { startAccountsSubgraph } from '@coursegraph/accounts';
import { startGateway } from '@coursegraph/gateway';
import { captureLogLines } from '@coursegraph/devkit/logs';
import { bearer, graphql, SECRETS, startStack, testConfig, type GraphQLResponse, type Stack } from '@coursegraph/devkit/stack';

// ---------------------------------------------------------------------------
// Operations and helpers.

const USER_FIELDS = 'id email displayName roles createdAt';
const ERROR_FIELDS = 'code field message retryAfterSeconds';
const AUTH_FIELDS = `accessToken accessTokenExpiresAt accessTokenExpiresIn refreshToken user { ${USER_FIELDS} } userErrors { ${ERROR_FIELDS} }`;
const REGISTER = `mutation Register($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`;
const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { ${AUTH_FIELDS} } }`;
const REFRESH = `mutation Refresh($input: RefreshTokenInput!) { refreshToken(input: $input) { ${AUTH_FIELDS} } }`;
const LOGOUT = `mutation Logout($input: RefreshTokenInput!) { logout(input: $input) { loggedOut userErrors { ${ERROR_FIELDS} } } }`;
const ME = `query Me { me { ${USER_FIELDS} } }`;

type Role = 'STUDENT' | 'INSTRUCTOR' | 'ADMIN';
interface UserOut {
  id: string;
  email: string | null;
  displayName: string;
  roles: Role[];
  createdAt: string;
}
interface UserErrorOut {
  code: string;
  field: string | null;
  message: string;
  retryAfterSeconds: number | null;
}
interface AuthOut {
  accessToken: string | null;
  accessTokenExpiresAt: string | null;
  accessTokenExpiresIn: number | null;
  refreshToken: string | null;
  user: UserOut | null;
  userErrors: UserErrorOut[];
}

interface Account {
  email: string;
  password: string;
  displayName: string;
  user: UserOut;
  accessToken: string;
  refreshToken: string;
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const uniqueEmail = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;
const newPassword = () => `pw-${randomUUID()}`;

/** Sends an operation to a gateway with an optional bearer token and fails loudly on GraphQL errors. */
async function send<T>(url: string, query: string, variables: object = {}, token?: string | null): Promise<T> {
  const response: GraphQLResponse<T> = await graphql(url, query, variables, token ? bearer(token) : {});
  if (response.errors || !response.data) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(response)}`);
  return response.data;
}

const register = async (input: object, url = stack.gatewayUrl) => (await send<{ register: AuthOut }>(url, REGISTER, { input })).register;
const login = async (email: string, password: string, url = stack.gatewayUrl) =>
  (await send<{ login: AuthOut }>(url, LOGIN, { input: { email, password } })).login;
const refresh = async (refreshToken: string, url = stack.gatewayUrl) =>
  (await send<{ refreshToken: AuthOut }>(url, REFRESH, { input: { refreshToken } })).refreshToken;
const logout = async (refreshToken: string) =>
  (await send<{ logout: { loggedOut: boolean; userErrors: UserErrorOut[] } }>(stack.gatewayUrl, LOGOUT, { input: { refreshToken } })).logout;
const me = async (token: string) => (await send<{ me: UserOut | null }>(stack.gatewayUrl, ME, {}, token)).me;

/** Registers an account through the gateway and returns what it answered. */
async function signUp(role: 'STUDENT' | 'INSTRUCTOR' = 'STUDENT', name = role.toLowerCase(), url = stack.gatewayUrl): Promise<Account> {
  const email = uniqueEmail(name);
  const password = newPassword();
  const displayName = `${name} ${randomUUID().slice(0, 4)}`;
  const answer = await register({ email, password, displayName, role }, url);
  if (!answer.accessToken || !answer.refreshToken || !answer.user) throw new Error(`register failed: ${JSON.stringify(answer)}`);
  return { email, password, displayName, user: answer.user, accessToken: answer.accessToken, refreshToken: answer.refreshToken };
}

/** Makes an account an admin in the accounts database and signs in again, so the token carries the role. */
async function promoteToAdmin(account: Account): Promise<Account> {
  await stack.accountsDb.query(`UPDATE app_user SET roles = ARRAY['ADMIN']::varchar[] WHERE id = $1`, [account.user.id]);
  const answer = await login(account.email, account.password);
  expect(answer.userErrors).toEqual([]);
  return { ...account, user: answer.user!, accessToken: answer.accessToken!, refreshToken: answer.refreshToken! };
}

const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function countUsers(where = 'true', params: unknown[] = []): Promise<number> {
  const result = await stack.accountsDb.query(`SELECT count(*)::int AS n FROM app_user WHERE ${where}`, params);
  return result.rows[0].n as number;
}

async function accountsSnapshot(db = stack.accountsDb) {
  const [users, tokens] = await Promise.all([db.query('SELECT * FROM app_user ORDER BY id'), db.query('SELECT * FROM refresh_token ORDER BY id')]);
  return { users: users.rows, tokens: tokens.rows };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** An isolated stack with its own databases, stopped even when the test fails. */
async function withStack<T>(options: Parameters<typeof startStack>[0], run: (s: Stack) => Promise<T>): Promise<T> {
  const own = await startStack(options);
  try {
    return await run(own);
  } finally {
    await own.stop();
  }
}

// ---------------------------------------------------------------------------

describe('register', () => {
  test('returns an access token, a refresh token and the user; the access token works for `me` and carries the claims', async () => {
    const email = uniqueEmail('Claims');
    const password = newPassword();
    const before = Math.floor(Date.now() / 1000);
    // Whitespace around the name, a line break included, is trimmed before it is checked.
    const answer = await register({ email, password, displayName: ' \tClaire Claims \n' });
    const after = Math.ceil(Date.now() / 1000);

    expect(answer.userErrors).toEqual([]);
    // The e-mail address in the payload is checked by 'register and login answer with the signed-in user...'.
    const { email: _shown, ...user } = answer.user!;
    expect(user).toEqual({
      id: expect.stringMatching(UUID),
      displayName: 'Claire Claims',
      roles: ['STUDENT'],
      createdAt: expect.any(String),
    });
    expect(answer.accessToken).toEqual(expect.any(String));
    expect(answer.refreshToken).toEqual(expect.any(String));
    expect(answer.refreshToken).not.toBe(answer.accessToken);

    const accessToken = answer.accessToken!;
    expect(headerOf(accessToken)).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    const claims = payloadOf(accessToken);
    expect(claims).toEqual({
      iss: 'coursegraph',
      aud: 'coursegraph-api',
      sub: answer.user!.id,
      roles: ['STUDENT'],
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.stringMatching(UUID),
    });
    expect(claims.iat).toBeGreaterThanOrEqual(before - 1);
    expect(claims.iat).toBeLessThanOrEqual(after + 1);
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    expect(Math.abs(Date.parse(answer.accessTokenExpiresAt!) - (claims.exp as number) * 1000)).toBeLessThan(2_000);
    // The lifetime too, for clients whose clock is wrong.
    expect(answer.accessTokenExpiresIn).toBe(900);
    // Signed with the gateway's secret, not merely well-formed.
    expect(() =>
      jwt.verify(accessToken, SECRETS.jwtSecret, { algorithms: ['HS256'], issuer: 'coursegraph', audience: 'coursegraph-api' }),
    ).not.toThrow();

    expect(await me(accessToken)).toEqual({ ...answer.user, email });
    const stored = await stack.accountsDb.query('SELECT email, email_key, display_name, roles FROM app_user WHERE id = $1', [answer.user!.id]);
    expect(stored.rows).toEqual([{ email, email_key: email.toLowerCase(), display_name: 'Claire Claims', roles: ['STUDENT'] }]);
  });

  test('spaces around the e-mail address are dropped, at register and at login', async () => {
    const email = uniqueEmail('Padded');
    const password = newPassword();
    const answer = await register({ email: `  ${email} `, password, displayName: 'Padded' });
    expect(answer.userErrors).toEqual([]);
    const stored = await stack.accountsDb.query('SELECT email, email_key FROM app_user WHERE id = $1', [answer.user!.id]);
    expect(stored.rows).toEqual([{ email, email_key: email.toLowerCase() }]);
    const signedIn = await login(` ${email.toUpperCase()}  `, password);
    expect(signedIn.userErrors).toEqual([]);
    expect(signedIn.user!.id).toBe(answer.user!.id);
  });

  test('every token is unique (jti), and an instructor gets the INSTRUCTOR role in its token', async () => {
    const instructor = await signUp('INSTRUCTOR');
    const again = await login(instructor.email, instructor.password);
    expect(payloadOf(instructor.accessToken).roles).toEqual(['INSTRUCTOR']);
    expect(payloadOf(again.accessToken!).roles).toEqual(['INSTRUCTOR']);
    expect(payloadOf(again.accessToken!).jti).not.toBe(payloadOf(instructor.accessToken).jti);
    expect(again.refreshToken).not.toBe(instructor.refreshToken);
  });

  test('the same e-mail address in another letter case is EMAIL_TAKEN and adds no row', async () => {
    const local = `Dup.${randomUUID().slice(0, 8)}`;
    const first = await register({ email: `${local}@Example.com`, password: newPassword(), displayName: 'First' });
    expect(first.userErrors).toEqual([]);
    const snapshot = await accountsSnapshot();
    const second = await register({ email: `${local.toUpperCase()}@EXAMPLE.COM`, password: newPassword(), displayName: 'Second' });
    expect(second).toEqual({
      accessToken: null,
      accessTokenExpiresAt: null,
      accessTokenExpiresIn: null,
      refreshToken: null,
      user: null,
      userErrors: [{ code: 'EMAIL_TAKEN', field: 'input.email', message: expect.stringMatching(/\S/), retryAfterSeconds: null }],
    });
    expect(await countUsers('email_key = $1', [`${local}@example.com`.toLowerCase()])).toBe(1);
    expect(await accountsSnapshot()).toEqual(snapshot);
  });

  test('a 254-character e-mail address is a valid one (control of the 255-character case below)', async () => {
    const email = `${randomUUID().slice(0, 8)}${'l'.repeat(56)}@${'d'.repeat(185)}.com`;
    expect(email).toHaveLength(254);
    expect((await register({ email, password: newPassword(), displayName: 'Long Address' })).userErrors).toEqual([]);
  });

  test('the bounds themselves are accepted: 64-character local part, 190-character domain name, 2- and 63-letter top-level domains, 10- and 200-character passwords', async () => {
    const tag = randomUUID().slice(0, 8);
    for (const [email, password] of [
      [`${tag}${'l'.repeat(56)}@example.com`, newPassword()],
      [`${tag}@${'d'.repeat(190)}.com`, newPassword()],
      [`${tag}@example.io`, newPassword()],
      [`${tag}-63@example.${'c'.repeat(63)}`, newPassword()],
      [uniqueEmail('ten'), '0123456789'],
      [uniqueEmail('two-hundred'), 'p'.repeat(200)],
    ]) {
      expect({ email, errors: (await register({ email, password, displayName: 'Bound' })).userErrors }).toEqual({ email, errors: [] });
      // Sign-in takes the same bounds.
      expect({ email, errors: (await login(email, password)).userErrors }).toEqual({ email, errors: [] });
    }
  });

  const invalid: [string, string, object][] = [
    ['an e-mail address without @', 'input.email', { email: 'not-an-address' }],
    ['an e-mail address with a space', 'input.email', { email: 'a b@example.com' }],
    ['an empty e-mail address', 'input.email', { email: '' }],
    // Each part within its own bound, the whole over RFC 5321's 254 characters.
    ['a 255-character e-mail address', 'input.email', { email: `${'l'.repeat(64)}@${'d'.repeat(186)}.com` }],
    ['a 65-character local part', 'input.email', { email: `${'l'.repeat(65)}@example.com` }],
    ['a 191-character domain name', 'input.email', { email: `a@${'d'.repeat(191)}.com` }],
    ['a one-letter top-level domain', 'input.email', { email: 'someone@example.c' }],
    ['a 64-letter top-level domain', 'input.email', { email: `someone@example.${'c'.repeat(64)}` }],
    ['two @', 'input.email', { email: 'some@one@example.com' }],
    ['a 9-character password', 'input.password', { password: '123456789' }],
    ['a 201-character password', 'input.password', { password: 'x'.repeat(201) }],
    ['an empty display name', 'input.displayName', { displayName: '' }],
    ['a blank display name', 'input.displayName', { displayName: '   ' }],
    ['a 101-character display name', 'input.displayName', { displayName: 'n'.repeat(101) }],
    ['role ADMIN', 'input.role', { role: 'ADMIN' }],
  ];
  test.each(invalid)('%s is VALIDATION on %s and adds no row', async (_label, field, override) => {
    const input = { email: uniqueEmail('valid'), password: newPassword(), displayName: 'Val Idation', role: 'STUDENT', ...override };
    const snapshot = await accountsSnapshot();
    const answer = await register(input);
    expect(answer).toEqual({
      accessToken: null,
      accessTokenExpiresAt: null,
      accessTokenExpiresIn: null,
      refreshToken: null,
      user: null,
      userErrors: [{ code: 'VALIDATION', field, message: expect.stringMatching(/\S/), retryAfterSeconds: null }],
    });
    expect(await accountsSnapshot()).toEqual(snapshot);
    expect(await countUsers('email_key = $1', [String(input.email).toLowerCase()])).toBe(0);
  });
});

describe('login', () => {
  let account: Account;
  beforeAll(async () => {
    account = await signUp('STUDENT', 'Login.Case');
  });

  test('a wrong password and an unknown e-mail address get the very same answer', async () => {
    const wrongPassword = await login(account.email, `${account.password}-wrong`);
    const unknownEmail = await login(uniqueEmail('nobody'), account.password);
    const expected: AuthOut = {
      accessToken: null,
      accessTokenExpiresAt: null,
      accessTokenExpiresIn: null,
      refreshToken: null,
      user: null,
      userErrors: [{ code: 'INVALID_CREDENTIALS', field: null, message: expect.stringMatching(/\S/), retryAfterSeconds: null }],
    };
    expect(wrongPassword).toEqual(expected);
    expect(unknownEmail).toEqual(expected);
    expect(unknownEmail).toEqual(wrongPassword);
  });

  test('a wrong password and an unknown e-mail address take comparable time (unknown addresses still run scrypt)', async () => {
    const wrong: number[] = [];
    const unknown: number[] = [];
    const timed = async (email: string, into: number[]) => {
      const started = performance.now();
      const answer = await login(email, 'not-the-password-at-all');
      into.push(performance.now() - started);
      expect(answer.userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
    };
    await timed(account.email, []); // warm-up
    for (let i = 0; i < 6; i++) {
      // Interleaved, so load from elsewhere hits both alike.
      await timed(account.email, wrong);
      await timed(uniqueEmail('ghost'), unknown);
    }
    const ratio = median(unknown) / median(wrong);
    // scrypt (N=2^15) dominates a login; skipping it for unknown addresses would make the ratio far below 0.5.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  test('the e-mail address is matched in any letter case', async () => {
    const answer = await login(account.email.toUpperCase(), account.password);
    expect(answer.userErrors).toEqual([]);
    expect(answer.user!.id).toBe(account.user.id);
    expect(payloadOf(answer.accessToken!).sub).toBe(account.user.id);
    expect((await me(answer.accessToken!))!.id).toBe(account.user.id);
  });

  test.each([
    ['a malformed e-mail address', 'input.email', () => ['not-an-address', 'whatever-password']],
    ['a password longer than any account has', 'input.password', () => [account.email, 'x'.repeat(201)]],
  ])('%s is VALIDATION on %s, before anything is counted or looked up', async (_label, field, args) => {
    const [email, password] = args();
    const attempts = async () =>
      (await stack.accountsDb.query(`SELECT coalesce(sum(attempts), 0)::int AS n FROM rate_limit WHERE key LIKE 'login:%'`)).rows[0].n as number;
    const before = await attempts();
    const answer = await login(email!, password!);
    expect(answer).toEqual({
      accessToken: null,
      accessTokenExpiresAt: null,
      accessTokenExpiresIn: null,
      refreshToken: null,
      user: null,
      userErrors: [{ code: 'VALIDATION', field, message: expect.stringMatching(/\S/), retryAfterSeconds: null }],
    });
    expect(await attempts()).toBe(before);
  });

  test('the password is matched exactly (case matters)', async () => {
    const answer = await login(account.email, account.password.toUpperCase());
    expect(answer.userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
  });
});

describe('refreshToken', () => {
  test('rotates: a new refresh token that works, and a new access token', async () => {
    const account = await signUp();
    const rotated = await refresh(account.refreshToken);
    expect(rotated.userErrors).toEqual([]);
    expect(rotated.refreshToken).toEqual(expect.any(String));
    expect(rotated.refreshToken).not.toBe(account.refreshToken);
    expect(rotated.user!.id).toBe(account.user.id);
    expect(payloadOf(rotated.accessToken!).jti).not.toBe(payloadOf(account.accessToken).jti);
    expect((await me(rotated.accessToken!))!.id).toBe(account.user.id);
    const again = await refresh(rotated.refreshToken!);
    expect(again.userErrors).toEqual([]);
    expect(again.refreshToken).not.toBe(rotated.refreshToken);
  });

  test('reusing a spent token is INVALID_REFRESH_TOKEN and revokes its whole family; another session keeps working', async () => {
    const account = await signUp();
    const otherSession = await login(account.email, account.password);
    const first = account.refreshToken;
    const second = (await refresh(first)).refreshToken!;
    const third = (await refresh(second)).refreshToken!; // issued after the first rotation: the newest of the family

    const reused = await refresh(first);
    expect(reused).toEqual({
      accessToken: null,
      accessTokenExpiresAt: null,
      accessTokenExpiresIn: null,
      refreshToken: null,
      user: null,
      userErrors: [{ code: 'INVALID_REFRESH_TOKEN', field: 'input.refreshToken', message: expect.stringMatching(/\S/), retryAfterSeconds: null }],
    });
    expect((await refresh(third)).userErrors.map((e) => e.code)).toEqual(['INVALID_REFRESH_TOKEN']);
    expect((await refresh(second)).userErrors.map((e) => e.code)).toEqual(['INVALID_REFRESH_TOKEN']);

    const family = await stack.accountsDb.query(
      `SELECT count(*)::int AS total, count(revoked_at)::int AS revoked FROM refresh_token
        WHERE family_id = (SELECT family_id FROM refresh_token WHERE token_hash = $1)`,
      [createHash('sha256').update(first).digest('hex')],
    );
    expect(family.rows[0]).toEqual({ total: 3, revoked: 3 });

    const other = await refresh(otherSession.refreshToken!);
    expect(other.userErrors).toEqual([]);
    expect(other.user!.id).toBe(account.user.id);
  });

  test('a refreshed access token carries the roles stored now, not the ones at sign-in', async () => {
    const account = await signUp();
    await stack.accountsDb.query(`UPDATE app_user SET roles = ARRAY['INSTRUCTOR']::varchar[] WHERE id = $1`, [account.user.id]);
    const rotated = await refresh(account.refreshToken);
    expect(rotated.userErrors).toEqual([]);
    expect(payloadOf(rotated.accessToken!).roles).toEqual(['INSTRUCTOR']);
    expect((await me(rotated.accessToken!))!.roles).toEqual(['INSTRUCTOR']);
  });

  test('unknown and garbage tokens are INVALID_REFRESH_TOKEN', async () => {
    for (const token of ['', 'garbage', 'A'.repeat(43), "' OR 1=1 --"]) {
      expect((await refresh(token)).userErrors.map((e) => e.code)).toEqual(['INVALID_REFRESH_TOKEN']);
    }
  });

  test('two concurrent uses of one token: exactly one rotates it, the other is the reuse that ends the family', async () => {
    const account = await signUp();
    const answers = await Promise.all([refresh(account.refreshToken), refresh(account.refreshToken)]);
    // The row lock queues the second use behind the first, which then finds the token spent.
    const [winner, loser] = answers[0]!.refreshToken ? answers : [answers[1]!, answers[0]!];
    expect(winner!.userErrors).toEqual([]);
    expect(winner!.user!.id).toBe(account.user.id);
    expect(winner!.refreshToken).toEqual(expect.any(String));
    expect(winner!.refreshToken).not.toBe(account.refreshToken);
    expect(payloadOf(winner!.accessToken!).sub).toBe(account.user.id);
    expect(loser).toMatchObject({ accessToken: null, refreshToken: null, user: null });
    expect(loser!.userErrors.map((e) => e.code)).toEqual(['INVALID_REFRESH_TOKEN']);
    // The reuse revoked the family, the winner's rotated token included.
    expect((await refresh(winner!.refreshToken!)).userErrors.map((e) => e.code)).toEqual(['INVALID_REFRESH_TOKEN']);
    const family = await stack.accountsDb.query(
      `SELECT count(*)::int AS total, count(used_at)::int AS used, count(revoked_at)::int AS revoked FROM refresh_token WHERE user_id = $1`,
      [account.user.id],
    );
    expect(family.rows[0]).toEqual({ total: 2, used: 1, revoked: 2 });
  });

  test('a refresh token lives REFRESH_TOKEN_TTL_SECONDS: usable before, refused once expired', async () => {
    const servers: RunningServer[] = [];
    try {
      const accountsDbUrl = (stack.accountsDb as unknown as { options: { connectionString: string } }).options.connectionString;
      // Long enough for a register and a refresh on a loaded machine, short enough to wait out.
      const shortLived = await startAccountsSubgraph(testConfig.accounts(accountsDbUrl, { refreshTokenTtlSeconds: 5 }));
      servers.push(shortLived);
      const gateway = await startGateway(
        testConfig.gateway({ accounts: `${shortLived.url}/graphql`, course: stack.courseUrl, order: stack.orderUrl }),
      );
      servers.push(gateway);
      const url = `${gateway.url}/graphql`;
      const account = await signUp('STUDENT', 'ttl', url);
      const stored = async (token: string) =>
        (
          await stack.accountsDb.query(`SELECT created_at, expires_at FROM refresh_token WHERE token_hash = $1`, [
            createHash('sha256').update(token).digest('hex'),
          ])
        ).rows[0] as { created_at: Date; expires_at: Date };
      const first = await stored(account.refreshToken);
      expect(first.expires_at.getTime() - first.created_at.getTime()).toBe(5_000);
      const rotated = await refresh(account.refreshToken, url);
      expect(rotated.userErrors).toEqual([]);
      const { expires_at: expiresAt } = await stored(rotated.refreshToken!);
      // Wait on the clock, not a guess: until the stored expiry has passed.
      while (Date.now() <= expiresAt.getTime()) await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 20));
      expect(await refresh(rotated.refreshToken!, url)).toEqual({
        accessToken: null,
        accessTokenExpiresAt: null,
        accessTokenExpiresIn: null,
        refreshToken: null,
        user: null,
        userErrors: [{ code: 'INVALID_REFRESH_TOKEN', field: 'input.refreshToken', message: expect.stringMatching(/\S/), retryAfterSeconds: null }],
      });
    } finally {
      for (const server of servers.reverse()) await server.stop();
    }
  });

  test('the refresh token is stored only as its SHA-256 hash', async () => {
    const account = await signUp();
    const rows = await stack.accountsDb.query('SELECT row_to_json(t)::text AS json, token_hash FROM refresh_token t WHERE user_id = $1', [
      account.user.id,
    ]);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0].token_hash).toBe(createHash('sha256').update(account.refreshToken).digest('hex'));
    expect(rows.rows[0].json).not.toContain(account.refreshToken);
  });
});

describe('logout', () => {
  test("revokes the session's refresh tokens: refresh is refused afterwards, a second logout is false", async () => {
    const account = await signUp();
    const otherSession = await login(account.email, account.password);
    const rotated = (await refresh(account.refreshToken)).refreshToken!;

    expect(await logout(rotated)).toEqual({ loggedOut: true, userErrors: [] });
    expect((await refresh(rotated)).userErrors.map((e) => e.code)).toEqual(['INVALID_REFRESH_TOKEN']);
    expect((await refresh(account.refreshToken)).userErrors.map((e) => e.code)).toEqual(['INVALID_REFRESH_TOKEN']);
    expect(await logout(rotated)).toEqual({ loggedOut: false, userErrors: [] });
    expect(await logout(account.refreshToken)).toEqual({ loggedOut: false, userErrors: [] });
    expect(await logout('never-issued')).toEqual({ loggedOut: false, userErrors: [] });

    // Only that session ended.
    const other = await refresh(otherSession.refreshToken!);
    expect(other.userErrors).toEqual([]);
  });
});

describe('rate limits (counted in PostgreSQL)', () => {
  const expectRateLimited = (answer: AuthOut, windowSeconds: number) => {
    expect(answer).toMatchObject({ accessToken: null, refreshToken: null, user: null });
    expect(answer.userErrors).toHaveLength(1);
    const [error] = answer.userErrors;
    expect(error!.code).toBe('RATE_LIMITED');
    expect(error!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error!.retryAfterSeconds).toBeLessThanOrEqual(windowSeconds);
    expect(error!.message).toContain(`${error!.retryAfterSeconds} second`);
  };

  test('per e-mail address: the 4th attempt is RATE_LIMITED (even with the right password); another address still works', async () => {
    await withStack({ accounts: { rateLimitPerEmail: 3, rateLimitPerAddress: 100, rateLimitWindowSeconds: 60 } }, async (s) => {
      const target = await signUp('STUDENT', 'target', s.gatewayUrl);
      const bystander = await signUp('STUDENT', 'bystander', s.gatewayUrl);
      for (let i = 0; i < 3; i++) {
        expect((await login(target.email, 'wrong-password-123', s.gatewayUrl)).userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
      }
      expectRateLimited(await login(target.email, 'wrong-password-123', s.gatewayUrl), 60);
      // Letter case does not open a new window, and the right password is refused too while it lasts.
      expectRateLimited(await login(target.email.toUpperCase(), target.password, s.gatewayUrl), 60);
      const other = await login(bystander.email, bystander.password, s.gatewayUrl);
      expect(other.userErrors).toEqual([]);
      expect(other.accessToken).toEqual(expect.any(String));
    });
  });

  test('register per client address: the (N+1)-th registration from one client is RATE_LIMITED and adds no account', async () => {
    const perAddress = 3;
    await withStack({ accounts: { rateLimitPerEmail: 100, rateLimitPerAddress: perAddress, rateLimitWindowSeconds: 60 } }, async (s) => {
      for (let i = 0; i < perAddress; i++) await signUp('STUDENT', `reg${i}`, s.gatewayUrl);
      const email = uniqueEmail('one-too-many');
      expectRateLimited(await register({ email, password: newPassword(), displayName: 'Too many' }, s.gatewayUrl), 60);
      expect((await s.accountsDb.query(`SELECT count(*)::int AS n FROM app_user`)).rows[0].n).toBe(perAddress);
      // Counted apart from logins: a login from the same client still goes through.
      expect((await login(uniqueEmail('nobody'), 'wrong-password-123', s.gatewayUrl)).userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
    });
  });

  test('per client address: after N attempts from one client, every e-mail address is limited', async () => {
    const perAddress = 5;
    await withStack({ accounts: { rateLimitPerEmail: 100, rateLimitPerAddress: perAddress, rateLimitWindowSeconds: 60 } }, async (s) => {
      const account = await signUp('STUDENT', 'addr', s.gatewayUrl);
      for (let i = 0; i < perAddress; i++) {
        expect((await login(uniqueEmail(`spray${i}`), 'wrong-password-123', s.gatewayUrl)).userErrors.map((e) => e.code)).toEqual([
          'INVALID_CREDENTIALS',
        ]);
      }
      expectRateLimited(await login(uniqueEmail('fresh'), 'wrong-password-123', s.gatewayUrl), 60);
      expectRateLimited(await login(account.email, account.password, s.gatewayUrl), 60);
      const keys = await s.accountsDb.query(`SELECT key, attempts FROM rate_limit WHERE key LIKE 'login:address:%'`);
      expect(keys.rows).toEqual([{ key: expect.stringMatching(/^login:address:(::ffff:)?127\.0\.0\.1$/), attempts: perAddress + 2 }]);
    });
  });

  test('the limit is shared by every accounts instance (two gateways, two accounts subgraphs, one database)', async () => {
    await withStack({ accounts: { rateLimitPerEmail: 4, rateLimitPerAddress: 100, rateLimitWindowSeconds: 60 } }, async (s) => {
      const servers: RunningServer[] = [];
      try {
        const accountsDbUrl = (s.accountsDb as unknown as { options: { connectionString: string } }).options.connectionString;
        const accounts2 = await startAccountsSubgraph(
          testConfig.accounts(accountsDbUrl, {
            refreshTokenTtlSeconds: 3600,
            rateLimitPerAddress: 100,
            rateLimitPerEmail: 4,
            rateLimitWindowSeconds: 60,
          }),
        );
        servers.push(accounts2);
        const gateway2 = await startGateway(testConfig.gateway({ accounts: `${accounts2.url}/graphql`, course: s.courseUrl, order: s.orderUrl }));
        servers.push(gateway2);
        const gateways = [s.gatewayUrl, `${gateway2.url}/graphql`];
        const account = await signUp('STUDENT', 'shared', gateways[1]);
        // Two attempts through each instance use up the limit of four.
        for (let i = 0; i < 4; i++) {
          expect((await login(account.email, 'wrong-password-123', gateways[i % 2])).userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
        }
        for (const url of gateways) expectRateLimited(await login(account.email, account.password, url), 60);
      } finally {
        for (const server of servers.reverse()) await server.stop();
      }
    });
  });
});

describe('passwords never leave the accounts subgraph', () => {
  test('no output type of the public API has a password field', async () => {
    const user = await graphql<{ __type: { fields: { name: string }[] } }, object>(stack.gatewayUrl, '{ __type(name: "User") { fields { name } } }');
    const userFields = user.data!.__type.fields.map((f) => f.name);
    expect(userFields).toEqual(expect.arrayContaining(['id', 'email', 'displayName', 'roles']));
    expect(userFields.filter((name) => /password|hash/i.test(name))).toEqual([]);

    const schema = await graphql<{ __schema: { types: { name: string; kind: string; fields: { name: string }[] | null }[] } }, object>(
      stack.gatewayUrl,
      '{ __schema { types { name kind fields { name } } } }',
    );
    const outputFields = schema
      .data!.__schema.types.filter((type) => type.kind === 'OBJECT' || type.kind === 'INTERFACE')
      .flatMap((type) => (type.fields ?? []).map((field) => `${type.name}.${field.name}`));
    expect(outputFields.length).toBeGreaterThan(50);
    expect(outputFields.filter((name) => /password|hash/i.test(name))).toEqual([]);
  });

  test('the accounts database holds only scrypt hashes, never the password itself', async () => {
    const account = await signUp();
    await login(account.email, account.password);
    const rows = await stack.accountsDb.query('SELECT password_hash, row_to_json(u)::text AS json FROM app_user u');
    expect(rows.rows.length).toBeGreaterThan(1);
    for (const row of rows.rows) expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/);
    const all = rows.rows.map((row) => row.json as string).join('\n');
    expect(all).not.toContain(account.password);
    const tokens = await stack.accountsDb.query('SELECT row_to_json(t)::text AS json FROM refresh_token t');
    expect(tokens.rows.map((row) => row.json).join('\n')).not.toContain(account.password);
  });

  test('with LOG_LEVEL=debug and LOG_SQL=true, register, login, refresh reuse and failures log no password and no token', async () => {
    const password = `Secret-${randomUUID()}`;
    const wrongPassword = `Wrong-${randomUUID()}`;
    const shortPassword = 'short-pw';
    const email = uniqueEmail('logged');
    const tokens: string[] = [];
    const log = await captureLogs({ LOG_LEVEL: 'debug', LOG_SQL: 'true' }, async (url) => {
      const registered = await register({ email, password, displayName: 'Logged Person' }, url);
      expect(registered.userErrors).toEqual([]);
      const loggedIn = await login(email, password, url);
      expect(loggedIn.userErrors).toEqual([]);
      tokens.push(registered.accessToken!, registered.refreshToken!, loggedIn.accessToken!, loggedIn.refreshToken!);
      // A signed-in request: its bearer token reaches the gateway and, as a signed identity, the accounts subgraph.
      expect((await send<{ me: UserOut }>(url, ME, {}, loggedIn.accessToken)).me.email).toBe(email);
      expect((await login(email, wrongPassword, url)).userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
      expect((await register({ email, password, displayName: 'Again' }, url)).userErrors.map((e) => e.code)).toEqual(['EMAIL_TAKEN']);
      expect((await register({ email: uniqueEmail('short'), password: shortPassword, displayName: 'Short' }, url)).userErrors[0]!.code).toBe(
        'VALIDATION',
      );
      // A reused refresh token logs a warning.
      expect((await refresh(registered.refreshToken!, url)).userErrors).toEqual([]);
      expect((await refresh(registered.refreshToken!, url)).userErrors[0]!.code).toBe('INVALID_REFRESH_TOKEN');
    });
    // The capture works: the SQL with its parameters and the reuse warning were logged.
    expect(log.includes('INSERT INTO \\"app_user\\"')).toBe(true);
    expect(log.includes(email)).toBe(true);
    expect(log.includes('refresh token reused')).toBe(true);
    // ...and no password, right or wrong, is in it.
    expect(log.includes(password)).toBe(false);
    expect(log.includes(wrongPassword)).toBe(false);
    expect(log.includes(shortPassword)).toBe(false);
    // ...nor any access or refresh token.
    expect(tokens.filter((token) => log.includes(token))).toEqual([]);
  });

  test('at the default log level, an expected EMAIL_TAKEN logs neither the password nor its hash', async () => {
    const password = `Secret-${randomUUID()}`;
    const email = uniqueEmail('dup-logged');
    const log = await captureLogs({ LOG_LEVEL: 'info', LOG_SQL: undefined }, async (url) => {
      expect((await register({ email, password, displayName: 'First' }, url)).userErrors).toEqual([]);
      expect((await register({ email: email.toUpperCase(), password, displayName: 'Second' }, url)).userErrors.map((e) => e.code)).toEqual([
        'EMAIL_TAKEN',
      ]);
    });
    expect(log.includes(password)).toBe(false);
    // A password hash is credential material (it can be cracked offline): it has no place in logs.
    const hashLines = log
      .split('\n')
      .filter((line) => line.includes('scrypt$'))
      .map((line) => {
        const entry = JSON.parse(line) as { level: string; service: string; msg: string; sql: string };
        return `${entry.level} ${entry.service} "${entry.msg}" ${entry.sql.slice(0, 30)}... with a scrypt$ hash in its parameters`;
      });
    expect(hashLines).toEqual([]);
  });
});

/**
 * Runs `work` against a stack started with `env` set (loggers read LOG_LEVEL
 * and LOG_SQL when a service starts) and returns every JSON log line the
 * services wrote, from start to stop; other output passes through.
 */
async function captureLogs(env: Record<string, string | undefined>, work: (gatewayUrl: string) => Promise<void>): Promise<string> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const setEnv = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  const capture = captureLogLines();
  try {
    setEnv(env);
    let logged: Stack;
    try {
      logged = await startStack();
    } finally {
      setEnv(saved);
    }
    try {
      await work(logged.gatewayUrl);
    } finally {
      await logged.stop();
    }
  } finally {
    capture.restore();
  }
  return capture.text();
}

describe('e-mail addresses are shown to their owner and to admins only', () => {
  const COURSE_INSTRUCTOR = `query ($id: ID!) { course(id: $id) { id instructor { id displayName email } } }`;
  let student: Account;
  let instructor: Account;
  let admin: Account;
  let courseId: string;

  beforeAll(async () => {
    student = await signUp('STUDENT', 'eve');
    instructor = await signUp('INSTRUCTOR', 'ivan');
    admin = await promoteToAdmin(await signUp('STUDENT', 'ada'));
    const created = await send<{ createCourse: { course: { id: string } } }>(
      stack.gatewayUrl,
      `mutation ($input: CreateCourseInput!) { createCourse(input: $input) { course { id } userErrors { code } } }`,
      { input: { title: 'Email visibility', price: { amount: 100, currency: 'USD' }, capacity: 3 } },
      instructor.accessToken,
    );
    courseId = created.createCourse.course.id;
    await send(
      stack.gatewayUrl,
      `mutation ($input: CourseIdInput!) { publishCourse(input: $input) { course { status } } }`,
      { input: { courseId } },
      instructor.accessToken,
    );
  });

  test('the admin token carries the ADMIN role from the database', () => {
    expect(payloadOf(admin.accessToken).roles).toEqual(['ADMIN']);
  });

  const viewers: [string, 'null' | 'the address', () => string | null][] = [
    ['anonymous', 'null', () => null],
    ['another user (a student)', 'null', () => student.accessToken],
    ['the user themself', 'the address', () => instructor.accessToken],
    ['an admin', 'the address', () => admin.accessToken],
  ];
  test.each(viewers)("an instructor's e-mail address (course.instructor.email) seen by %s: %s", async (_label, expected, token) => {
    const data = await send<{ course: { instructor: { id: string; displayName: string; email: string | null } } }>(
      stack.gatewayUrl,
      COURSE_INSTRUCTOR,
      { id: courseId },
      token(),
    );
    expect(data.course.instructor).toEqual({
      id: instructor.user.id,
      displayName: instructor.displayName,
      email: expected === 'the address' ? instructor.email : null,
    });
  });

  test('`me` shows the own e-mail address; anonymous `me` is null', async () => {
    expect((await me(student.accessToken))!.email).toBe(student.email);
    expect((await me(admin.accessToken))!.email).toBe(admin.email);
    expect(await send<{ me: null }>(stack.gatewayUrl, ME)).toEqual({ me: null });
  });

  test('register and login answer with the signed-in user, own e-mail address included', async () => {
    const email = uniqueEmail('payload');
    const password = newPassword();
    const registered = await register({ email, password, displayName: 'Pay Load' });
    const loggedIn = await login(email, password);
    const refreshed = await refresh(loggedIn.refreshToken!);
    expect(registered.user!.email).toBe(email);
    expect(loggedIn.user!.email).toBe(email);
    expect(refreshed.user!.email).toBe(email);
  });
});
