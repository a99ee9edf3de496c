/**
 * Gateway authentication on its own: what `authenticate` makes of an
 * Authorization header, and what `IdentityDataSource` sends a subgraph.
 */
import { Headers } from 'node-fetch';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { BUDGET_HEADER, CLIENT_HEADER, IDENTITY_HEADER, signUserToken, verifyClientAddress, verifyIdentity, type Viewer } from '@coursegraph/runtime';
import { ANNOUNCED_BUDGET_SHARE, authenticate, IdentityDataSource, type GatewayContext } from '../src/auth';

const secrets = { jwtSecret: 'auth-test-jwt-secret-0123456789abcdef0123', subgraphSecret: 'auth-test-subgraph-secret-0123456789abcdef' };
const student: Viewer = { userId: 'c0c00007-0000-4000-8000-000000000000', roles: ['STUDENT'] };
const token = () => signUserToken(secrets.jwtSecret, student);

describe('authenticate', () => {
  test.each([
    ['no header', undefined],
    ['an empty header', ''],
  ])('%s is an anonymous caller with the anonymous assertion', (_label, authorization) => {
    const context = authenticate(authorization, secrets);
    expect(context.viewer).toBeNull();
    expect(verifyIdentity(secrets.subgraphSecret, context.identity)).toBeNull();
  });

  test.each([['Bearer'], ['bearer'], ['BEARER']])('"%s <token>" names the user, and the assertion for subgraphs names the same user', (scheme) => {
    const context = authenticate(`${scheme} ${token()}`, secrets);
    expect(context.viewer).toEqual(student);
    expect(verifyIdentity(secrets.subgraphSecret, context.identity)).toEqual(student);
    // The assertion is the gateway's own, not the user's token passed on.
    expect(() => verifyIdentity(secrets.jwtSecret, context.identity)).toThrow();
  });

  test.each([
    ['a token without the scheme', () => token()],
    ['two spaces after the scheme', () => `Bearer  ${token()}`],
    ['two tokens', () => `Bearer ${token()} ${token()}`],
    ['another scheme', () => `Basic ${token()}`],
    ['text before the scheme', () => `Basic Bearer ${token()}`],
    ['the scheme alone', () => 'Bearer'],
    ['a token signed with the subgraph secret', () => `Bearer ${signUserToken(secrets.subgraphSecret, student)}`],
    ['an expired token', () => `Bearer ${signUserToken(secrets.jwtSecret, student, -10)}`],
  ])('%s is refused: UNAUTHENTICATED with HTTP 401', (_label, authorization) => {
    let thrown: unknown;
    try {
      authenticate(authorization(), secrets);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      message: 'The access token is invalid or expired.',
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  });

  test('the client address is asserted only when known, signed once per request', () => {
    expect(authenticate(undefined, secrets).clientAddress()).toBeNull();
    jest.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z') });
    try {
      const context = authenticate(`Bearer ${token()}`, secrets, '10.1.2.3');
      const signed = context.clientAddress()!;
      expect(verifyClientAddress(secrets.subgraphSecret, signed)).toBe('10.1.2.3');
      jest.advanceTimersByTime(2_000);
      expect(context.clientAddress()).toBe(signed);
    } finally {
      jest.useRealTimers();
    }
  });

  describe('on a controlled clock', () => {
    beforeEach(() => jest.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z') }));
    afterEach(() => jest.useRealTimers());

    test('anonymous requests share one assertion (so identical anonymous queries can share a subgraph request), renewed every 30 s', () => {
      // Secrets of its own: the gateway caches one anonymous source per secret, and this one lives on the moved clock.
      const clocked = { ...secrets, subgraphSecret: 'auth-test-clocked-secret-0123456789abcdef' };
      const first = authenticate(undefined, clocked).identity;
      jest.advanceTimersByTime(29_000);
      expect(authenticate(undefined, clocked).identity).toBe(first);
      jest.advanceTimersByTime(1_000);
      const renewed = authenticate(undefined, clocked).identity;
      expect(renewed).not.toBe(first);
      expect(verifyIdentity(clocked.subgraphSecret, renewed)).toBeNull();
      // Another gateway secret, another assertion.
      const other = { ...secrets, subgraphSecret: 'auth-test-other-secret-0123456789abcdef0123' };
      expect(verifyIdentity(other.subgraphSecret, authenticate(undefined, other).identity)).toBeNull();
    });
  });
});

describe('IdentityDataSource', () => {
  /** The headers a data source sets on a request to its subgraph for `context`. */
  function sent(context: Partial<GatewayContext>, sendClientAddress?: boolean): Record<string, string> {
    const source = new IdentityDataSource({ url: 'http://127.0.0.1:9/graphql', fetcher: (() => undefined) as never, sendClientAddress });
    const request = { http: { method: 'POST', url: '', headers: new Headers() } };
    source.willSendRequest({ request, context } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>);
    return Object.fromEntries(request.http.headers.entries());
  }

  test('sends the request identity; the client address only to a subgraph that rate-limits by it', () => {
    const context = authenticate(`Bearer ${token()}`, secrets, '10.1.2.3');
    // By default (every subgraph but accounts) no address.
    expect(sent(context)).toEqual({ [IDENTITY_HEADER]: context.identity });
    expect(sent(context, false)).toEqual({ [IDENTITY_HEADER]: context.identity });
    const accounts = sent(context, true);
    expect(Object.keys(accounts).sort()).toEqual([CLIENT_HEADER, IDENTITY_HEADER].sort());
    expect(verifyClientAddress(secrets.subgraphSecret, accounts[CLIENT_HEADER]!)).toBe('10.1.2.3');
    // No address known: no header, even to such a subgraph.
    expect(sent(authenticate(undefined, secrets), true)).toEqual({ [IDENTITY_HEADER]: expect.any(String) });
  });

  test('sends its share of the time left as the budget, never below zero', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const context = authenticate(undefined, secrets);
      expect(sent({ ...context, deadline: Date.now() + 10_000 })[BUDGET_HEADER]).toBe(String(Math.floor(10_000 * ANNOUNCED_BUDGET_SHARE)));
      expect(sent({ ...context, deadline: Date.now() + 1_001 })[BUDGET_HEADER]).toBe('900');
      expect(sent({ ...context, deadline: Date.now() - 5_000 })[BUDGET_HEADER]).toBe('0');
    } finally {
      jest.useRealTimers();
    }
  });

  test('a context without an identity (not a client request) sets nothing', () => {
    expect(sent({ viewer: null } as Partial<GatewayContext>)).toEqual({});
  });
});
