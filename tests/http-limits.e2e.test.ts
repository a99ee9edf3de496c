/**
 * Bounded HTTP requests at the gateway (issue 9 part B, items 6, 7, 8, 13 and
 * 15 over HTTP): cost on coerced arguments, a cap on subgraph answers,
 * aliases / directives / tokens / introspection counted, no schema
 * suggestions in production, client mistakes with client codes, and slow
 * clients cut off without starving others.
 */
import http from 'node:http';
import net from 'node:net';
import { createHash } from 'node:crypto';
import { getIntrospectionQuery, Kind, parse, print, type FieldNode, type OperationDefinitionNode } from 'graphql';
import type { RunningServer } from '@coursegraph/runtime';
import { startGateway, type GatewayConfig } from '@coursegraph/gateway';
import { createCourse, newUser } from '@coursegraph/devkit/fixtures';
import { graphql, startStack, testConfig, type Stack } from '@coursegraph/devkit/stack';

let stack: Stack;
/** A second gateway on the same subgraphs, in production mode, with small limits for the cases that need them. */
let strict: RunningServer;
let strictUrl: string;

const STRICT: Partial<GatewayConfig> = {
  production: true,
  maxSubgraphResponseBytes: 8 * 1024,
  headersTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  maxConnections: 40,
  maxConnectionsPerAddress: 10,
};

beforeAll(async () => {
  stack = await startStack();
  const instructor = newUser('INSTRUCTOR');
  // Enough published courses, with long descriptions, that a page of them is larger than the strict gateway's cap.
  for (let i = 0; i < 6; i++) {
    const course = await createCourse(stack, { instructor, publish: false });
    await stack.courseDb.query(`UPDATE course SET description = $2 WHERE id = $1`, [course.id, 'd'.repeat(3_000)]);
    await stack.call(`mutation($id: ID!) { publishCourse(input: { courseId: $id }) { course { id } } }`, { id: course.id }, instructor);
  }
  strict = await startGateway(testConfig.gateway({ accounts: stack.accountsUrl, course: stack.courseUrl, order: stack.orderUrl }, STRICT));
  strictUrl = `${strict.url}/graphql`;
});
afterAll(async () => {
  await strict?.stop();
  await stack?.stop();
});

const codes = (result: { errors?: { extensions?: { code?: string } }[] }) => (result.errors ?? []).map((error) => error.extensions?.code);

/** Item 6's query: every published course, its instructor, and that instructor's courses. */
const NESTED_PAGES = `query Nested($n: Int) { courses(first: $n) { edges { node { instructor { coursesTaught(first: $n) { edges { node { id title } } } } } } } }`;

describe('item 6: cost is computed on coerced arguments', () => {
  test('page sizes passed as variables cost what literals cost', async () => {
    const literal = await graphql(stack.gatewayUrl, NESTED_PAGES.replace('($n: Int)', '').replace(/\$n\b/g, '100'));
    const variable = await stack.call(NESTED_PAGES, { n: 100 });
    for (const result of [literal, variable]) {
      expect(result.status).toBe(400);
      expect(result.errors).toEqual([
        {
          message: 'Query cost limit of 5000 exceeded, found 40401.',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) },
        },
      ]);
    }
    expect(variable.data).toBeUndefined();
  });

  test('a left-out or null page size costs its default; a small one passes', async () => {
    // Default 20 at both levels: 1 + 20 * (3 + 1 + 20 * 4) = 1,681.
    for (const variables of [{}, { n: null }, { n: 5 }]) {
      const result = await stack.call(NESTED_PAGES, variables);
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ courses: { edges: expect.any(Array) } });
    }
    // With a lower limit the default-sized query is refused, and so its cost is counted.
    const lower = await startGateway(
      testConfig.gateway({ accounts: stack.accountsUrl, course: stack.courseUrl, order: stack.orderUrl }, { maxQueryCost: 1_000 }),
    );
    try {
      const refused = await graphql(`${lower.url}/graphql`, NESTED_PAGES, {});
      expect(refused.errors).toEqual([
        {
          message: 'Query cost limit of 1000 exceeded, found 1681.',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) },
        },
      ]);
    } finally {
      await lower.stop();
    }
  });

  test('a subgraph answer larger than the cap is refused with RESPONSE_TOO_LARGE, and a small one passes', async () => {
    const big = await graphql(
      strictUrl,
      `
        {
          courses(first: 6) {
            edges {
              node {
                id
                description
              }
            }
          }
        }
      `,
    );
    expect(big.errors).toEqual([expect.objectContaining({ extensions: { code: 'RESPONSE_TOO_LARGE', requestId: expect.any(String) } })]);
    expect(big.errors![0]!.message).toBe('The answer would be larger than 8192 bytes; ask for fewer or smaller pages.');
    expect(big.data).toBeNull();
    const small = await graphql(
      strictUrl,
      `
        {
          courses(first: 2) {
            edges {
              node {
                id
              }
            }
          }
        }
      `,
    );
    expect(small.errors).toBeUndefined();
    expect((small.data as { courses: { edges: unknown[] } }).courses.edges).toHaveLength(2);
  });
});

