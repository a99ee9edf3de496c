/**
 * The gateway's edge toward browsers and proxies (issue 13, items B and C):
 * CORS on HTTP and the Origin check on the websocket upgrade, in production
 * and development configurations; and TRUST_PROXY deciding whether
 * X-Forwarded-For names the client for the per-address auth rate limit.
 * Each test starts the gateway it needs on one shared stack's subgraphs.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { RunningServer } from '@coursegraph/runtime';
import { parseCorsOrigins, parseTrustProxy, startGateway, type GatewayConfig } from '@coursegraph/gateway';
import { graphql, startStack, testConfig, type Stack } from '@coursegraph/devkit/stack';
import { wsUrl } from '@coursegraph/devkit/ws';

let stack: Stack;
const servers: RunningServer[] = [];
beforeAll(async () => {
  stack = await startStack({ accounts: { rateLimitPerAddress: 3, rateLimitPerEmail: 100, rateLimitWindowSeconds: 60 } });
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});
afterAll(() => stack?.stop());

/** A gateway on the stack's subgraphs, stopped after the test. */
async function gateway(overrides: Partial<GatewayConfig>): Promise<string> {
  const started = await startGateway(testConfig.gateway({ accounts: stack.accountsUrl, course: stack.courseUrl, order: stack.orderUrl }, overrides));
  servers.push(started);
  return `${started.url}/graphql`;
}

const SHOP = 'https://shop.example.com';
const FOREIGN = 'https://evil.example.net';
const QUERY = JSON.stringify({ query: '{ __typename }' });

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization,x-request-id' },
  });
const post = (url: string, origin: string) => fetch(url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: QUERY });

/** Opens a graphql-ws socket sending `origin` (none when undefined); resolves 'open' or the refusing HTTP status. */
function upgrade(url: string, origin?: string): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(url), 'graphql-transport-ws', origin === undefined ? {} : { origin });
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

describe('CORS and websocket origins', () => {
  test('production with CORS_ORIGINS: the listed origin is answered with CORS headers, a foreign one gets none and cannot open a websocket', async () => {
    const url = await gateway({ production: true, corsOrigins: parseCorsOrigins(`${SHOP}, https://admin.example.com`, true) });

    const allowed = await preflight(url, SHOP);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
    const headers = allowed.headers.get('access-control-allow-headers')!.split(',');
    expect(headers).toEqual(expect.arrayContaining(['content-type', 'authorization', 'x-request-id', 'apollo-require-preflight']));
    // Tokens travel in the Authorization header, never in cookies: no credentialed requests.
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect(allowed.headers.get('vary')).toMatch(/origin/i);

    const actual = await post(url, SHOP);
    expect(actual.status).toBe(200);
    expect(actual.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(await actual.json()).toEqual({ data: { __typename: 'Query' } });

    for (const origin of [FOREIGN, `${SHOP}:8443`, 'http://shop.example.com', 'http://localhost:5173']) {
      const refused = await preflight(url, origin);
      expect({ origin, acao: refused.headers.get('access-control-allow-origin') }).toEqual({ origin, acao: null });
      expect((await post(url, origin)).headers.get('access-control-allow-origin')).toBeNull();
    }

    expect(await upgrade(url, SHOP)).toBe('open');
    expect(await upgrade(url, FOREIGN)).toBe(403);
    expect(await upgrade(url, 'http://localhost:5173')).toBe(403);
    // Not a browser: no Origin header, nothing to check.
    expect(await upgrade(url)).toBe('open');
  });

  test('production without CORS_ORIGINS allows no origin at all', async () => {
    const url = await gateway({ production: true, corsOrigins: parseCorsOrigins(undefined, true) });
    for (const origin of [SHOP, 'http://localhost:5173', 'http://127.0.0.1:4000']) {
      expect((await preflight(url, origin)).headers.get('access-control-allow-origin')).toBeNull();
      expect((await post(url, origin)).headers.get('access-control-allow-origin')).toBeNull();
      expect(await upgrade(url, origin)).toBe(403);
    }
    expect(await upgrade(url)).toBe('open');
  });

  test('development allows http://localhost and http://127.0.0.1 on any port, nothing else', async () => {
    const url = await gateway({ production: false, corsOrigins: parseCorsOrigins(undefined, false) });
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:4000', 'http://localhost']) {
      const allowed = await preflight(url, origin);
      expect({ origin, status: allowed.status, acao: allowed.headers.get('access-control-allow-origin') }).toEqual({
        origin,
        status: 204,
        acao: origin,
      });
      expect((await post(url, origin)).headers.get('access-control-allow-origin')).toBe(origin);
      expect(await upgrade(url, origin)).toBe('open');
    }
    for (const origin of [FOREIGN, 'https://localhost:5173', 'http://localhost.evil.net:80', 'http://127.0.0.1.evil.net']) {
      expect({ origin, acao: (await preflight(url, origin)).headers.get('access-control-allow-origin') }).toEqual({ origin, acao: null });
      expect(await upgrade(url, origin)).toBe(403);
    }
  });

  test('a CORS_ORIGINS entry that is not a bare origin is refused at start', () => {
    for (const bad of ['https://shop.example.com/', 'shop.example.com', 'https://*.example.com', 'ftp://files.example.com'])
      expect(() => parseCorsOrigins(bad, true)).toThrow(/CORS_ORIGINS/);
  });
});

