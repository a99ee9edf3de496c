/**
 * The whole supergraph in the test process: fresh databases, both subgraphs
 * and the gateway on free ports, real HTTP between them.
 */
import { join } from 'node:path';
import { print } from 'graphql';
import { Pool } from 'pg';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { DEFAULT_POOL_SIZE, SERVICE_HEADER, signServiceCredential, signUserToken, type RunningServer, type Viewer } from '@coursegraph/runtime';
import { startCourseSubgraph, type CourseConfig } from '@coursegraph/course';
import { startOrderSubgraph, type OrderConfig } from '@coursegraph/order';
import { parseCorsOrigins, startGateway, type GatewayConfig } from '@coursegraph/gateway';
import { startAccountsSubgraph, type AccountsConfig } from '@coursegraph/accounts';
import { createTestDatabases } from './databases';

export const SECRETS = {
  jwtSecret: 'test-jwt-secret-0123456789abcdef0123456789',
  subgraphSecret: 'test-subgraph-secret-0123456789abcdef01234',
  serviceSecret: 'test-service-secret-0123456789abcdef012345',
};

const common = {
  host: '127.0.0.1',
  production: false,
  port: 0,
  subgraphSecret: SECRETS.subgraphSecret,
  serviceSecret: SECRETS.serviceSecret,
  metrics: { enabled: true, token: null },
};

/** Service configurations for tests: free ports, test secrets, background jobs off unless asked. */
export const testConfig = {
  accounts: (databaseUrl: string, overrides: Partial<AccountsConfig> = {}): AccountsConfig => ({
    ...common,
    databaseUrl,
    databasePoolSize: DEFAULT_POOL_SIZE,
    jwtSecret: SECRETS.jwtSecret,
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 7 * 24 * 3600,
    rateLimitPerAddress: 1_000,
    rateLimitPerEmail: 1_000,
    rateLimitWindowSeconds: 60,
    demoData: false,
    ...overrides,
  }),
  course: (databaseUrl: string, overrides: Partial<CourseConfig> = {}): CourseConfig => ({
    ...common,
    databaseUrl,
    databasePoolSize: DEFAULT_POOL_SIZE,
    reservationTtlSeconds: 600,
    sweepIntervalSeconds: 0,
    sweepBatchSize: 100,
    createCourseLimit: 1_000,
    createCourseWindowSeconds: 3_600,
    demoData: false,
    ...overrides,
  }),
  order: (databaseUrl: string, courseUrl: string, overrides: Partial<OrderConfig> = {}): OrderConfig => ({
    ...common,
    databaseUrl,
    databasePoolSize: DEFAULT_POOL_SIZE,
    courseUrl,
    courseCallTimeoutMs: 5_000,
    courseCallDeadlineMs: 15_000,
    compensationDeadlineMs: 4_000,
    auditIntervalSeconds: 0,
    reconcileAfterSeconds: 60,
    reconcileIntervalSeconds: 0,
    ...overrides,
  }),
  gateway: (subgraphUrls: Record<string, string>, overrides: Partial<GatewayConfig> = {}): GatewayConfig => ({
    ...common,
    jwtSecret: SECRETS.jwtSecret,
    supergraphPath: join(__dirname, '..', '..', '..', 'schema', 'supergraph.graphql'),
    subgraphUrls,
    maxSubscriptionsPerConnection: 20,
    keepAliveSeconds: 12,
    // Longer than the order saga's deadline plus compensation below (15 s + 4 s): budgets nest.
    subgraphTimeoutMs: 25_000,
    maxQueryDepth: 12,
    maxQueryCost: 5_000,
    maxQueryAliases: 15,
    maxQueryDirectives: 10,
    maxQueryTokens: 2_000,
    maxSubgraphResponseBytes: 4 * 1024 * 1024,
    maxBodyBytes: 100 * 1024,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    maxConnections: 2_048,
    // Every test client connects from 127.0.0.1, hundreds at once in the concurrency tests.
    maxConnectionsPerAddress: 0,
    wsMaxMessageBytes: 100 * 1024,
    wsMaxConnections: 10_000,
    wsMaxConnectionsPerAddress: 250,
    wsConnectionInitTimeoutMs: 3_000,
    wsIdentityTtlSeconds: 60,
    // As in development: X-Forwarded-For ignored, pages on localhost and 127.0.0.1 allowed.
    trustProxy: false,
    corsOrigins: parseCorsOrigins(undefined, false),
    sandbox: true,
    ...overrides,
  }),
};