/** The `__schema` selection of the standard introspection query, under `count` aliases, with its fragments. */
function aliasedIntrospection(count: number): string {
  const document = parse(getIntrospectionQuery());
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  const schemaField = operation.selectionSet.selections[0] as FieldNode;
  const aliased = Array.from({ length: count }, (_v, i): FieldNode => ({ ...schemaField, alias: { kind: Kind.NAME, value: `s${i}` } }));
  return print({
    ...document,
    definitions: document.definitions.map((definition) =>
      definition === operation ? { ...operation, selectionSet: { ...operation.selectionSet, selections: aliased } } : definition,
    ),
  });
}

describe('item 7: aliases, directives, tokens and introspection are counted', () => {
  test('the standard introspection query passes in development', async () => {
    const result = await graphql(stack.gatewayUrl, getIntrospectionQuery());
    expect(result.errors).toBeUndefined();
    expect((result.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(10);
  });

  test('introspection under many aliases is refused: by the alias limit, and by cost below it', async () => {
    const many = await graphql(stack.gatewayUrl, `{ ${Array.from({ length: 16 }, (_v, i) => `a${i}: __schema { types { name } }`).join(' ')} }`);
    expect(many.errors).toEqual([
      {
        message: 'Syntax Error: Aliases limit of 15 exceeded, found 16.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) },
      },
    ]);
    const costly = await graphql(stack.gatewayUrl, aliasedIntrospection(12));
    expect(codes(costly)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(costly.errors![0]!.message).toMatch(/^Query cost limit of 5000 exceeded, found \d+\.$/);
  });

  test('500 aliases of introspection stop at the token limit, before any validation', async () => {
    const result = await graphql(stack.gatewayUrl, `{ ${Array.from({ length: 500 }, (_v, i) => `a${i}: __schema { types { name } }`).join(' ')} }`);
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(result.errors![0]!.message).toMatch(/more that 2000 tokens/);
  });

  test('too many directives are refused', async () => {
    const result = await graphql(
      stack.gatewayUrl,
      `query($t: Boolean = true) { ${Array.from({ length: 11 }, (_v, i) => `f${i}: __typename @include(if: $t)`).join(' ')} }`,
    );
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: 'Syntax Error: Directives limit of 10 exceeded, found 11.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) },
      }),
    ]);
  });
});

describe('item 8: no schema suggestions in production', () => {
  test('a misspelt field, argument or enum value gets no "Did you mean" in production, and does in development', async () => {
    const misspelt = [
      { query: '{ coursez { edges { cursor } } }', variables: {} },
      { query: '{ courses(frist: 1) { edges { cursor } } }', variables: {} },
      {
        query: 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }',
        variables: { input: { email: 'a@example.com', password: 'long enough password', displayName: 'A', role: 'STUDNT' } },
      },
    ];
    for (const { query, variables } of misspelt) {
      const production = await graphql(strictUrl, query, variables);
      expect(production.status).toBe(400);
      expect(codes(production)[0]).toMatch(/^(GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT)$/);
      expect(JSON.stringify(production)).not.toMatch(/did you mean/i);
      const development = await graphql(stack.gatewayUrl, query, variables);
      expect(JSON.stringify(development)).toMatch(/did you mean/i);
    }
  });
});

