import { join } from 'node:path';
import {
  isProduction,
  MAX_IDENTITY_TTL_SECONDS,
  readCommonConfig,
  readBool,
  readInt,
  readSecret,
  readString,
  type CommonConfig,
} from '@coursegraph/runtime';
import { parseTrustProxy, type TrustProxy } from './client-address';
import { parseCorsOrigins } from './cors';

export interface GatewayConfig extends CommonConfig {
  port: number;
  /** Verifies the users' access tokens. */
  jwtSecret: string;
  supergraphPath: string;
  /** Subgraph URLs by name, overriding the ones composed into the supergraph. */
  subgraphUrls: Record<string, string>;
  maxSubscriptionsPerConnection: number;
  /** Deepest selection nesting an operation may have. */
  maxQueryDepth: number;
  /** Highest cost an operation may have: each field 1 plus its children, a page's children times its coerced `first` (gateway/src/limits/cost.ts). */
  maxQueryCost: number;
  /** Most aliases one operation may use. */
  maxQueryAliases: number;
  /** Most directives one operation may use. */
  maxQueryDirectives: number;
  /** Most lexical tokens one document may have; parsing stops past it. */
  maxQueryTokens: number;
  /** Largest subgraph answer (bytes) the gateway reads; a larger one fails that part of the answer with RESPONSE_TOO_LARGE. */
  maxSubgraphResponseBytes: number;
  /** Largest request body (bytes) the gateway reads. */
  maxBodyBytes: number;
  /** Time (ms) a client has to send a request's headers. */
  headersTimeoutMs: number;
  /** Time (ms) a client has to send a whole request, headers and body; answering takes as long as it takes. */
  requestTimeoutMs: number;
  /** Most connections the gateway holds open at once; more are refused. */
  maxConnections: number;
  /** Most connections one client address may hold open at once (0: no limit, for a proxy in front that limits per client). */
  maxConnectionsPerAddress: number;
  /** How often websocket clients are pinged; one that misses a ping is dropped. */
  keepAliveSeconds: number;
  /**
   * The client-facing time limit of one HTTP request, ms: all its subgraph
   * calls share it, and each is sent what is left (x-coursegraph-budget-ms).
   * Longer than the order saga's deadline plus compensation.
   */
  subgraphTimeoutMs: number;
  /**
   * Largest websocket message, in bytes; a bigger one closes the connection
   * with 1009. The same as the HTTP body limit (100 kB).
   */
  wsMaxMessageBytes: number;
  /** Websocket connections this gateway instance holds at most; more are closed with 1013. */
  wsMaxConnections: number;
  /** Websocket connections one client address may hold on this gateway instance; more are closed with 1013. */
  wsMaxConnectionsPerAddress: number;
  /** Milliseconds a websocket client has to send `connection_init` before it is closed with 4408. */
  wsConnectionInitTimeoutMs: number;
  /**
   * Lifetime of the identity assertion signed for each subscription event's
   * entity fetches and each upstream (re)subscribe. It is signed afresh every
   * time, so it only has to cover one call. At least 2: a token's expiry has
   * whole-second precision, so one signed for 1 s may expire at once.
   */
  wsIdentityTtlSeconds: number;
  /** Which proxies' X-Forwarded-For is believed for the client address (TRUST_PROXY, express's `trust proxy` semantics; client-address.ts). */
  trustProxy: TrustProxy;
  /** Origins browsers may call from, over HTTP (CORS) and websockets (CORS_ORIGINS; cors.ts). */
  corsOrigins: string[];
  /**
   * The Apollo Sandbox page at GET /graphql and schema introspection
   * (SANDBOX; on in development, off in production unless set, as
   * docker-compose.yml sets it for a laptop).
   */
  sandbox: boolean;
}

export function readGatewayConfig(): GatewayConfig {
  return {
    ...readCommonConfig(),
    port: readInt('GATEWAY_PORT', 4000, 0, 65535),
    jwtSecret: readSecret('JWT_SECRET'),
    supergraphPath: readString('SUPERGRAPH_PATH', join(__dirname, '..', '..', 'schema', 'supergraph.graphql')),
    subgraphUrls: {
      accounts: readString('ACCOUNTS_SUBGRAPH_URL', 'http://127.0.0.1:4003/graphql'),
      course: readString('COURSE_SUBGRAPH_URL', 'http://127.0.0.1:4001/graphql'),
      order: readString('ORDER_SUBGRAPH_URL', 'http://127.0.0.1:4002/graphql'),
    },
    maxSubscriptionsPerConnection: readInt('MAX_SUBSCRIPTIONS_PER_CONNECTION', 20, 1, 1_000),
    maxQueryDepth: readInt('MAX_QUERY_DEPTH', 12, 2, 100),
    maxQueryCost: readInt('MAX_QUERY_COST', 5_000, 10),
    maxQueryAliases: readInt('MAX_QUERY_ALIASES', 15, 0, 1_000),
    maxQueryDirectives: readInt('MAX_QUERY_DIRECTIVES', 10, 0, 1_000),
    maxQueryTokens: readInt('MAX_QUERY_TOKENS', 2_000, 100, 100_000),
    maxSubgraphResponseBytes: readInt('MAX_SUBGRAPH_RESPONSE_BYTES', 4 * 1024 * 1024, 1_024),
    maxBodyBytes: readInt('MAX_BODY_BYTES', 100 * 1024, 1_024, 100 * 1024 * 1024),
    headersTimeoutMs: readInt('HTTP_HEADERS_TIMEOUT_MS', 10_000, 1_000, 600_000),
    requestTimeoutMs: readInt('HTTP_REQUEST_TIMEOUT_MS', 30_000, 1_000, 3_600_000),
    maxConnections: readInt('HTTP_MAX_CONNECTIONS', 2_048, 1, 1_000_000),
    maxConnectionsPerAddress: readInt('HTTP_MAX_CONNECTIONS_PER_ADDRESS', 256, 0, 1_000_000),
    keepAliveSeconds: readInt('WS_KEEPALIVE_SECONDS', 12, 1, 3_600),
    subgraphTimeoutMs: readInt('SUBGRAPH_TIMEOUT_MS', 20_000, 100, 600_000),
    wsMaxMessageBytes: readInt('WS_MAX_MESSAGE_BYTES', 100 * 1024, 1_024, 10 * 1024 * 1024),
    wsMaxConnections: readInt('WS_MAX_CONNECTIONS', 10_000, 1, 1_000_000),
    wsMaxConnectionsPerAddress: readInt('WS_MAX_CONNECTIONS_PER_ADDRESS', 50, 1, 100_000),
    wsConnectionInitTimeoutMs: readInt('WS_CONNECTION_INIT_TIMEOUT_MS', 3_000, 100, 60_000),
    wsIdentityTtlSeconds: readInt('WS_IDENTITY_TTL_SECONDS', 60, 2, MAX_IDENTITY_TTL_SECONDS),
    trustProxy: parseTrustProxy(process.env.TRUST_PROXY),
    corsOrigins: parseCorsOrigins(process.env.CORS_ORIGINS, isProduction()),
    sandbox: readBool('SANDBOX', !isProduction()),
  };
}