describe('trusted proxies (TRUST_PROXY) and the per-address auth rate limit (3 per window here)', () => {
  const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { userErrors { code } } }`;
  /** A login for an unknown address (counted per client address; each a new e-mail, so the per-e-mail limit never applies). */
  const attempt = async (url: string, forwardedFor: string) => {
    const answer = await graphql<{ login: { userErrors: { code: string }[] } }, object>(
      url,
      LOGIN,
      { input: { email: `nobody-${randomUUID()}@example.com`, password: 'not-the-password-at-all' } },
      { 'x-forwarded-for': forwardedFor },
    );
    return answer.data!.login.userErrors.map((error) => error.code).join();
  };

  test('unset: X-Forwarded-For is ignored, a client cannot dodge the limit by inventing addresses', async () => {
    const url = await gateway({ trustProxy: parseTrustProxy(undefined) });
    const answers = [];
    for (let i = 1; i <= 5; i++) answers.push(await attempt(url, `203.0.113.${i}`));
    // All five count for 127.0.0.1, this run's only real address (unique per test: other tests use other keys of the shared database).
    expect(answers).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'RATE_LIMITED', 'RATE_LIMITED']);
    await stack.accountsDb.query(`DELETE FROM rate_limit`);
  });

  test.each([['1'], ['127.0.0.1'], ['loopback']])('TRUST_PROXY=%s: two forwarded addresses are counted separately', async (trust) => {
    const url = await gateway({ trustProxy: parseTrustProxy(trust) });
    const a = [];
    const b = [];
    for (let i = 0; i < 4; i++) {
      a.push(await attempt(url, '198.51.100.7'));
      // A spoofed left-most entry is not believed: only the hop the trusted proxy appended counts.
      b.push(await attempt(url, `10.9.9.${i}, 198.51.100.8`));
    }
    expect(a).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'RATE_LIMITED']);
    expect(b).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'RATE_LIMITED']);
    const { rows } = await stack.accountsDb.query<{ key: string; attempts: number }>(`SELECT key, attempts FROM rate_limit ORDER BY key`);
    expect(rows).toEqual(
      expect.arrayContaining([
        { key: 'login:address:198.51.100.7', attempts: 4 },
        { key: 'login:address:198.51.100.8', attempts: 4 },
      ]),
    );
    expect(rows.some((row) => row.key.startsWith('login:address:10.9.9.') || row.key === 'login:address:127.0.0.1')).toBe(false);
    await stack.accountsDb.query(`DELETE FROM rate_limit`);
  });

  test('a malformed TRUST_PROXY is refused at start', () => {
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow();
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy(' loopback, 10.0.0.0/8 ')).toEqual(['loopback', '10.0.0.0/8']);
  });
});