export interface StackOptions {
  accounts?: Partial<AccountsConfig>;
  course?: Partial<CourseConfig>;
  order?: Partial<OrderConfig>;
  gateway?: Partial<GatewayConfig>;
}

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

export type Operation<T, V> = TypedDocumentNode<T, V> | string;

/** POSTs a GraphQL operation; `token` becomes `Authorization: Bearer`. */
export async function graphql<T, V>(
  url: string,
  operation: Operation<T, V>,
  variables?: V,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: typeof operation === 'string' ? operation : print(operation), variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** POSTs a GraphQL document and keeps the raw answer text too, so leaks can be searched for. */
export async function postRaw(url: string, query: string, variables: object = {}, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    body: JSON.parse(text) as Omit<GraphQLResponse<Record<string, unknown>>, 'status'> & { extensions?: unknown },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface Stack {
  gatewayUrl: string;
  accountsUrl: string;
  courseUrl: string;
  orderUrl: string;
  courseDatabaseUrl: string;
  orderDatabaseUrl: string;
  /** Direct connections for assertions on what each subgraph stored. */
  accountsDb: Pool;
  courseDb: Pool;
  orderDb: Pool;
  token(viewer: Viewer): string;
  /** Calls the gateway as `viewer` (anonymous when null). */
  call<T, V>(operation: Operation<T, V>, variables: V, viewer?: Viewer | null): Promise<GraphQLResponse<T>>;
  /** Calls the course subgraph directly with the order service's credential. */
  callCourseAsService<T>(query: string, variables?: object): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const databases = await createTestDatabases('accounts', 'course', 'order');
  const servers: RunningServer[] = [];
  const pools: Pool[] = [];
  try {
    const accounts = await startAccountsSubgraph(testConfig.accounts(databases.urls.accounts!, options.accounts));
    servers.push(accounts);
    const course = await startCourseSubgraph(testConfig.course(databases.urls.course!, options.course));
    servers.push(course);
    const order = await startOrderSubgraph(testConfig.order(databases.urls.order!, `${course.url}/graphql`, options.order));
    servers.push(order);
    const gateway = await startGateway(
      testConfig.gateway({ accounts: `${accounts.url}/graphql`, course: `${course.url}/graphql`, order: `${order.url}/graphql` }, options.gateway),
    );
    servers.push(gateway);
    const accountsDb = new Pool({ connectionString: databases.urls.accounts, max: 4 });
    const courseDb = new Pool({ connectionString: databases.urls.course, max: 4 });
    const orderDb = new Pool({ connectionString: databases.urls.order, max: 4 });
    pools.push(accountsDb, courseDb, orderDb);
    // DROP DATABASE ... WITH (FORCE) at stop may end connections the pool is still closing.
    for (const pool of pools) pool.on('error', () => undefined);
    const token = (viewer: Viewer) => signUserToken(SECRETS.jwtSecret, viewer);
    return {
      gatewayUrl: `${gateway.url}/graphql`,
      accountsUrl: `${accounts.url}/graphql`,
      courseUrl: `${course.url}/graphql`,
      orderUrl: `${order.url}/graphql`,
      courseDatabaseUrl: databases.urls.course!,
      orderDatabaseUrl: databases.urls.order!,
      accountsDb,
      courseDb,
      orderDb,
      token,
      call: (operation, variables, viewer = null) => graphql(`${gateway.url}/graphql`, operation, variables, viewer ? bearer(token(viewer)) : {}),
      callCourseAsService: (query, variables) =>
        graphql(`${course.url}/graphql`, query, variables, { [SERVICE_HEADER]: signServiceCredential(SECRETS.serviceSecret, 'order') }),
      async stop() {
        for (const server of servers.reverse()) await server.stop();
        await Promise.all(pools.map((pool) => pool.end()));
        await databases.drop();
      },
    };
  } catch (error) {
    for (const server of servers.reverse()) await server.stop().catch(() => undefined);
    await databases.drop().catch(() => undefined);
    throw error;
  }
}