/** A raw HTTP request to the gateway: status and parsed answer. */
async function send(url: string, init: RequestInit): Promise<{ status: number; codes: string[] }> {
  const response = await fetch(url, init);
  const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, codes: (body.errors ?? []).map((error) => error.extensions?.code ?? '') };
}
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('item 13: client mistakes over HTTP get client codes', () => {
  test.each([
    [
      'an APQ hash that does not match its query',
      400,
      'PERSISTED_QUERY_HASH_MISMATCH',
      json({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ me { id } }') } } }),
    ],
    [
      'an APQ of an unsupported version',
      400,
      'PERSISTED_QUERY_NOT_SUPPORTED',
      json({ query: '{ __typename }', extensions: { persistedQuery: { version: 2, sha256Hash: sha256('{ __typename }') } } }),
    ],
    [
      'an APQ hash that is not a hash',
      400,
      'PERSISTED_QUERY_NOT_SUPPORTED',
      json({ extensions: { persistedQuery: { version: 1, sha256Hash: 'nope' } } }),
    ],
    [
      'an APQ hash never registered',
      200,
      'PERSISTED_QUERY_NOT_FOUND',
      json({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ me { id } }') } } }),
    ],
    ['a missing non-null variable', 400, 'BAD_USER_INPUT', json({ query: 'query($id: ID!) { course(id: $id) { id } }' })],
    ['a null non-null variable', 400, 'BAD_USER_INPUT', json({ query: 'query($id: ID!) { course(id: $id) { id } }', variables: { id: null } })],
    [
      'a variable of the wrong type',
      400,
      'BAD_USER_INPUT',
      json({ query: 'query($n: Int) { courses(first: $n) { edges { cursor } } }', variables: { n: 'ten' } }),
    ],
    ['an unknown operation name', 400, 'OPERATION_RESOLUTION_FAILURE', json({ query: 'query A { __typename }', operationName: 'B' })],
    ['several operations and no name', 400, 'OPERATION_RESOLUTION_FAILURE', json({ query: 'query A { __typename } query B { __typename }' })],
    [
      'a subscription over HTTP',
      400,
      'BAD_REQUEST',
      json({ query: 'subscription { seatsChanged(courseIds: ["c0c00001-0000-4000-8000-000000000000"]) { courseId } }' }),
    ],
    ['a batched array body', 400, 'BAD_REQUEST', json([{ query: '{ __typename }' }, { query: '{ __typename }' }])],
    [
      'a text/plain body',
      400,
      'BAD_REQUEST',
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) },
    ],
  ] as const)('%s: %i %s', async (_name, status, code, init) => {
    const answer = await send(stack.gatewayUrl, init);
    expect(answer).toEqual({ status, codes: [code] });
  });

  test('an introspection field the gateway cannot plan (isOneOf) is a validation failure, not an internal error', async () => {
    const result = await graphql(stack.gatewayUrl, getIntrospectionQuery({ oneOf: true }));
    expect(result.errors).toEqual([
      { message: 'Cannot query field "isOneOf" on type "__Type".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) } },
    ]);
  });

  test('a mutation in a GET request is refused; a query in one is served', async () => {
    const mutation = encodeURIComponent('mutation { logout(input: { refreshToken: "x" }) { loggedOut } }');
    expect(await send(`${stack.gatewayUrl}?query=${mutation}`, { headers: { 'apollo-require-preflight': 'true' } })).toEqual({
      status: 405,
      codes: ['BAD_REQUEST'],
    });
    const query = encodeURIComponent('{ __typename }');
    expect(await send(`${stack.gatewayUrl}?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } })).toEqual({ status: 200, codes: [] });
  });
});

/** Opens a socket to the strict gateway and sends `head` (without the blank line that ends it); resolves when the server closes it. */
function trickle(
  url: string,
  head: string,
  drip: string,
  everyMs: number,
): { closed: Promise<{ afterMs: number; answer: string }>; socket: net.Socket } {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  const started = Date.now();
  let answer = '';
  socket.write(head);
  const dripper = setInterval(() => socket.writable && socket.write(drip), everyMs);
  socket.on('data', (chunk) => (answer += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<{ afterMs: number; answer: string }>((resolve) =>
    socket.on('close', () => {
      clearInterval(dripper);
      resolve({ afterMs: Date.now() - started, answer });
    }),
  );
  return { closed, socket };
}

describe('item 15: slow clients cannot hold the gateway', () => {
  const path = () => new URL(strictUrl).pathname;

  test('a client trickling headers is answered 408 and cut off, and others are served meanwhile', async () => {
    const slow = trickle(strictUrl, `POST ${path()} HTTP/1.1\r\nHost: x\r\n`, 'X-Slow: 1\r\n', 100);
    const meanwhile = await graphql(strictUrl, '{ __typename }');
    expect(meanwhile.data).toEqual({ __typename: 'Query' });
    const { afterMs, answer } = await slow.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // headersTimeout 1 s, checked every second: well before the 2 s request timeout plus its check.
    expect(afterMs).toBeLessThan(15_000);
  });

  test('a client trickling a body is answered 408 and cut off', async () => {
    const slow = trickle(
      strictUrl,
      `POST ${path()} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":"`,
      ' ',
      100,
    );
    const { answer } = await slow.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  /** Opens `count` sockets to the strict gateway from `localAddress` (any 127.x.y.z is this machine); resolves once each connected or was refused. */
  async function open(count: number, localAddress: string): Promise<net.Socket[]> {
    const { hostname, port } = new URL(strictUrl);
    const sockets = Array.from({ length: count }, () =>
      net.connect({ port: Number(port), host: hostname, localAddress }).on('error', () => undefined),
    );
    await Promise.all(sockets.map((socket) => new Promise((resolve) => socket.once('connect', resolve).once('close', resolve))));
    // Let the server close the ones past its limits.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return sockets;
  }
  const closedCount = (sockets: net.Socket[]) => sockets.filter((socket) => socket.destroyed || socket.readyState === 'closed').length;

  test('one address cannot hold more than its share of connections, and others are served meanwhile', async () => {
    const sockets = await open(25, '127.0.0.2');
    try {
      expect(closedCount(sockets)).toBe(25 - STRICT.maxConnectionsPerAddress!);
      expect((await graphql(strictUrl, '{ __typename }')).data).toEqual({ __typename: 'Query' });
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  test('connections past the total cap are closed at once, and served again when others leave', async () => {
    const sockets = (
      await Promise.all(['127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8'].map((address) => open(10, address)))
    ).flat();
    try {
      expect(closedCount(sockets)).toBeGreaterThanOrEqual(60 - STRICT.maxConnections!);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await graphql(strictUrl, '{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  test('an answer slower than requestTimeout is not cut: the timeout bounds receiving the request only', async () => {
    // A course subgraph that takes 3 s to answer, as a slow order saga would, behind a gateway with a 2 s requestTimeout.
    const slowCourse = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => res.setHeader('content-type', 'application/json').end('{"data":{"courses":{"edges":[]}}}'), 3_000));
    });
    await new Promise<void>((resolve) => slowCourse.listen(0, '127.0.0.1', resolve));
    const gateway = await startGateway(
      testConfig.gateway(
        { accounts: stack.accountsUrl, course: `http://127.0.0.1:${(slowCourse.address() as net.AddressInfo).port}/graphql`, order: stack.orderUrl },
        STRICT,
      ),
    );
    try {
      const started = Date.now();
      const result = await graphql(`${gateway.url}/graphql`, '{ courses { edges { node { id } } } }');
      expect(Date.now() - started).toBeGreaterThan(STRICT.requestTimeoutMs!);
      expect(result).toEqual({ status: 200, data: { courses: { edges: [] } } });
    } finally {
      await gateway.stop();
      slowCourse.closeAllConnections();
      await new Promise((resolve) => slowCourse.close(resolve));
    }
  });
});
